package io.zonesync.http.upstream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One address of an upstream {@code server} line, with its parameters. A name that resolves to
 * several addresses gives one spec per address, as nginx does. A {@code resolve} line is kept as
 * a template (no address) that DNS answers turn into specs ({@link #at}).
 *
 * @param name the address as written ({@code backend.local:8080})
 * @param address the resolved socket address; null in a {@code resolve} template
 * @param maxConns the most connections to this server at once ({@code max_conns=}), 0 for no limit
 * @param route the {@code route=} value, or null
 * @param drain only requests bound to the server by {@code sticky} go to it
 * @param resolve the name is looked up again at run time ({@code resolve})
 * @param service the SRV service name ({@code service=}), or null for A/AAAA
 * @param slowStartMs how long the server takes to regain its weight after being unavailable
 *     ({@code slow_start=}), 0 for at once
 */
public record ServerSpec(String name, InetSocketAddress address, int weight, int maxFails, long failTimeoutMs,
        int maxConns, boolean backup, boolean down, String route, SourceLocation where, boolean drain,
        boolean resolve, String service, long slowStartMs) {

    /** A static server (no drain, no run-time resolution). */
    public ServerSpec(String name, InetSocketAddress address, int weight, int maxFails, long failTimeoutMs,
            int maxConns, boolean backup, boolean down, String route, SourceLocation where) {
        this(name, address, weight, maxFails, failTimeoutMs, maxConns, backup, down, route, where, false, false,
                null, 0);
    }

    /** This template's server at one address DNS gave. */
    public ServerSpec at(InetSocketAddress resolved) {
        return new ServerSpec(name, resolved, weight, maxFails, failTimeoutMs, maxConns, backup, down, route, where,
                drain, resolve, service, slowStartMs);
    }

    /** This SRV template's server at one address of an SRV record's target, with the record's weight and rank. */
    public ServerSpec at(InetSocketAddress resolved, int srvWeight, boolean srvBackup) {
        return new ServerSpec(name, resolved, srvWeight, maxFails, failTimeoutMs, maxConns, srvBackup, down, route,
                where, drain, resolve, service, slowStartMs);
    }

    /** The SRV name this template looks up: {@code _service._tcp.host}, or {@code service.host} when it has a dot. */
    public String srvName() {
        String host = HostPort.parse(name, 80).host();
        return service.indexOf('.') >= 0 ? service + "." + host : "_" + service + "._tcp." + host;
    }

    /** The same server with other run-time parameters (the API's PATCH). */
    public ServerSpec with(int newWeight, int newMaxFails, long newFailTimeoutMs, int newMaxConns, boolean newDown,
            boolean newDrain, long newSlowStartMs) {
        return new ServerSpec(name, address, newWeight, newMaxFails, newFailTimeoutMs, newMaxConns, backup, newDown,
                route, where, newDrain, resolve, service, newSlowStartMs);
    }

    /** What identifies a {@code resolve} line across reloads: its name and service. */
    public String origin() {
        return service == null ? name : service + "." + name;
    }

    public static final int DEFAULT_MAX_FAILS = 1;
    public static final long DEFAULT_FAIL_TIMEOUT_MS = 10_000;
    /** nginx's limit on a server id (route or MD5 hex): 32 bytes. */
    public static final int MAX_SID_LENGTH = 32;

    /** {@code ip:port}, IPv6 in brackets, as {@code $upstream_addr} shows it. */
    public String addressText() {
        return addressText(address);
    }

    public static String addressText(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip == null ? a.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The server id sticky methods bind to: the route, else the hex MD5 of {@code ip:port}. */
    public String sid() {
        if (route != null) {
            return route;
        }
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(addressText().getBytes(StandardCharsets.ISO_8859_1));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }

    /**
     * The specs of one {@code server address [params]} line inside an upstream block; a
     * {@code resolve} line whose host is a name gives one template ({@link #address} null).
     */
    public static List<ServerSpec> parse(Directive d, String upstream) throws ConfigException {
        String target = d.arg(0);
        boolean drain = false;
        boolean resolve = false;
        String service = null;
        int weight = 1;
        int maxFails = DEFAULT_MAX_FAILS;
        long failTimeout = DEFAULT_FAIL_TIMEOUT_MS;
        int maxConns = 0;
        long slowStart = 0;
        boolean backup = false;
        boolean down = false;
        String route = null;
        for (String p : d.args().subList(1, d.argCount())) {
            String v;
            if ((v = Values.param(p, "weight")) != null) {
                weight = positive(d, p, v);
            } else if ((v = Values.param(p, "max_fails")) != null) {
                maxFails = nonNegative(d, p, v);
            } else if ((v = Values.param(p, "fail_timeout")) != null) {
                failTimeout = time(d, p, v);
            } else if ((v = Values.param(p, "slow_start")) != null) {
                slowStart = time(d, p, v);
            } else if ((v = Values.param(p, "max_conns")) != null) {
                maxConns = nonNegative(d, p, v);
            } else if ((v = Values.param(p, "route")) != null) {
                if (v.isEmpty() || v.length() > MAX_SID_LENGTH) {
                    throw d.error("invalid route \"%s\": it must be 1 to %d characters", v, MAX_SID_LENGTH);
                }
                route = v;
            } else if (p.equals("backup")) {
                backup = true;
            } else if (p.equals("down")) {
                down = true;
            } else if (p.equals("drain")) {
                drain = true;
            } else if (p.equals("resolve")) {
                resolve = true;
            } else if ((v = Values.param(p, "service")) != null) {
                if (v.isEmpty()) {
                    throw d.error("invalid parameter \"%s\"", p);
                }
                service = v;
            } else {
                throw d.error("invalid parameter \"%s\"", p);
            }
        }
        if (target.startsWith("unix:")) {
            throw d.error("unix domain socket upstream servers are not supported: \"%s\" in upstream \"%s\"",
                    target, upstream);
        }
        if (service != null && !resolve) {
            throw d.error("service name \"%s\" requires \"resolve\" parameter", service);
        }
        HostPort hp = HostPort.parse(target, 80);
        if (hp == null) {
            throw d.error("invalid port in upstream \"%s\"", target);
        }
        if (service != null && hp.explicitPort()) {
            throw d.error("service with port is not supported: \"%s\" in upstream \"%s\"", target, upstream);
        }
        if (resolve && !isLiteral(hp.host())) {
            return List.of(new ServerSpec(target, null, weight, maxFails, failTimeout, maxConns, backup, down, route,
                    d.where(), drain, true, service, slowStart));
        }
        InetAddress[] ips;
        try {
            ips = InetAddress.getAllByName(hp.host());
        } catch (UnknownHostException e) {
            throw d.error("host not found in upstream \"%s\"", target);
        }
        List<ServerSpec> out = new ArrayList<>();
        for (InetAddress ip : ips) {
            out.add(new ServerSpec(target, new InetSocketAddress(ip, hp.port()), weight, maxFails, failTimeout,
                    maxConns, backup, down, route, d.where(), drain, false, null, slowStart));
        }
        return out;
    }

    /** An IPv4 or IPv6 address as written (nothing to resolve). */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static int positive(Directive d, String param, String v) throws ConfigException {
        int n = nonNegative(d, param, v);
        if (n == 0) {
            throw d.error("invalid parameter \"%s\"", param);
        }
        return n;
    }

    private static int nonNegative(Directive d, String param, String v) throws ConfigException {
        if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) {
            throw d.error("invalid parameter \"%s\"", param);
        }
        return Integer.parseInt(v);
    }

    private static long time(Directive d, String param, String v) throws ConfigException {
        try {
            return Values.timeMs(d, v);
        } catch (ConfigException e) {
            throw d.error("invalid parameter \"%s\"", param);
        }
    }
}
