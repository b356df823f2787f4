package io.zonesync.http.healthcheck;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match NAME { ... }} block of NGINX Plus: the conditions a health check's response must
 * all meet — {@code status [!] CODE|LOW-HIGH ...}, {@code header NAME [= | != | ~ | !~ VALUE]},
 * {@code header ! NAME}, {@code body ~ | !~ REGEX}, {@code require $VAR ...}. Without a match block
 * a check passes on a 2xx or 3xx status ({@link #DEFAULT}). Immutable.
 */
public record MatchSpec(String name, List<Condition> conditions) {

    /** What a check passes on without {@code match=}. */
    public static final MatchSpec DEFAULT = new MatchSpec("",
            List.of(new Status(false, List.of(new int[] {200, 399}))));

    public MatchSpec {
        conditions = List.copyOf(conditions);
    }

    public boolean test(ProbeResponse response) {
        for (Condition c : conditions) {
            if (!c.test(response)) {
                return false;
            }
        }
        return true;
    }

    /** One line of a match block. */
    public sealed interface Condition {
        boolean test(ProbeResponse response);
    }

    /** {@code status [!] CODE|LOW-HIGH ...}: the status is (not) one of the codes or ranges. */
    public record Status(boolean negated, List<int[]> ranges) implements Condition {
        @Override
        public boolean test(ProbeResponse r) {
            boolean in = false;
            for (int[] range : ranges) {
                in |= r.status() >= range[0] && r.status() <= range[1];
            }
            return in != negated;
        }
    }

    /**
     * {@code header NAME} (present), {@code header ! NAME} (absent), {@code header NAME = | != VALUE}
     * (some field of that name has / none has that value), {@code header NAME ~ | !~ REGEX}.
     */
    public record Header(String field, String op, String value, Pattern regex) implements Condition {
        @Override
        public boolean test(ProbeResponse r) {
            List<String> values = r.headers().getOrDefault(field, List.of());
            return switch (op) {
                case "" -> !values.isEmpty();
                case "!" -> values.isEmpty();
                case "=" -> values.contains(value);
                case "!=" -> !values.isEmpty() && !values.contains(value);
                case "~" -> values.stream().anyMatch(v -> regex.matcher(v).find());
                default -> !values.isEmpty() && values.stream().noneMatch(v -> regex.matcher(v).find());
            };
        }
    }

    /** {@code body ~ | !~ REGEX}, on the first {@link ProbeResponse#MAX_BODY} bytes. */
    public record Body(boolean negated, Pattern regex) implements Condition {
        @Override
        public boolean test(ProbeResponse r) {
            return regex.matcher(r.body()).find() != negated;
        }
    }

    /**
     * {@code require $VAR ...}: every value is neither empty nor "0", evaluated for the check
     * ({@link CheckRequest}: the response's {@code $upstream_*} variables, maps over them...).
     */
    public record Require(List<ComplexValue> values) implements Condition {
        @Override
        public boolean test(ProbeResponse r) {
            CheckRequest request = new CheckRequest(r);
            for (ComplexValue v : values) {
                String value = v.evaluate(request);
                if (value.isEmpty() || value.equals("0")) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Reads a {@code match} block whose {@code require} lines may use {@code variables}; errors name the line. */
    public static MatchSpec parse(Directive match, VariableRegistry variables) throws ConfigException {
        if (!match.hasBlock()) {
            throw match.error("directive \"match\" has no opening \"{\"");
        }
        List<Condition> out = new ArrayList<>();
        for (Directive d : match.block().directives()) {
            out.add(switch (d.name()) {
                case "status" -> status(d);
                case "header" -> header(d);
                case "body" -> body(d);
                case "require" -> require(d, variables);
                default -> throw d.error("unknown directive \"%s\"", d.name());
            });
        }
        return new MatchSpec(match.arg(0), out);
    }

    private static Condition require(Directive d, VariableRegistry variables) throws ConfigException {
        if (d.argCount() == 0) {
            throw d.error("invalid number of arguments in \"require\" directive");
        }
        List<ComplexValue> values = new ArrayList<>();
        for (String a : d.args()) {
            if (!a.startsWith("$")) {
                throw d.error("invalid variable name \"%s\"", a);
            }
            values.add(ComplexValue.compile(a, variables, d.where()));
        }
        return new Require(values);
    }

    private static Condition status(Directive d) throws ConfigException {
        List<String> args = new ArrayList<>(d.args());
        boolean negated = !args.isEmpty() && args.get(0).equals("!");
        if (negated) {
            args.remove(0);
        }
        if (args.isEmpty()) {
            throw d.error("invalid number of arguments in \"status\" directive");
        }
        List<int[]> ranges = new ArrayList<>();
        for (String a : args) {
            int dash = a.indexOf('-');
            int low = code(d, dash < 0 ? a : a.substring(0, dash));
            int high = dash < 0 ? low : code(d, a.substring(dash + 1));
            if (high < low) {
                throw d.error("invalid status range \"%s\"", a);
            }
            ranges.add(new int[] {low, high});
        }
        return new Status(negated, ranges);
    }

    private static int code(Directive d, String text) throws ConfigException {
        try {
            int code = Integer.parseInt(text);
            if (code >= 100 && code <= 999) {
                return code;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw d.error("invalid status \"%s\"", text);
    }

    private static Condition header(Directive d) throws ConfigException {
        List<String> a = d.args();
        if (a.size() == 1 && !a.get(0).equals("!")) {
            return new Header(a.get(0).toLowerCase(), "", null, null);
        }
        if (a.size() == 2 && a.get(0).equals("!")) {
            return new Header(a.get(1).toLowerCase(), "!", null, null);
        }
        if (a.size() == 3) {
            String op = a.get(1);
            String field = a.get(0).toLowerCase();
            switch (op) {
                case "=", "!=" -> {
                    return new Header(field, op, a.get(2), null);
                }
                case "~", "!~" -> {
                    return new Header(field, op, a.get(2), regex(d, a.get(2)));
                }
                default -> throw d.error("invalid operator \"%s\"", op);
            }
        }
        throw d.error("invalid number of arguments in \"header\" directive");
    }

    private static Condition body(Directive d) throws ConfigException {
        if (d.argCount() != 2) {
            throw d.error("invalid number of arguments in \"body\" directive");
        }
        if (!d.arg(0).equals("~") && !d.arg(0).equals("!~")) {
            throw d.error("invalid operator \"%s\"", d.arg(0));
        }
        return new Body(d.arg(0).equals("!~"), regex(d, d.arg(1)));
    }

    private static Pattern regex(Directive d, String text) throws ConfigException {
        try {
            return NginxRegex.compile(text, false).pattern();
        } catch (PatternSyntaxException e) {
            throw d.error("invalid regular expression \"%s\": %s", text, e.getDescription());
        }
    }
}
