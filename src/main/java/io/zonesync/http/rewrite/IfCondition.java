package io.zonesync.http.rewrite;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/**
 * The condition of an {@code if}, as nginx's rewrite module reads it: a variable alone (true unless
 * empty or "0"); a variable compared with {@code =} or {@code !=} to a value (which may hold
 * variables); a variable matched with {@code ~}, {@code ~*}, {@code !~} or {@code !~*} against a
 * regular expression, whose captures become {@code $1}... when it matches; or {@code -f},
 * {@code -d}, {@code -e}, {@code -x} and their negations with {@code !} on a path.
 */
sealed interface IfCondition {

    boolean test(HttpExchange ex);

    /** A variable's value: true unless empty or "0". */
    record Truth(ComplexValue variable) implements IfCondition {
        @Override
        public boolean test(HttpExchange ex) {
            String v = variable.evaluate(ex);
            return !v.isEmpty() && !v.equals("0");
        }
    }

    record Equals(ComplexValue variable, ComplexValue value, boolean negated) implements IfCondition {
        @Override
        public boolean test(HttpExchange ex) {
            return variable.evaluate(ex).equals(value.evaluate(ex)) != negated;
        }
    }

    record Matches(ComplexValue variable, NginxRegex regex, boolean negated) implements IfCondition {
        @Override
        public boolean test(HttpExchange ex) {
            Matcher m = regex.matcher(variable.evaluate(ex));
            if (!m.find()) {
                return negated;
            }
            if (!negated) {
                ex.captures(regex.captures(m));
            }
            return !negated;
        }
    }

    /** {@code -f} (a regular file), {@code -d} (a directory), {@code -e} (anything), {@code -x} (executable). */
    record FileTest(char kind, ComplexValue path, boolean negated) implements IfCondition {
        @Override
        public boolean test(HttpExchange ex) {
            boolean yes;
            try {
                Path p = Path.of(path.evaluate(ex));
                yes = switch (kind) {
                    case 'f' -> Files.isRegularFile(p);
                    case 'd' -> Files.isDirectory(p);
                    case 'e' -> Files.exists(p);
                    default -> Files.isExecutable(p) && !Files.isDirectory(p);
                };
            } catch (InvalidPathException e) {
                yes = false;
            }
            return yes != negated;
        }
    }

    /** Parses the arguments of {@code if}, parentheses included, with nginx's errors. */
    static IfCondition parse(Directive d, VariableRegistry variables) throws ConfigException {
        List<String> args = new ArrayList<>(d.args());
        String first = args.get(0);
        if (!first.startsWith("(")) {
            throw d.error("invalid condition \"%s\"", first);
        }
        args.set(0, first.substring(1));
        if (args.get(0).isEmpty()) {
            args.remove(0);
        }
        if (args.isEmpty()) {
            throw d.error("invalid condition \"%s\"", first);
        }
        int last = args.size() - 1;
        String end = args.get(last);
        if (end.equals(")")) {
            args.remove(last);
        } else if (end.endsWith(")")) {
            args.set(last, end.substring(0, end.length() - 1));
        } else {
            throw d.error("invalid condition \"%s\"", end);
        }
        if (args.isEmpty()) {
            throw d.error("invalid condition \"%s\"", first);
        }
        String head = args.get(0);
        if (head.startsWith("$")) {
            ComplexValue variable = value(d, head, variables);
            if (args.size() == 1) {
                return new Truth(variable);
            }
            if (args.size() != 3) {
                throw d.error("invalid condition \"%s\"", String.join(" ", args));
            }
            String op = args.get(1);
            String operand = args.get(2);
            switch (op) {
                case "=", "!=" -> {
                    return new Equals(variable, value(d, operand, variables), op.equals("!="));
                }
                case "~", "~*", "!~", "!~*" -> {
                    NginxRegex re;
                    try {
                        re = NginxRegex.compile(operand, op.endsWith("*"));
                    } catch (PatternSyntaxException e) {
                        throw d.error("pcre_compile() failed: %s in \"%s\"", e.getDescription(), operand);
                    }
                    re.declareNames(d, variables);
                    return new Matches(variable, re, op.startsWith("!"));
                }
                default -> throw d.error("unexpected \"%s\" in condition", op);
            }
        }
        if (args.size() == 2) {
            boolean negated = head.startsWith("!");
            String test = negated ? head.substring(1) : head;
            if (test.length() == 2 && test.charAt(0) == '-' && "fdex".indexOf(test.charAt(1)) >= 0) {
                return new FileTest(test.charAt(1), value(d, args.get(1), variables), negated);
            }
        }
        throw d.error("invalid condition \"%s\"", head);
    }

    private static ComplexValue value(Directive d, String text, VariableRegistry variables) throws ConfigException {
        return ComplexValue.compile(text, variables, d.where());
    }
}
