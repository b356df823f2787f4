package io.zonesync.http.healthcheck;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;

/**
 * One {@code health_check} directive's parameters: {@code interval=time} (5s), {@code jitter=time}
 * (0), {@code fails=n} (1), {@code passes=n} (1), {@code match=name}, {@code port=n} (the server's
 * own port when absent), {@code mandatory} and {@code persistent}; in http also {@code uri=uri} (/)
 * and {@code keepalive_time=time}, in stream {@code udp}. Immutable.
 *
 * @param port 0 for each server's own port
 * @param match the name of the match block, or null
 * @param keepaliveTimeMs how long one connection to a server carries checks; 0: one connection per check
 * @param udp a stream check over UDP
 */
public record HealthCheckSpec(long intervalMs, long jitterMs, int fails, int passes, String uri, String match,
        int port, boolean mandatory, boolean persistent, long keepaliveTimeMs, boolean udp) {

    /** Reads an http location's directive; errors name its line. */
    public static HealthCheckSpec parse(Directive d) throws ConfigException {
        return parse(d, false);
    }

    /** Reads a stream server's directive; errors name its line. */
    public static HealthCheckSpec parseStream(Directive d) throws ConfigException {
        return parse(d, true);
    }

    private static HealthCheckSpec parse(Directive d, boolean stream) throws ConfigException {
        long interval = 5000;
        long jitter = 0;
        int fails = 1;
        int passes = 1;
        String uri = "/";
        String match = null;
        int port = 0;
        boolean mandatory = false;
        boolean persistent = false;
        long keepaliveTime = 0;
        boolean udp = false;
        for (String a : d.args()) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String value = eq < 0 ? null : a.substring(eq + 1);
            switch (eq < 0 ? "flag:" + key : (stream ? "stream:" : "") + key) {
                case "interval", "stream:interval" -> interval = Values.positiveTimeMs(d, value);
                case "jitter", "stream:jitter" -> jitter = Values.timeMs(d, value);
                case "fails", "stream:fails" -> fails = Values.positiveInt(d, value);
                case "passes", "stream:passes" -> passes = Values.positiveInt(d, value);
                case "uri" -> {
                    if (value.isEmpty()) {
                        throw d.error("invalid parameter \"%s\"", a);
                    }
                    uri = value;
                }
                case "match", "stream:match" -> match = value;
                case "port", "stream:port" -> {
                    port = Values.positiveInt(d, value);
                    if (port > 65535) {
                        throw d.error("invalid port \"%s\"", value);
                    }
                }
                case "flag:mandatory" -> mandatory = true;
                case "flag:persistent" -> persistent = true;
                case "keepalive_time" -> keepaliveTime = Values.positiveTimeMs(d, value);
                case "type" -> throw d.error("parameter \"type=%s\" of \"health_check\" is not supported: only http"
                        + " checks are made", value);
                default -> {
                    if (stream && a.equals("udp")) {
                        udp = true;
                    } else {
                        throw d.error("invalid parameter \"%s\"", a);
                    }
                }
            }
        }
        if (persistent && !mandatory) {
            throw d.error("\"persistent\" requires \"mandatory\"");
        }
        return new HealthCheckSpec(interval, jitter, fails, passes, uri, match, port, mandatory, persistent,
                keepaliveTime, udp);
    }
}
