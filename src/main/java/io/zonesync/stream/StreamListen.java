package io.zonesync.stream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.net.Endpoint;

/**
 * A stream {@code listen address|port|unix:path [ssl] [udp] [proxy_protocol] [reuseport] [backlog=N]
 * [so_keepalive=on|off|[idle]:[intvl]:[cnt]]}.
 *
 * @param keepalive the {@code so_keepalive} setting, or null to leave the system's default
 */
public record StreamListen(Endpoint endpoint, boolean ssl, boolean udp, boolean proxyProtocol, int backlog,
        KeepAlive keepalive, Directive directive) {

    /**
     * {@code so_keepalive}: on or off, and the TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT values
     * (seconds, seconds, count; 0 leaves the system's).
     */
    public record KeepAlive(boolean on, int idleSeconds, int intervalSeconds, int count) {
    }

    public static StreamListen parse(Directive d) throws ConfigException {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(d.arg(0), -1, true);
        } catch (Endpoint.ParseException e) {
            throw d.error("%s of the \"listen\" directive", e.getMessage());
        }
        boolean ssl = false;
        boolean udp = false;
        boolean proxyProtocol = false;
        int backlog = 511;
        KeepAlive keepalive = null;
        for (String a : d.args().subList(1, d.argCount())) {
            if (a.equals("ssl")) {
                ssl = true;
            } else if (a.equals("udp")) {
                udp = true;
            } else if (a.equals("proxy_protocol")) {
                proxyProtocol = true;
            } else if (a.startsWith("backlog=")) {
                backlog = Values.positiveInt(d, a.substring(8));
            } else if (a.startsWith("so_keepalive=")) {
                keepalive = keepAlive(d, a.substring(13));
            } else if (!(a.equals("reuseport") || a.equals("bind"))) {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        if (udp && (ssl || proxyProtocol)) {
            throw d.error("\"%s\" parameter is incompatible with \"udp\"", ssl ? "ssl" : "proxy_protocol");
        }
        return new StreamListen(endpoint, ssl, udp, proxyProtocol, backlog, keepalive, d);
    }

    private static KeepAlive keepAlive(Directive d, String v) throws ConfigException {
        if (v.equals("on") || v.equals("off")) {
            return new KeepAlive(v.equals("on"), 0, 0, 0);
        }
        String[] parts = v.split(":", -1);
        if (parts.length != 3) {
            throw d.error("invalid so_keepalive value: \"%s\"", v);
        }
        try {
            int idle = parts[0].isEmpty() ? 0 : (int) (Values.timeMs(d, parts[0]) / 1000);
            int interval = parts[1].isEmpty() ? 0 : (int) (Values.timeMs(d, parts[1]) / 1000);
            int count = parts[2].isEmpty() ? 0 : Values.positiveInt(d, parts[2]);
            return new KeepAlive(true, idle, interval, count);
        } catch (ConfigException e) {
            throw d.error("invalid so_keepalive value: \"%s\"", v);
        }
    }
}
