package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * Whatever expression a configuration holds, translating it from PCRE's syntax either gives a
 * pattern or fails with a {@link PatternSyntaxException} (which the directives turn into a
 * FILE:LINE error), never with another exception; and a pattern's captures always carry one name
 * slot per group, so a match never reads past them.
 *
 * <p>The input is the expression (UTF-8) up to a first newline, then the text to match. A plain
 * {@code mvn test} runs the seeds in
 * {@code src/test/resources/io/zonesync/http/core/NginxRegexFuzzTestInputs/}; {@code bench/fuzz/run.sh}
 * fuzzes it for real.
 */
class NginxRegexFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void translatesOrRefuses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String source = nl < 0 ? text : text.substring(0, nl);
        String subject = nl < 0 ? "abc" : text.substring(nl + 1);
        NginxRegex re;
        try {
            re = NginxRegex.compile(source, (input.length & 1) == 1);
        } catch (PatternSyntaxException refused) {
            return;
        }
        Matcher m = re.matcher(subject.length() > 200 ? subject.substring(0, 200) : subject);
        if (source.length() < 64 && m.find()) {
            Captures c = re.captures(m);
            assertThat(c.names()).hasSize(c.groups().length);
        }
    }
}
