package io.zonesync.stream.accesslog;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.accesslog.AccessLogWriter;
import io.zonesync.http.accesslog.LogEscape;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's stream log module: {@code log_format name [escape=default|json|none] string ...} and
 * {@code access_log path format [buffer=size] [flush=time] [if=condition] | off}, written when the
 * session ends by the node's access log writer (shared with http's, so lines never wait on a disk).
 * Without a writer (at {@code -t}) each file is only opened and closed, as nginx's check does.
 */
public final class StreamAccessLogFeature implements StreamFeature {
    private final AccessLogWriter writer;
    private final Map<String, Format> formats = new HashMap<>();

    /** A compiled {@code log_format}. */
    private record Format(LogEscape escape, StreamValue value) {
        String line(StreamSession s) {
            StringBuilder out = new StringBuilder();
            for (StreamValue.Part p : value.parts()) {
                if (p instanceof StreamValue.Text t) {
                    out.append(t.text());
                } else {
                    escape.append(out, ((StreamValue.Var) p).variable().value(s));
                }
            }
            return out.toString();
        }
    }

    /** One {@code access_log}: where, how, and when. */
    private record Log(AccessLog file, Format format, StreamValue condition) {
        boolean accepts(StreamSession s) {
            if (condition == null) {
                return true;
            }
            String v = condition.evaluate(s);
            return !v.isEmpty() && !v.equals("0");
        }
    }

    /** {@code writer} null: a check, which opens nothing for good. */
    public StreamAccessLogFeature(AccessLogWriter writer) {
        this.writer = writer;
    }

    @Override
    public void finishVariables(StreamCompile stream) throws ConfigException {
        for (Directive d : stream.scope().block().all("log_format")) {
            int first = 1;
            LogEscape escape = LogEscape.DEFAULT;
            if (d.arg(1).startsWith("escape=")) {
                String e = d.arg(1).substring(7);
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
            if (formats.put(d.arg(0), new Format(escape, StreamValue.compile(text, stream.variables(), d.where())))
                    != null) {
                throw d.error("duplicate \"log_format\" name \"%s\"", d.arg(0));
            }
        }
    }

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        List<Log> logs = new ArrayList<>();
        for (Directive d : server.conf().scope().effective("access_log")) {
            if (d.arg(0).equals("off")) {
                if (d.argCount() > 1) {
                    throw d.error("invalid parameter \"%s\"", d.arg(1));
                }
                continue;
            }
            logs.add(compile(d, stream));
        }
        if (logs.isEmpty()) {
            return;
        }
        List<AccessLog> files = logs.stream().map(Log::file).toList();
        try {
            if (writer == null) {
                for (AccessLog f : files) {
                    AccessLogWriter.probe(f.path());
                }
            } else {
                writer.open(files);
            }
        } catch (IOException e) {
            throw new ConfigException(e.getMessage(), null, e);
        }
        server.log(session -> {
            for (Log l : logs) {
                if (l.accepts(session)) {
                    writer.write(l.file(), l.format().line(session));
                }
            }
        });
    }

    private Log compile(Directive d, StreamCompile stream) throws ConfigException {
        String target = d.arg(0);
        if (target.startsWith("syslog:")) {
            throw d.error("access_log to syslog is not supported: \"%s\"", target);
        }
        if (StreamValue.hasVariables(target)) {
            throw d.error("variables in the access_log path \"%s\" are not supported", target);
        }
        if (d.argCount() < 2) {
            throw d.error("invalid number of arguments in \"access_log\" directive");
        }
        Format format = formats.get(d.arg(1));
        if (format == null) {
            throw d.error("unknown log format \"%s\"", d.arg(1));
        }
        int buffer = 0;
        long flush = 0;
        StreamValue condition = null;
        for (String p : d.args().subList(2, d.argCount())) {
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
                condition = StreamValue.compile(v, stream.variables(), d.where());
            } else if (p.equals("gzip") || p.startsWith("gzip=")) {
                throw d.error("gzip in \"access_log\" is not supported");
            } else {
                throw d.error("invalid parameter \"%s\"", p);
            }
        }
        if (flush > 0 && buffer == 0) {
            buffer = 64 * 1024;
        }
        if (buffer > 0 && flush == 0) {
            flush = AccessLog.DEFAULT_FLUSH_MS;
        }
        Path path = stream.config().resolve(target);
        return new Log(new AccessLog(path, null, buffer, flush, null), format, condition);
    }
}
