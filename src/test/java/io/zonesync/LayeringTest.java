package io.zonesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering doc/architecture.md describes ("What may import what"), checked on the imports of
 * every main source file: a package may import only the project packages its row allows.
 */
class LayeringTest {
    private static final Path MAIN = Path.of(System.getProperty("basedir", ".")).resolve("src/main/java/io/zonesync");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.zonesync\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]",
            Pattern.MULTILINE);

    /** For a package (and its subpackages): the project packages it may import, by prefix. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "config", List.of("config"),
            "zone", List.of("zone", "config"),
            "log", List.of("log", "config"),
            "core", List.of("core", "config", "log"),
            "net", List.of("net", "config", "log"),
            "stream", List.of("stream", "config", "net", "log"),
            "tls", List.of("tls", "config", "log", "net", "stream", "access"),
            "sync", List.of("sync", "config", "log", "net", "tls", "stream", "zone"),
            "keyval", List.of("keyval", "config", "zone", "log", "net"));

    /** Packages no one below them may import. */
    private static final Map<String, List<String>> NEVER = Map.of(
            "http", List.of("node", "cli", "core"),
            "access", List.of("node", "cli", "sync", "keyval"),
            "node", List.of("cli"));

    /**
     * The stream proxy (the subpackages of stream; the stream package itself is the block and its
     * listeners, which zone_sync reads): it balances with http's upstream groups, writes its
     * access log with http's writer, runs http's health checkers, looks up keyval zones and applies
     * access rules. No one but the node may import it: zone_sync in particular does not.
     */
    private static final List<String> STREAM_PROXY_ALLOWED = List.of("stream", "config", "net", "log", "zone",
            "keyval", "access", "tls", "http.upstream", "http.accesslog", "http.splitclients", "http.healthcheck");

    /**
     * Inside http: the core request path and what it is built on may import no module package
     * (rewrite, headers, static files, proxy, ... are plugged in through HttpFeature); the
     * access log is the core's log phase.
     */
    private static final Map<String, List<String>> HTTP_ALLOWED = Map.of(
            "http.vars", List.of("http.vars"),
            "http.accesslog", List.of("http.accesslog", "http.vars"),
            "http.core", List.of("http.core", "http.vars", "http.accesslog"));

    @Test
    void everyImportRunsDownTheLayers() throws IOException {
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String pkg = MAIN.relativize(f.getParent()).toString().replace('/', '.');
                String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String imported = m.group(1);
                    String importedTop = imported.contains(".") ? imported.substring(0, imported.indexOf('.')) : imported;
                    boolean streamProxy = pkg.startsWith("stream.");
                    if (streamProxy && STREAM_PROXY_ALLOWED.stream().noneMatch(
                            a -> imported.equals(a) || imported.startsWith(a + ".") && !a.equals("stream")
                                    || a.equals("stream") && importedTop.equals("stream"))) {
                        wrong.add(MAIN.relativize(f) + " imports " + imported);
                    }
                    if (imported.startsWith("stream.") && !top.equals("stream") && !top.equals("node")) {
                        wrong.add(MAIN.relativize(f) + " imports the stream proxy's " + imported);
                    }
                    List<String> allowed = streamProxy ? null : ALLOWED.get(top);
                    if (allowed != null && !allowed.contains(importedTop)) {
                        wrong.add(MAIN.relativize(f) + " imports " + imported);
                    }
                    if (NEVER.getOrDefault(top, List.of()).contains(importedTop)) {
                        wrong.add(MAIN.relativize(f) + " imports " + imported);
                    }
                    List<String> httpAllowed = HTTP_ALLOWED.get(pkg);
                    if (httpAllowed != null && importedTop.equals("http") && !httpAllowed.contains(imported)) {
                        wrong.add(MAIN.relativize(f) + " imports " + imported);
                    }
                }
            }
        }
        assertThat(wrong).as("imports against doc/architecture.md's layering").isEmpty();
    }
}
