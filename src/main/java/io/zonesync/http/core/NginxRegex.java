package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression as nginx's configuration writes it (PCRE), compiled for Java: the named
 * groups of PCRE's three spellings ({@code (?<name>...)}, {@code (?P<name>...)},
 * {@code (?'name'...)}), whose names may hold underscores Java refuses, become plain groups with
 * their names kept by number, so that a match sets {@code $name} as nginx does, besides
 * {@code $1}..{@code $9}; and character classes are written as Java reads what PCRE reads (a
 * leading {@code ]}, a {@code [} inside, POSIX names such as {@code [:digit:]}). Immutable.
 */
public final class NginxRegex {
    private final Pattern pattern;
    /** Group number to name; null for an unnamed group; index 0 (the whole match) is null. */
    private final List<String> names;

    private NginxRegex(Pattern pattern, List<String> names) {
        this.pattern = pattern;
        this.names = names;
    }

    /** Compiles {@code source}; PatternSyntaxException as {@link Pattern#compile} throws it. */
    public static NginxRegex compile(String source, boolean caseless) {
        List<String> names = new ArrayList<>();
        names.add(null);
        String java = translate(source, names);
        return new NginxRegex(Pattern.compile(java, caseless ? Pattern.CASE_INSENSITIVE : 0),
                Collections.unmodifiableList(names));
    }

    /**
     * Compiles {@code source} for a directive and declares its named groups as request variables
     * ({@link RequestVariables}); {@code what} completes nginx's error text
     * ({@code invalid regular expression "..." in location}).
     */
    public static NginxRegex compile(Directive d, String source, boolean caseless, VariableRegistry variables,
            String what) throws ConfigException {
        NginxRegex re;
        try {
            re = compile(source, caseless);
        } catch (PatternSyntaxException e) {
            throw d.error("invalid regular expression \"%s\"%s: %s", source, what, e.getDescription());
        }
        re.declareNames(d, variables);
        return re;
    }

    /** Declares {@code $name} for each named group, as nginx does when it compiles the expression. */
    public void declareNames(Directive d, VariableRegistry variables) throws ConfigException {
        for (String name : names) {
            if (name != null && !RequestVariables.declare(variables, name)) {
                throw d.error("the duplicate \"%s\" variable", name);
            }
        }
    }

    public Pattern pattern() {
        return pattern;
    }

    public Matcher matcher(CharSequence input) {
        return pattern.matcher(input);
    }

    /** Whether the expression has named groups. */
    public boolean hasNames() {
        return names.stream().anyMatch(n -> n != null);
    }

    /** The captures of a successful match, with the group names. */
    public Captures captures(Matcher m) {
        return Captures.of(m, names);
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }

    /** PCRE to Java: named groups become plain ones ({@code names} gets every group's name or null). */
    private static String translate(String s, List<String> names) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n) {
                if (s.charAt(i + 1) == 'Q') { // \Q...\E: literal up to \E
                    int end = s.indexOf("\\E", i + 2);
                    int stop = end < 0 ? n : end + 2;
                    out.append(s, i, stop);
                    i = stop;
                    continue;
                }
                if (s.charAt(i + 1) == 'k' && i + 2 < n && "<{'".indexOf(s.charAt(i + 2)) >= 0) {
                    char close = switch (s.charAt(i + 2)) {
                        case '<' -> '>';
                        case '{' -> '}';
                        default -> '\'';
                    };
                    int end = s.indexOf(close, i + 3);
                    if (end > 0) {
                        int group = names.indexOf(s.substring(i + 3, end));
                        if (group > 0) {
                            out.append('\\').append(group);
                            i = end + 1;
                            continue;
                        }
                    }
                }
                out.append(c).append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '[') {
                i = translateClass(s, i, out);
                continue;
            }
            if (c == '(') {
                if (i + 1 < n && s.charAt(i + 1) == '?') {
                    String name = null;
                    int after = -1;
                    if (s.startsWith("(?<", i) && i + 3 < n && s.charAt(i + 3) != '=' && s.charAt(i + 3) != '!') {
                        int end = s.indexOf('>', i + 3);
                        if (end > 0) {
                            name = s.substring(i + 3, end);
                            after = end + 1;
                        }
                    } else if (s.startsWith("(?P<", i)) {
                        int end = s.indexOf('>', i + 4);
                        if (end > 0) {
                            name = s.substring(i + 4, end);
                            after = end + 1;
                        }
                    } else if (s.startsWith("(?'", i)) {
                        int end = s.indexOf('\'', i + 3);
                        if (end > 0) {
                            name = s.substring(i + 3, end);
                            after = end + 1;
                        }
                    }
                    if (name != null) {
                        if (!validName(name)) {
                            throw new PatternSyntaxException("invalid group name \"" + name + "\"", s, i);
                        }
                        names.add(name);
                        out.append('(');
                        i = after;
                        continue;
                    }
                    out.append(c); // (?:, lookaround, inline flags: no group
                    i++;
                    continue;
                }
                names.add(null);
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** PCRE's POSIX classes inside brackets, as Java writes them. */
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\d"),
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("space", "\\s"),
            Map.entry("upper", "\\p{Upper}"), Map.entry("lower", "\\p{Lower}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("xdigit", "\\p{XDigit}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("print", "\\p{Print}"),
            Map.entry("word", "\\w"), Map.entry("ascii", "\\p{ASCII}"));

    /**
     * Copies the character class starting at {@code start} as Java reads it and returns the index
     * after it. PCRE reads a leading {@code ]} and any {@code [} or {@code &&} inside as plain
     * characters, and has POSIX names ({@code [:digit:]}); Java needs them written otherwise.
     */
    private static int translateClass(String s, int start, StringBuilder out) {
        int i = start + 1;
        out.append('[');
        if (i < s.length() && s.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        if (i < s.length() && s.charAt(i) == ']') {
            out.append("\\]");
            i++;
        }
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(c).append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '[' && s.startsWith("[:", i)) {
                int end = s.indexOf(":]", i + 2);
                if (end > 0) {
                    String name = s.substring(i + 2, end);
                    boolean negated = name.startsWith("^");
                    String java = POSIX.get(negated ? name.substring(1) : name);
                    if (java != null) {
                        out.append(negated ? "[^" + java + "]" : java);
                        i = end + 2;
                        continue;
                    }
                }
            }
            if (c == '[') {
                out.append("\\[");
                i++;
                continue;
            }
            if (c == '&' && i + 1 < s.length() && s.charAt(i + 1) == '&') {
                out.append("&\\&");
                i += 2;
                continue;
            }
            out.append(c);
            i++;
            if (c == ']') {
                return i;
            }
        }
        return i;
    }

    private static boolean validName(String name) {
        if (name.isEmpty() || name.length() > 32 || Character.isDigit(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(ch -> ch == '_' || ch < 128 && Character.isLetterOrDigit(ch));
    }
}
