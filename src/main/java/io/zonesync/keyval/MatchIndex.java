package io.zonesync.keyval;

import io.zonesync.net.IpNetwork;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The extra index of a {@code type=ip} or {@code type=prefix} zone, answering "the longest stored
 * key that matches this value". It holds the keys of live values (not tombstones); entries that
 * expired but are not swept yet are skipped through the {@code live} predicate. Not thread-safe:
 * the zone's lock guards it.
 */
abstract sealed class MatchIndex {

    abstract void add(String key);

    abstract void remove(String key);

    /** The longest matching key for which {@code live} holds, or null. */
    abstract String longest(String value, Predicate<String> live);

    static MatchIndex forType(KeyvalType type) {
        return switch (type) {
            case IP -> new Ip();
            case PREFIX -> new Prefix();
            case STRING -> null;
        };
    }

    /** Counts how many keys have each length, to try only lengths that exist, longest first. */
    static final class LengthCounts {
        private final NavigableMap<Integer, Integer> counts = new TreeMap<>();

        void add(int length) {
            counts.merge(length, 1, Integer::sum);
        }

        void remove(int length) {
            counts.computeIfPresent(length, (l, c) -> c == 1 ? null : c - 1);
        }

        Iterable<Integer> atMostDescending(int length) {
            return counts.headMap(length, true).descendingKeySet();
        }
    }

    /** Longest prefix: try each stored key length that fits the value, longest first. */
    static final class Prefix extends MatchIndex {
        private final LengthCounts lengths = new LengthCounts();

        @Override
        void add(String key) {
            lengths.add(key.length());
        }

        @Override
        void remove(String key) {
            lengths.remove(key.length());
        }

        @Override
        String longest(String value, Predicate<String> live) {
            for (int len : lengths.atMostDescending(value.length())) {
                String candidate = value.substring(0, len);
                if (live.test(candidate)) {
                    return candidate;
                }
            }
            return null;
        }
    }

    /**
     * Longest CIDR match: networks by (address, prefix length); per family the prefix lengths in
     * use, so a lookup probes at most 33 (IPv4) or 129 (IPv6) hash entries, usually a few. Several
     * keys may spell the same network ({@code 10.0.0.1/8}, {@code 10.0.0.0/8}); all are kept.
     */
    static final class Ip extends MatchIndex {
        private final Map<IpNetwork, Set<String>> networks = new HashMap<>();
        private final LengthCounts v4 = new LengthCounts();
        private final LengthCounts v6 = new LengthCounts();

        private LengthCounts lengths(IpNetwork n) {
            return n.family() == 4 ? v4 : v6;
        }

        @Override
        void add(String key) {
            IpNetwork n = IpNetwork.parse(key);
            if (n != null && networks.computeIfAbsent(n, x -> new LinkedHashSet<>()).add(key)) {
                lengths(n).add(n.prefixLength());
            }
        }

        @Override
        void remove(String key) {
            IpNetwork n = IpNetwork.parse(key);
            Set<String> keys = n == null ? null : networks.get(n);
            if (keys != null && keys.remove(key)) {
                lengths(n).remove(n.prefixLength());
                if (keys.isEmpty()) {
                    networks.remove(n);
                }
            }
        }

        @Override
        String longest(String value, Predicate<String> live) {
            IpNetwork probe = IpNetwork.parse(value);
            if (probe == null) {
                return null;
            }
            for (int len : lengths(probe).atMostDescending(probe.prefixLength())) {
                Set<String> keys = networks.get(probe.truncate(len));
                if (keys != null) {
                    for (String k : keys) {
                        if (live.test(k)) {
                            return k;
                        }
                    }
                }
            }
            return null;
        }
    }
}
