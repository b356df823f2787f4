package io.zonesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project works from its own directory alone: no source, script, configuration or document
 * names a relative path that climbs out of it (as the API tests once read a file from a directory
 * beside the checkout). A path is resolved where it is read: against the file's directory in
 * Markdown (links), against the project directory elsewhere (the working directory of the build,
 * the tests and the scripts). .ci/run runs the whole suite in a fresh clone as the full check.
 */
class RepositoryStandsAloneTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
    /** Top-level build output, version control and runtime state: not the repository's content. */
    private static final Set<String> SKIPPED = Set.of("target", ".git", "logs");
    /** A relative path that starts by going up: not a segment inside a longer path ({@code a/../b}). */
    private static final Pattern UPWARD = Pattern.compile("(?<![\\w.$/\\\\-])\\.\\./[^\\s\"'`)(<>\\]\\[,;\\\\]*");
    /** The step to a parent directory, spelt so that this file does not itself name a path out of the project. */
    private static final String UP = ".." + "/";

    @Test
    void noFileNamesAPathOutsideTheProject() throws IOException {
        List<String> outside = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : (Iterable<Path>) files.filter(this::inRepository).filter(Files::isRegularFile)::iterator) {
                String text = text(file);
                Path base = file.toString().endsWith(".md") ? file.getParent() : ROOT;
                Matcher m = UPWARD.matcher(text);
                while (m.find()) {
                    if (!staysInside(base, m.group())) {
                        int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                        outside.add(ROOT.relativize(file) + ":" + line + ": " + m.group());
                    }
                }
            }
        }
        assertThat(outside).as("paths leading out of " + ROOT).isEmpty();
    }

    @Test
    void theCheckSeesAPathLeavingTheProject() {
        assertThat(staysInside(ROOT, UP + "beside/spec.yaml")).isFalse();
        assertThat(staysInside(ROOT.resolve("doc"), UP + "README.md")).isTrue();
        Matcher m = UPWARD.matcher("Path.of(\"" + UP + "beside/x.yaml\")");
        assertThat(m.find()).isTrue();
        assertThat(m.group()).isEqualTo(UP + "beside/x.yaml");
        assertThat(UPWARD.matcher("cd \"$(dirname \"$0\")/" + UP + "..\"").find()).isFalse();
        assertThat(UPWARD.matcher("GET /a/" + UP + "etc/passwd").find()).isFalse();
    }

    private boolean inRepository(Path p) {
        Path relative = ROOT.relativize(p);
        return relative.getNameCount() == 0 || !SKIPPED.contains(relative.getName(0).toString());
    }

    private static boolean staysInside(Path base, String relative) {
        try {
            return base.resolve(relative).normalize().startsWith(ROOT);
        } catch (InvalidPathException e) {
            return true; // not a file name
        }
    }

    /** The file's text, or "" for a binary file. */
    private static String text(Path file) throws IOException {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            return s.indexOf('\0') >= 0 ? "" : s;
        } catch (MalformedInputException e) {
            return "";
        }
    }
}
