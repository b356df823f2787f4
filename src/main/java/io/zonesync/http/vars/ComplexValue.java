package io.zonesync.http.vars;

import io.zonesync.config.ConfigException;
import io.zonesync.config.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * A directive argument with variables, such as {@code "https://$host$request_uri"} or
 * {@code ${var}text}, compiled once when the configuration is read: each variable is looked up then,
 * so an unknown one is a configuration error with FILE:LINE, and evaluating it per request costs a
 * pass over a few segments. {@code $1}..{@code $9} are the captures of the last regular expression
 * matched (a single digit, as in nginx: {@code $12} is capture 1 then "2").
 *
 * <p>Immutable and thread-safe.
 */
public final class ComplexValue {
    /** One piece of a complex value: literal text, or a variable (with its name, for logs that escape). */
    public sealed interface Segment permits Literal, VariableRef {
    }

    public record Literal(String text) implements Segment {
    }

    public record VariableRef(String name, Variable variable) implements Segment {
    }

    private final String source;
    private final List<Segment> segments;
    /**
     * The value when it has no variables, else null; and the variable when it is the whole value.
     * Most values are one or the other (proxy_set_header's defaults: {@code $proxy_host} and constants),
     * and answering them without a StringBuilder and an iterator per request matters on the proxy path.
     */
    private final String constant;
    private final Variable only;

    private ComplexValue(String source, List<Segment> segments) {
        this.source = source;
        this.segments = List.copyOf(segments);
        this.constant = constantText(this.segments);
        this.only = this.segments.size() == 1 && this.segments.get(0) instanceof VariableRef r ? r.variable() : null;
    }

    private static String constantText(List<Segment> segments) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (!(s instanceof Literal l)) {
                return null;
            }
            sb.append(l.text());
        }
        return sb.toString();
    }

    /** A value without variables. */
    public static ComplexValue constant(String text) {
        return new ComplexValue(text, text.isEmpty() ? List.of() : List.of(new Literal(text)));
    }

    /**
     * Compiles {@code text}. Errors, in nginx's words: {@code unknown "foo" variable},
     * {@code invalid variable name in "..."}, {@code the closing bracket in "foo" variable is missing}.
     */
    public static ComplexValue compile(String text, VariableRegistry variables, SourceLocation where)
            throws ConfigException {
        List<Segment> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            i++;
            if (i == text.length()) {
                throw new ConfigException("invalid variable name in \"" + text + "\"", where);
            }
            boolean braced = text.charAt(i) == '{';
            if (braced) {
                i++;
            }
            int start = i;
            if (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            } else {
                while (i < text.length() && isNameChar(text.charAt(i))) {
                    i++;
                }
            }
            String name = text.substring(start, i);
            if (braced) {
                if (i >= text.length() || text.charAt(i) != '}') {
                    throw new ConfigException("the closing bracket in \"" + text.substring(start, i)
                            + "\" variable is missing", where);
                }
                i++;
            }
            if (name.isEmpty()) {
                throw new ConfigException("invalid variable name in \"" + text + "\"", where);
            }
            Variable v = variables.lookup(name);
            if (v == null) {
                throw new ConfigException("unknown \"" + name + "\" variable", where);
            }
            if (literal.length() > 0) {
                out.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            out.add(new VariableRef(name, v));
        }
        if (literal.length() > 0) {
            out.add(new Literal(literal.toString()));
        }
        return new ComplexValue(text, out);
    }

    /** Whether {@code text} mentions a variable at all (a cheap test before compiling). */
    public static boolean hasVariables(String text) {
        return text.indexOf('$') >= 0;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** The value for this request; a variable that is not found contributes nothing. */
    public String evaluate(RequestView request) {
        if (constant != null) {
            return constant;
        }
        if (only != null) {
            String v = only.value(request);
            return v == null ? "" : v;
        }
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (s instanceof Literal l) {
                sb.append(l.text());
            } else {
                String v = ((VariableRef) s).variable().value(request);
                if (v != null) {
                    sb.append(v);
                }
            }
        }
        return sb.toString();
    }

    public boolean isConstant() {
        return constant != null;
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The text as written in the configuration. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
