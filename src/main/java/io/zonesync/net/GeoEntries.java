package io.zonesync.net;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entries of an nginx {@code geo} block, http's or stream's, searched as nginx searches them:
 * the longest network holding the address (IPv4 and IPv6, an IPv4-mapped address as IPv4), or with
 * {@code ranges} the last IPv4 range holding it (ranges may not overlap); {@code default} (or empty)
 * otherwise. {@code delete} removes a network given earlier. Values are plain strings. Filled line
 * by line while the block compiles (the caller reads the lines of its own first, as http's
 * {@code proxy}), read-only afterwards.
 */
public final class GeoEntries {
    private static final Logger LOG = LoggerFactory.getLogger(GeoEntries.class);
    /** What an address that cannot be parsed is looked up as, as in nginx. */
    private static final IpNetwork NONE = IpNetwork.parse("255.255.255.255");

    /** An IPv4 range, both ends included, and how it was written. */
    private record Range(long from, long to, String value, String text) {
    }

    private final Map<IpNetwork, String> networks = new HashMap<>();
    private final TreeSet<Integer> v4Lengths = new TreeSet<>();
    private final TreeSet<Integer> v6Lengths = new TreeSet<>();
    private final List<Range> ranges = new ArrayList<>();
    private boolean rangesMode;
    private String fallback = "";

    /** One line of the block: {@code ranges}, {@code default}, {@code delete}, a network or a range. */
    public void read(Directive e) throws ConfigException {
        String key = e.name();
        if (key.equals("ranges") && e.argCount() == 0) {
            rangesMode = true;
            return;
        }
        if (e.argCount() != 1) {
            throw e.error("invalid number of the geo parameters");
        }
        if (key.equals("delete")) {
            networks.remove(network(e, e.arg(0)));
            return;
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

    /** Ends the block: what {@link #find} needs is made. */
    public GeoEntries done() {
        for (IpNetwork n : networks.keySet()) {
            (n.family() == 4 ? v4Lengths : v6Lengths).add(n.prefixLength());
        }
        return this;
    }

    /** A network as a geo line writes it (an address or a network), IPv4-mapped as IPv4. */
    public static IpNetwork network(Directive e, String text) throws ConfigException {
        IpNetwork n = IpNetwork.parse(text);
        if (n == null) {
            throw e.error("invalid network \"%s\"", text);
        }
        return n.unmapped();
    }

    /** The address a geo block looks up for a value ({@code $remote_addr}): 255.255.255.255 when it is none. */
    public static IpNetwork probe(String address) {
        IpNetwork probe = address.indexOf('/') >= 0 ? null : IpNetwork.parse(address);
        return probe == null ? NONE : probe.unmapped();
    }

    /** The value for an address. */
    public String find(IpNetwork probe) {
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

    /** An IPv4 address as a number, -1 when it is not one. */
    private static long v4(String text) {
        IpNetwork n = text.indexOf('/') >= 0 ? null : IpNetwork.parse(text);
        return n == null || n.family() != 4 ? -1 : number(n);
    }

    private static long number(IpNetwork v4) {
        byte[] b = v4.address();
        return (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
    }
}
