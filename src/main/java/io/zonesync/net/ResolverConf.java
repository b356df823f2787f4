package io.zonesync.net;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code resolver address[:port] ... [valid=time] [ipv4=on|off] [ipv6=on|off] [status_zone=name]}
 * with {@code resolver_timeout} (default 30s): where to ask, and how long answers are kept
 * ({@code valid} overrides the records' TTL when set; null means the TTL applies), and the status
 * zone its queries are counted in ({@code status_zone}, null without one: see
 * {@code dns.ResolverZones}).
 */
public record ResolverConf(List<Endpoint> servers, Long validMs, boolean ipv4, boolean ipv6, long timeoutMs,
        String statusZone) {
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    public static ResolverConf parse(Directive resolver, Directive timeout) throws ConfigException {
        List<Endpoint> servers = new ArrayList<>();
        Long valid = null;
        boolean ipv4 = true;
        boolean ipv6 = true;
        String statusZone = null;
        for (String a : resolver.args()) {
            String v;
            if ((v = Values.param(a, "valid")) != null) {
                valid = Values.timeMs(resolver, v);
            } else if ((v = Values.param(a, "ipv4")) != null) {
                ipv4 = onOff(resolver, "ipv4", v);
            } else if ((v = Values.param(a, "ipv6")) != null) {
                ipv6 = onOff(resolver, "ipv6", v);
            } else if ((v = Values.param(a, "status_zone")) != null) {
                if (v.isEmpty()) {
                    throw resolver.error("invalid parameter \"%s\": a status zone needs a name", a);
                }
                statusZone = v;
            } else {
                Endpoint server;
                try {
                    server = Endpoint.parse(a, 53, false);
                } catch (Endpoint.ParseException e) {
                    throw resolver.error("%s of the \"resolver\" directive", e.getMessage());
                }
                // as nginx, a name server given by name must resolve when the configuration is read
                try {
                    InetAddress.getAllByName(server.host());
                } catch (UnknownHostException e) {
                    throw resolver.error("host not found in resolver \"%s\"", a);
                }
                servers.add(server);
            }
        }
        if (servers.isEmpty()) {
            throw resolver.error("no name servers defined in \"resolver\"");
        }
        if (!ipv4 && !ipv6) {
            throw resolver.error("\"ipv4\" and \"ipv6\" cannot both be \"off\"");
        }
        long timeoutMs = timeout == null ? DEFAULT_TIMEOUT_MS : Values.timeMs(timeout, timeout.arg(0));
        return new ResolverConf(List.copyOf(servers), valid, ipv4, ipv6, timeoutMs, statusZone);
    }

    private static boolean onOff(Directive d, String name, String v) throws ConfigException {
        if (v.equals("on")) {
            return true;
        }
        if (v.equals("off")) {
            return false;
        }
        throw d.error("invalid parameter \"%s=%s\"", name, v);
    }
}
