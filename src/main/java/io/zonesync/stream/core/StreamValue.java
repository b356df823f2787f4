package io.zonesync.stream.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.SourceLocation;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream directive argument with variables ({@code "$remote_addr:$server_port"}, {@code ${name}x}),
 * compiled once: an unknown variable is a configuration error naming FILE:LINE, in nginx's words.
 * Immutable.
 */
public final class StreamValue {
    /** Literal text or a variable, with its name for logs. */
    public sealed interface Part permits Text, Var {
    }

    public record Text(String text) implements Part {
    }

    public record Var(String name, StreamVariable variable) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private StreamValue(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /** Whether {@code text} mentions a variable. */
    public static boolean hasVariables(String text) {
        return text.indexOf('$') >= 0;
    }

    public static StreamValue compile(String text, StreamVariables variables, SourceLocation where)
            throws ConfigException {
        List<Part> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c != '$') {
                literal.append(c);
                continue;
            }
            boolean braced = i < text.length() && text.charAt(i) == '{';
            if (braced) {
                i++;
            }
            int start = i;
            while (i < text.length() && isNameChar(text.charAt(i))) {
                i++;
            }
            String name = text.substring(start, i);
            if (braced) {
                if (i >= text.length() || text.charAt(i) != '}') {
                    throw new ConfigException("the closing bracket in \"" + name + "\" variable is missing", where);
                }
                i++;
            }
            if (name.isEmpty()) {
                throw new ConfigException("invalid variable name in \"" + text + "\"", where);
            }
            StreamVariable v = variables.lookup(name);
            if (v == null) {
                throw new ConfigException("unknown \"" + name + "\" variable", where);
            }
            if (literal.length() > 0) {
                out.add(new Text(literal.toString()));
                literal.setLength(0);
            }
            out.add(new Var(name, v));
        }
        if (literal.length() > 0) {
            out.add(new Text(literal.toString()));
        }
        return new StreamValue(text, out);
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** The value for a session; a variable not found adds nothing. */
    public String evaluate(StreamSession session) {
        if (parts.size() == 1 && parts.get(0) instanceof Text t) {
            return t.text();
        }
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                sb.append(t.text());
            } else {
                String v = ((Var) p).variable().value(session);
                if (v != null) {
                    sb.append(v);
                }
            }
        }
        return sb.toString();
    }

    public List<Part> parts() {
        return parts;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
