package io.zonesync.http.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The servers reachable on one address, chosen by Host as nginx does: an exact name first, then
 * the longest leading wildcard ({@code *.example.com}), then the longest trailing wildcard
 * ({@code www.*}), then the first regular expression in configuration order, and otherwise the
 * default server of the address ({@code default_server}, or the first server listing it).
 * Immutable.
 */
public final class ServerTable {
    private final Map<String, VirtualServer> exact = new HashMap<>();
    private final List<Entry> leading = new ArrayList<>();
    private final List<Entry> trailing = new ArrayList<>();
    private final List<Entry> regex = new ArrayList<>();
    private final VirtualServer defaultServer;

    private record Entry(ServerName name, VirtualServer server) {
    }

    /**
     * @param servers the servers listening on the address, in configuration order
     * @param defaultServer the one to use when nothing matches
     * @param conflicts receives nginx's "conflicting server name" warnings (the first server keeps the name)
     */
    ServerTable(List<VirtualServer> servers, VirtualServer defaultServer, List<String> conflicts, String address) {
        this.defaultServer = defaultServer;
        Map<String, VirtualServer> wildcardOwners = new HashMap<>();
        for (VirtualServer s : servers) {
            for (ServerName n : s.names()) {
                switch (n.kind()) {
                    case EXACT -> {
                        if (exact.putIfAbsent(n.key(), s) != null && exact.get(n.key()) != s) {
                            conflicts.add("conflicting server name \"" + n.text() + "\" on " + address + ", ignored");
                        }
                    }
                    case LEADING_WILDCARD, TRAILING_WILDCARD -> {
                        String id = n.kind() + n.key() + n.matchesBareDomain();
                        VirtualServer owner = wildcardOwners.putIfAbsent(id, s);
                        if (owner != null) {
                            if (owner != s) {
                                conflicts.add("conflicting server name \"" + n.text() + "\" on " + address + ", ignored");
                            }
                        } else {
                            (n.kind() == ServerName.Kind.LEADING_WILDCARD ? leading : trailing).add(new Entry(n, s));
                        }
                    }
                    case REGEX -> regex.add(new Entry(n, s));
                }
            }
        }
    }

    /** The server for a Host already validated and lower-cased; {@code ""} for a request without Host. */
    public VirtualServer find(String host) {
        VirtualServer s = exact.get(host);
        if (s != null) {
            return s;
        }
        if (!host.isEmpty()) {
            s = longestLeading(host);
            if (s != null) {
                return s;
            }
            s = longestTrailing(host);
            if (s != null) {
                return s;
            }
            for (Entry e : regex) {
                Matcher m = e.name().regex().matcher(host);
                if (m.find()) {
                    return e.server();
                }
            }
        }
        return defaultServer;
    }

    private VirtualServer longestLeading(String host) {
        Entry best = null;
        for (Entry e : leading) {
            String suffix = e.name().key(); // ".example.com"
            boolean match = (host.endsWith(suffix) && host.length() > suffix.length())
                    || (e.name().matchesBareDomain() && host.equals(suffix.substring(1)));
            if (match && (best == null || suffix.length() > best.name().key().length())) {
                best = e;
            }
        }
        return best == null ? null : best.server();
    }

    private VirtualServer longestTrailing(String host) {
        Entry best = null;
        for (Entry e : trailing) {
            String prefix = e.name().key(); // "www."
            if (host.startsWith(prefix) && host.length() > prefix.length()
                    && (best == null || prefix.length() > best.name().key().length())) {
                best = e;
            }
        }
        return best == null ? null : best.server();
    }

    public VirtualServer defaultServer() {
        return defaultServer;
    }
}
