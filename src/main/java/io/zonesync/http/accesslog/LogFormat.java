package io.zonesync.http.accesslog;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableRegistry;
import java.util.List;

/** A compiled {@code log_format}: literal text and variables, with the format's escaping. Immutable. */
public final class LogFormat {
    /** nginx's predefined format. */
    public static final String COMBINED_TEXT = "$remote_addr - $remote_user [$time_local] \"$request\" "
            + "$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private final String name;
    private final LogEscape escape;
    private final List<ComplexValue.Segment> segments;

    private LogFormat(String name, LogEscape escape, ComplexValue value) {
        this.name = name;
        this.escape = escape;
        this.segments = value.segments();
    }

    public static LogFormat combined(VariableRegistry variables) {
        try {
            return new LogFormat("combined", LogEscape.DEFAULT,
                    ComplexValue.compile(COMBINED_TEXT, variables, SourceLocation.COMMAND_LINE));
        } catch (ConfigException e) {
            throw new IllegalStateException("the combined format uses only core variables", e);
        }
    }

    /** {@code log_format name [escape=default|json|none] string ...}; the strings are joined. */
    public static LogFormat compile(Directive d, VariableRegistry variables) throws ConfigException {
        String name = d.arg(0);
        int first = 1;
        LogEscape escape = LogEscape.DEFAULT;
        String e = d.arg(1).startsWith("escape=") ? d.arg(1).substring(7) : null;
        if (e != null) {
            escape = switch (e) {
                case "default" -> LogEscape.DEFAULT;
                case "json" -> LogEscape.JSON;
                case "none" -> LogEscape.NONE;
                default -> throw d.error("unknown log format escaping \"%s\"", e);
            };
            first = 2;
            if (d.argCount() < 3) {
                throw d.error("invalid number of arguments in \"log_format\" directive");
            }
        }
        String text = String.join("", d.args().subList(first, d.argCount()));
        return new LogFormat(name, escape, ComplexValue.compile(text, variables, d.where()));
    }

    public String name() {
        return name;
    }

    /** The line for a request, without the newline. */
    public String format(RequestView request) {
        StringBuilder out = new StringBuilder(128);
        for (ComplexValue.Segment s : segments) {
            if (s instanceof ComplexValue.Literal l) {
                out.append(l.text());
            } else {
                escape.append(out, ((ComplexValue.VariableRef) s).variable().value(request));
            }
        }
        return out.toString();
    }
}
