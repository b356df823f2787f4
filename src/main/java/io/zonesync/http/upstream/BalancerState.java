package io.zonesync.http.upstream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The balancing methods other than round robin, computed as nginx computes them, so that the same
 * keys and clients land on the same servers as with nginx in front of the same server list:
 * {@code ip_hash} (its 113/6271 hash of the client's network), {@code hash} (Cache::Memcached's
 * CRC32 walk) and {@code hash ... consistent} (ketama: 160 points per unit of weight, CRC32 of
 * host, a zero byte, port and the previous point), {@code random [two]} and {@code least_conn}.
 * Each gives up after 20 tries, as nginx does, and returns null for round robin to choose. Guarded
 * by the owning {@link UpstreamGroup}'s lock.
 */
final class BalancerState {
    private static final int MAX_TRIES = 20;

    private final List<Peer> peers;
    private final int totalWeight;
    /** Ketama points, sorted by hash, for {@code hash ... consistent}; empty otherwise. */
    private final long[] pointHash;
    private final String[] pointServer;

    BalancerState(Balancing method, List<Peer> primary) {
        this.peers = List.copyOf(primary);
        int total = 0;
        for (Peer p : primary) {
            total += p.spec().weight();
        }
        this.totalWeight = total;
        if (method instanceof Balancing.Hash h && h.consistent()) {
            List<long[]> points = new ArrayList<>();
            List<String> servers = new ArrayList<>();
            for (Peer p : primary) {
                addPoints(p.spec().name(), p.spec().weight(), points, servers);
            }
            Integer[] order = new Integer[points.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // a stable sort, so that equal hashes keep the order nginx's qsort leaves them in for the
            // usual case of distinct servers; duplicates are then dropped, the first kept
            Arrays.sort(order, (a, b) -> Long.compare(points.get(a)[0], points.get(b)[0]));
            List<Long> hashes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Integer i : order) {
                long hash = points.get(i)[0];
                if (!hashes.isEmpty() && hashes.get(hashes.size() - 1) == hash) {
                    continue;
                }
                hashes.add(hash);
                names.add(servers.get(i));
            }
            pointHash = hashes.stream().mapToLong(Long::longValue).toArray();
            pointServer = names.toArray(new String[0]);
        } else {
            pointHash = new long[0];
            pointServer = new String[0];
        }
    }

    /** The points of one server line: its name split into host and port as nginx splits it. */
    private static void addPoints(String server, int weight, List<long[]> points, List<String> servers) {
        String host = server;
        String port = "";
        for (int j = 0; j < server.length(); j++) {
            char c = server.charAt(server.length() - j - 1);
            if (c == ':') {
                host = server.substring(0, server.length() - j - 1);
                port = server.substring(server.length() - j);
                break;
            }
            if (c < '0' || c > '9') {
                break;
            }
        }
        byte[] base = (host + "\0" + port).getBytes(StandardCharsets.ISO_8859_1);
        byte[] input = Arrays.copyOf(base, base.length + 4);
        long prev = 0;
        for (int j = 0; j < weight * 160; j++) {
            input[base.length] = (byte) prev;
            input[base.length + 1] = (byte) (prev >>> 8);
            input[base.length + 2] = (byte) (prev >>> 16);
            input[base.length + 3] = (byte) (prev >>> 24);
            long hash = crc32(input);
            points.add(new long[] {hash});
            servers.add(server);
            prev = hash;
        }
    }

    private static long crc32(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** {@code ip_hash}: {@code address} is the first three bytes of an IPv4 client, all 16 of an IPv6 one. */
    Peer ipHash(Attempts a, byte[] address, long now) {
        if (!a.hashStarted) {
            a.hashStarted = true;
            a.hash = 89;
        }
        long hash = a.hash;
        while (a.hashTries <= MAX_TRIES) {
            for (byte b : address) {
                hash = (hash * 113 + (b & 0xff)) % 6271;
            }
            Peer p = byWeight(hash % totalWeight);
            if (UpstreamGroup.usable(p, a, now)) {
                a.hash = hash;
                return p;
            }
            a.hashTries++;
        }
        return null;
    }

    /** {@code hash KEY [consistent]}; an empty key leaves the choice to round robin, as in nginx. */
    Peer hash(Attempts a, String key, long now) {
        if (key.isEmpty()) {
            return null;
        }
        byte[] bytes = key.getBytes(StandardCharsets.ISO_8859_1);
        return pointHash.length > 0 ? consistent(a, bytes, now) : plain(a, bytes, now);
    }

    private Peer plain(Attempts a, byte[] key, long now) {
        while (a.hashTries <= MAX_TRIES) {
            byte[] prefix = a.rehash > 0 ? Integer.toString(a.rehash).getBytes(StandardCharsets.ISO_8859_1)
                    : new byte[0];
            byte[] input = Arrays.copyOf(prefix, prefix.length + key.length);
            System.arraycopy(key, 0, input, prefix.length, key.length);
            a.hash += (crc32(input) >>> 16) & 0x7fff;
            a.rehash++;
            Peer p = byWeight(Long.remainderUnsigned(a.hash, totalWeight));
            if (UpstreamGroup.usable(p, a, now)) {
                return p;
            }
            a.hashTries++;
        }
        return null;
    }

    private Peer consistent(Attempts a, byte[] key, long now) {
        if (!a.hashStarted) {
            a.hashStarted = true;
            a.hash = firstPointAtOrAfter(crc32(key));
        }
        while (a.hashTries <= MAX_TRIES) {
            String server = pointServer[(int) (a.hash % pointServer.length)];
            Peer best = UpstreamGroup.smoothRoundRobin(peers,
                    p -> p.spec().name().equals(server) && UpstreamGroup.usable(p, a, now), now);
            if (best != null) {
                return best;
            }
            a.hash++;
            a.hashTries++;
        }
        return null;
    }

    /** The index of the first point whose hash is at least {@code hash} (the number of points if none). */
    private int firstPointAtOrAfter(long hash) {
        int lo = 0;
        int hi = pointHash.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pointHash[mid] < hash) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@code random [two]}: a server drawn by weight (with {@code two}, the less loaded of two). */
    Peer random(Attempts a, boolean two, long now) {
        Peer first = null;
        while (a.hashTries <= MAX_TRIES) {
            Peer p = byWeight(ThreadLocalRandom.current().nextInt(totalWeight));
            if (!UpstreamGroup.usable(p, a, now) || p == first) {
                a.hashTries++;
                continue;
            }
            if (!two) {
                return p;
            }
            if (first == null) {
                first = p;
                a.hashTries++;
                continue;
            }
            return (long) p.active * first.spec().weight() > (long) first.active * p.spec().weight() ? first : p;
        }
        return null;
    }

    /** The primary server whose share of the total weight holds {@code w}. */
    private Peer byWeight(long w) {
        for (Peer p : peers) {
            if (w < p.spec().weight()) {
                return p;
            }
            w -= p.spec().weight();
        }
        return peers.get(peers.size() - 1);
    }

    /**
     * {@code least_time} over {@code peers}: the lowest {@link #leastTimeScore}, ties by round robin.
     */
    static Peer leastTime(List<Peer> peers, Balancing.LeastTime method, Attempts a, long now) {
        Peer best = null;
        double bestScore = 0;
        boolean many = false;
        for (Peer p : peers) {
            if (!UpstreamGroup.usable(p, a, now)) {
                continue;
            }
            double score = leastTimeScore(p, method, now);
            if (best == null || score < bestScore) {
                best = p;
                bestScore = score;
                many = false;
            } else if (score == bestScore) {
                many = true;
            }
        }
        if (best == null || !many) {
            return best;
        }
        double least = bestScore;
        return UpstreamGroup.smoothRoundRobin(peers, p -> UpstreamGroup.usable(p, a, now)
                && leastTimeScore(p, method, now) == least, now);
    }

    /**
     * What least_time ranks a server by: its average time (to the header, or to the last byte; 1 ms
     * at least, so that a server not yet timed competes by connections), with {@code inflight} the
     * time its requests in flight have taken so far counted as one more sample each, times its
     * connections plus one, for its weight.
     */
    static double leastTimeScore(Peer p, Balancing.LeastTime method, long now) {
        double average = method.lastByte() ? p.responseAverage : p.headerAverage;
        if (method.inflight() && p.active > 0) {
            double inflight = (double) ((long) p.active * now - p.inflightSince) / p.active;
            average = (average + inflight * p.active) / (1 + p.active);
        }
        return Math.max(1, average) * (p.active + 1) / p.weight(now);
    }

    /** {@code least_conn} over {@code peers}: fewest connections for the weight, ties by round robin. */
    static Peer leastConn(List<Peer> peers, Attempts a, long now) {
        Peer least = null;
        boolean many = false;
        for (Peer p : peers) {
            if (!UpstreamGroup.usable(p, a, now)) {
                continue;
            }
            long mine = least == null ? 0 : (long) p.active * least.weight(now);
            long theirs = least == null ? 0 : (long) least.active * p.weight(now);
            if (least == null || mine < theirs) {
                least = p;
                many = false;
            } else if (mine == theirs) {
                many = true;
            }
        }
        if (least == null || !many) {
            return least; // one server has the fewest: as nginx, no round robin weights move
        }
        Peer first = least;
        return UpstreamGroup.smoothRoundRobin(peers, p -> UpstreamGroup.usable(p, a, now)
                && (long) p.active * first.weight(now) == (long) first.active * p.weight(now), now);
    }
}
