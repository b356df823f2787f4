package io.zonesync.http.geo;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.RequestView;
import io.zonesync.net.ForwardedAddress;
import io.zonesync.net.GeoEntries;
import io.zonesync.net.IpNetwork;
import io.zonesync.net.TrustedAddresses;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled {@code geo} block: its entries ({@link GeoEntries}: networks, ranges, default)
 * looked up by the value of its source, {@code $remote_addr} by default. With {@code proxy} lines,
 * an address that is one of those proxies is replaced by the one X-Forwarded-For gives (the last,
 * or with {@code proxy_recursive} the last untrusted), as realip would.
 */
record GeoTable(ComplexValue source, GeoEntries entries, TrustedAddresses proxies, boolean proxyRecursive) {

    static GeoTable compile(Directive geo, ComplexValue source) throws ConfigException {
        GeoEntries entries = new GeoEntries();
        List<TrustedAddresses.Network> proxies = new ArrayList<>();
        boolean recursive = false;
        for (Directive e : geo.block().directives()) {
            String key = e.name();
            if (key.equals("proxy_recursive") && e.argCount() == 0) {
                recursive = true;
            } else if (key.equals("proxy") && e.argCount() == 1) {
                IpNetwork n = GeoEntries.network(e, e.arg(0)); // an address or a network only, as nginx's geo takes
                proxies.add(new TrustedAddresses.Network(n.address(), n.prefixLength()));
            } else {
                entries.read(e);
            }
        }
        return new GeoTable(source, entries.done(), new TrustedAddresses(proxies, false), recursive);
    }

    String lookup(RequestView request) {
        IpNetwork probe = GeoEntries.probe(source.evaluate(request));
        if (!proxies.isEmpty()) {
            List<String> forwarded = request.headers("x-forwarded-for");
            if (!forwarded.isEmpty()) {
                SocketAddress found = ForwardedAddress.find(new InetSocketAddress(probe.toInetAddress(), 0), forwarded,
                        proxies, proxyRecursive);
                if (found instanceof InetSocketAddress inet) {
                    probe = IpNetwork.of(inet.getAddress()).unmapped();
                }
            }
        }
        return entries.find(probe);
    }
}
