package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Directive;
import io.zonesync.http.vars.VariableRegistry;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class NginxRegexTest {

    private static Captures match(String regex, String input) {
        NginxRegex re = NginxRegex.compile(regex, false);
        Matcher m = re.matcher(input);
        assertThat(m.find()).as("%s matches %s", regex, input).isTrue();
        return re.captures(m);
    }

    private static String named(Captures c, String name) {
        return c.groups()[c.names().indexOf(name)];
    }

    @Test
    void pcreSpellingsOfNamedGroupsAndTheirNumbers() {
        Captures c = match("^/(?<first_part>[a-z]+)/(?P<second>[0-9]+)/(?'third_one'x+)(?:-(y))?$", "/ab/12/xx-y");
        assertThat(c.groups()).containsExactly("/ab/12/xx-y", "ab", "12", "xx", "y");
        assertThat(named(c, "first_part")).isEqualTo("ab");
        assertThat(named(c, "second")).isEqualTo("12");
        assertThat(named(c, "third_one")).isEqualTo("xx");
        assertThat(c.names().get(4)).isNull();
    }

    @Test
    void lookaroundsEscapesClassesAndQuotingAreNotGroups() {
        Captures c = match("(?<=a)(?<!b)\\((?<n>[(?<x>)]+)\\Q(?<q>\\E(z)", "a((?<)(?<q>z");
        assertThat(c.groups()).containsExactly("((?<)(?<q>z", "(?<)", "z");
        assertThat(named(c, "n")).isEqualTo("(?<)");
        assertThat(c.names()).containsExactly(null, "n", null);
    }

    @Test
    void classesThatOpenWithABracketOrAPosixName() {
        Captures c = match("[]a(]+(?<b>[[:digit:]]+)", "](a1");
        assertThat(named(c, "b")).isEqualTo("1");
    }

    @Test
    void backReferencesByName() {
        assertThat(match("(?<q>['\"])x\\k<q>", "'x'").groups()[0]).isEqualTo("'x'");
        assertThat(NginxRegex.compile("(?P<q>a)\\k{q}", false).matcher("aa").matches()).isTrue();
    }

    @Test
    void caselessAndNoNames() {
        NginxRegex re = NginxRegex.compile("^/API/(v[0-9])", true);
        assertThat(re.hasNames()).isFalse();
        Matcher m = re.matcher("/api/v2");
        assertThat(m.find()).isTrue();
        assertThat(Arrays.asList(re.captures(m).groups())).containsExactly("/api/v2", "v2");
    }

    @Test
    void invalidNamesAreErrors() {
        assertThatThrownBy(() -> NginxRegex.compile("(?<1x>a)", false)).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("invalid group name \"1x\"");
        assertThatThrownBy(() -> NginxRegex.compile("(?<a-b>a)", false)).isInstanceOf(PatternSyntaxException.class);
    }

    @Test
    void aNameTakenByAnotherVariableIsADuplicate() throws ConfigException {
        Directive d = ConfigParser.parseString("location ~ (?<uri>.*) { }", "t.conf").first("location");
        VariableRegistry variables = VariableRegistry.withCoreVariables();
        assertThatThrownBy(() -> NginxRegex.compile(d, "(?<uri>.*)", false, variables, " in location"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("the duplicate \"uri\" variable in t.conf:1");
        NginxRegex.compile(d, "(?<mine>.*)", false, variables, " in location");
        NginxRegex.compile(d, "(?<mine>x)", false, variables, " in location"); // declared again: the same variable
        assertThat(variables.isDefined("mine")).isTrue();
        assertThatThrownBy(() -> NginxRegex.compile(d, "(", false, variables, " in location"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid regular expression \"(\" in location: ");
    }
}
