package io.zonesync.http.accesslog;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.Values;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * One {@code access_log path [format [buffer=size] [flush=time] [if=condition]]}: where, in what
 * format, and when a request is logged (not when the condition is empty or "0"). Immutable.
 */
public record AccessLog(Path path, LogFormat format, int bufferSize, long flushMs, ComplexValue condition) {

    /** Flush interval of a buffered log without {@code flush=}. */
    public static final long DEFAULT_FLUSH_MS = 1000;

    /**
     * Compiles one {@code access_log} other than {@code off}. {@code formats} holds the
     * configuration's {@code log_format}s by name, {@code combined} included.
     */
    public static AccessLog compile(Directive d, Map<String, LogFormat> formats, ParsedConfig config,
            VariableRegistry variables) throws ConfigException {
        String target = d.arg(0);
        if (target.startsWith("syslog:")) {
            throw d.error("access_log to syslog is not supported: \"%s\"", target);
        }
        if (ComplexValue.hasVariables(target)) {
            throw d.error("variables in the access_log path \"%s\" are not supported", target);
        }
        LogFormat format = formats.get("combined");
        if (d.argCount() > 1) {
            format = formats.get(d.arg(1));
            if (format == null) {
                throw d.error("unknown log format \"%s\"", d.arg(1));
            }
        }
        int buffer = 0;
        long flush = 0;
        ComplexValue condition = null;
        for (String p : d.args().subList(Math.min(2, d.argCount()), d.argCount())) {
            String v;
            if ((v = Values.param(p, "buffer")) != null) {
                long size = Values.size(d, v);
                if (size <= 0 || size > Integer.MAX_VALUE) {
                    throw d.error("invalid buffer size \"%s\"", v);
                }
                buffer = (int) size;
            } else if ((v = Values.param(p, "flush")) != null) {
                flush = Values.timeMs(d, v);
                if (flush <= 0) {
                    throw d.error("invalid flush time \"%s\"", v);
                }
            } else if ((v = Values.param(p, "if")) != null) {
                condition = ComplexValue.compile(v, variables, d.where());
            } else if (p.equals("gzip") || p.startsWith("gzip=")) {
                throw d.error("gzip in \"access_log\" is not supported");
            } else {
                throw d.error("invalid parameter \"%s\"", p);
            }
        }
        if (flush > 0 && buffer == 0) {
            buffer = 64 * 1024; // nginx: flush= alone implies a 64k buffer
        }
        if (buffer > 0 && flush == 0) {
            flush = DEFAULT_FLUSH_MS;
        }
        return new AccessLog(config.resolve(target), format, buffer, flush, condition);
    }

    /** Whether this request is logged here. */
    public boolean accepts(RequestView request) {
        if (condition == null) {
            return true;
        }
        String v = condition.evaluate(request);
        return !v.isEmpty() && !v.equals("0");
    }
}
