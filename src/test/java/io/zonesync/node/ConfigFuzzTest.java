package io.zonesync.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.http.api.ApiFeature;
import io.zonesync.http.api.ApiHandler;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.sync.clock.HybridLogicalClock;
import io.zonesync.sync.cluster.ZoneSyncSettings;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whatever text a configuration file holds, reading and compiling it as {@code -t} does (the
 * parser, every module's directive checks and value parsing, the HTTP and stream compilers) either
 * succeeds or fails with a {@link ConfigException} that names FILE:LINE; never with any other
 * exception or error (a NumberFormatException, an IndexOutOfBounds, a StackOverflowError on deep
 * nesting, ...).
 *
 * <p>A plain {@code mvn test} runs this in regression mode over the seeds in
 * {@code src/test/resources/io/zonesync/node/ConfigFuzzTestInputs/}; {@code bench/fuzz/run.sh} fuzzes
 * it for real, drawing on the directive names and value tokens of {@code config.dict} beside them.
 * The input is the file's text (UTF-8), written to a directory that is also the prefix, so relative includes, state files and certificates stay inside it. Inputs that name
 * {@code dev/}, {@code proc/} or {@code sys/} are skipped: reading {@code /dev/zero} as a
 * certificate or an include never ends, which is the operator's doing, not the parser's. Host
 * names never reach DNS: the zone_sync resolver refuses them and, when fuzzing, the JVM resolves
 * from a hosts file that knows only localhost.
 */
class ConfigFuzzTest {
    private static Path dir;
    private static Path hosts;

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("config-fuzz");
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (fuzz != null && !fuzz.isEmpty() && System.getProperty("jdk.net.hosts.file") == null) {
            hosts = Files.writeString(dir.resolveSibling(dir.getFileName() + ".hosts"),
                    "127.0.0.1 localhost\n::1 localhost\n");
            System.setProperty("jdk.net.hosts.file", hosts.toString());
        }
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (hosts != null) {
            Files.delete(hosts);
        }
    }

    @FuzzTest(maxDuration = "5m")
    @DictionaryFile(resourcePath = "config.dict")
    void compilesOrNamesTheLine(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.contains("dev/") || text.contains("proc/") || text.contains("sys/")) {
            return;
        }
        Path file = dir.resolve("zonesync.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        try {
            ParsedConfig parsed = ConfigParser.parseFile(file, dir, null);
            CompiledConfig.compile(parsed, new ZoneTable(CompiledConfig.zoneFamilies(Clock.systemUTC(),
                    HybridLogicalClock.of(1, Clock.systemUTC()), new ResolverZones())), Clock.systemUTC(), api(),
                    NodeCounters.throwaway(),
                    name -> {
                        throw new UnknownHostException(name);
                    });
        } catch (ConfigException e) {
            SourceLocation where = e.where();
            assertThat(where).as("no location: %s", e.getMessage()).isNotNull();
            assertThat(where.line()).as("no line: %s", e.getMessage()).isPositive();
            assertThat(e.getMessage()).endsWith(" in " + where.file() + ":" + where.line());
        } catch (RuntimeException | StackOverflowError e) {
            fail("compiling threw " + e, e);
        }
    }

    private static ApiFeature api() {
        return new ApiFeature(new ApiHandler(new NodeApiState(() -> null, () -> null, () -> 0L,
                Instant::now)), Runnable::run);
    }
}
