package io.zonesync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every fuzz test has its seed corpus beside it ({@code src/test/resources/<package>/<Class>Inputs/<method>},
 * where Jazzer looks): a class moved to another package without its corpus would still pass,
 * running one empty input instead of its seeds.
 */
class FuzzCorporaTest {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Pattern FUZZ_METHOD = Pattern.compile("@FuzzTest[^\\n]*\\n(?:\\s*@[^\\n]*\\n)*\\s*void (\\w+)\\(");

    @Test
    void everyFuzzTestFindsItsSeeds() throws IOException {
        Path tests = BASE.resolve("src/test/java");
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith("FuzzTest.java"))::iterator) {
                String relative = tests.relativize(f).toString();
                String inputs = relative.substring(0, relative.length() - ".java".length()) + "Inputs";
                Matcher m = FUZZ_METHOD.matcher(Files.readString(f));
                while (m.find()) {
                    Path corpus = BASE.resolve("src/test/resources").resolve(inputs).resolve(m.group(1));
                    checked.add(corpus.toString());
                    if (!Files.isDirectory(corpus) || isEmpty(corpus)) {
                        missing.add(corpus.toString());
                    }
                }
            }
        }
        assertThat(checked).as("fuzz tests found").hasSizeGreaterThanOrEqualTo(4);
        assertThat(missing).as("fuzz tests without their seed corpus").isEmpty();
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
