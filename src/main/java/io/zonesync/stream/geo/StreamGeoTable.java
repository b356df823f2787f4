package io.zonesync.stream.geo;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.net.IpNetwork;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One compiled stream {@code geo} block, searched as nginx searches it: the longest network holding
 * the address (IPv4 and IPv6, an IPv4-mapped address as IPv4), or with {@code ranges} the last
 * range holding it (ranges may not overlap); {@code default} (or empty) otherwise. An address that
 * cannot be parsed is looked up as 255.255.255.255. {@code delete} removes a network given earlier.
 * Values are plain strings. (Stream's geo has no {@code proxy}, as in nginx.)
 */
record StreamGeoTable(StreamValue source, Map<IpNetwork, String> networks, TreeSet<Integer> v4Lengths,
        TreeSet<Integer> v6Lengths, List<Range> ranges, boolean rangesMode, String fallback) {
    private static final Logger LOG = LoggerFactory.getLogger(StreamGeoTable.class);
    private static final IpNetwork NONE = IpNetwork.parse("255.255.255.255");

    /** An IPv4 range, both ends included, and how it was written. */
    record Range(long from, long to, String value, String text) {
    }

    static StreamGeoTable compile(Directive geo, StreamValue source) throws ConfigException {
        Map<IpNetwork, String> networks = new HashMap<>();
        List<Range> ranges = new ArrayList<>();
        boolean rangesMode = false;
        String fallback = "";
        for (Directive e : geo.block().directives()) {
            String key = e.name();
            if (key.equals("ranges") && e.argCount() == 0) {
                rangesMode = true;
                continue;
            }
            if (e.argCount() != 1) {
                throw e.error("invalid number of the geo parameters");
            }
            if (key.equals("delete")) {
                networks.remove(network(e, e.arg(0)));
                continue;
            }
            String value = e.arg(0);
            if (key.equals("default")) {
                fallback = value;
            } else if (rangesMode) {
                int dash = key.indexOf('-');
                long from = dash < 0 ? -1 : v4(key.substring(0, dash));
                long to = dash < 0 ? -1 : v4(key.substring(dash + 1));
                if (from < 0 || to < 0 || to < from) {
                    throw e.error("invalid range \"%s\"", key);
                }
                for (Range r : ranges) {
                    if (from <= r.to() && to >= r.from()) {
                        throw e.error("range \"%s\" overlaps \"%s\"", key, r.text());
                    }
                }
                ranges.add(new Range(from, to, value, key));
            } else {
                String old = networks.put(network(e, key), value);
                if (old != null) {
                    LOG.warn("duplicate network \"{}\", value: \"{}\", old value: \"{}\" in {}", key, value, old,
                            e.where());
                }
            }
        }
        TreeSet<Integer> v4 = new TreeSet<>();
        TreeSet<Integer> v6 = new TreeSet<>();
        for (IpNetwork n : networks.keySet()) {
            (n.family() == 4 ? v4 : v6).add(n.prefixLength());
        }
        return new StreamGeoTable(source, networks, v4, v6, ranges, rangesMode, fallback);
    }

    private static IpNetwork network(Directive e, String text) throws ConfigException {
        IpNetwork n = IpNetwork.parse(text);
        if (n == null) {
            throw e.error("invalid network \"%s\"", text);
        }
        return n.unmapped();
    }

    /** An IPv4 address as a number, -1 when it is not one. */
    private static long v4(String text) {
        IpNetwork n = text.indexOf('/') >= 0 ? null : IpNetwork.parse(text);
        return n == null || n.family() != 4 ? -1 : number(n);
    }

    private static long number(IpNetwork v4) {
        byte[] b = v4.address();
        return (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
    }

    String lookup(StreamSession session) {
        String address = source.evaluate(session);
        IpNetwork probe = address.indexOf('/') >= 0 ? null : IpNetwork.parse(address);
        probe = probe == null ? NONE : probe.unmapped();
        if (rangesMode) {
            long a = probe.family() == 4 ? number(probe) : -1;
            for (int i = ranges.size() - 1; i >= 0; i--) {
                Range r = ranges.get(i);
                if (a >= r.from() && a <= r.to()) {
                    return r.value();
                }
            }
            return fallback;
        }
        TreeSet<Integer> lengths = probe.family() == 4 ? v4Lengths : v6Lengths;
        for (int len : lengths.headSet(probe.prefixLength(), true).descendingSet()) {
            String v = networks.get(probe.truncate(len));
            if (v != null) {
                return v;
            }
        }
        return fallback;
    }
}
