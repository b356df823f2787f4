package io.zonesync.sync.discovery;

import io.zonesync.log.LogMarkers;
import io.zonesync.net.Endpoint;
import io.zonesync.net.dns.AddressFamily;
import io.zonesync.net.dns.DnsAnswer;
import io.zonesync.net.dns.DnsLookup;
import io.zonesync.net.dns.FamilyAnswer;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.Scheduler;
import io.zonesync.net.dns.TtlAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster nodes that {@code zone_sync_server name:port resolve} entries stand for, kept up to
 * date: each name is looked up at start and again on the {@link RefreshPolicy}'s schedule, and the
 * listener hears every change of the whole set ({@link MembershipChange}). It knows nothing of
 * links: what to do with a member (dial it, skip it because it is this node) is the caller's.
 *
 * <p>What an answer does to a name's set, per family (A, AAAA):
 * <ul>
 *   <li>NOERROR with records: the set becomes those addresses.</li>
 *   <li>NXDOMAIN, or NOERROR without records of the family: a definite "none", so that family's
 *       addresses leave the set (this is how the last node is removed from DNS; nginx does the
 *       same for NXDOMAIN).</li>
 *   <li>No definite answer (every server timed out, or answered SERVFAIL, REFUSED, garbage): the
 *       family keeps its last known addresses. The failure is logged once, at error level, when
 *       the outage begins (naming the name, the servers and what each did) and once, as a notice,
 *       when the name resolves again. So a name server that breaks, or a broken AAAA answer next
 *       to a good A answer, changes nobody's membership.</li>
 * </ul>
 *
 * <p>All work runs on the {@link Scheduler}; {@link #members()} may be read from any thread.
 */
public final class DnsMembership {
    private static final Logger LOG = LoggerFactory.getLogger(DnsMembership.class);

    private final List<TrackedName> names = new ArrayList<>();
    private final DnsLookup lookup;
    private final RefreshPolicy policy;
    private final Scheduler scheduler;
    private final MembershipListener listener;
    /** Scheduler thread only. */
    private Map<InetSocketAddress, Member> members = new LinkedHashMap<>();
    private volatile List<Member> snapshot = List.of();
    private volatile boolean stopped;
    private boolean started;

    /**
     * @param names    the {@code resolve} entries ({@code ZoneSyncSettings.dnsNames()}), host names with ports
     * @param lookup   how names are looked up; not closed by this class
     * @param policy   when names are looked up again
     * @param scheduler where lookups are started and answers handled
     * @param listener told of every change
     */
    public DnsMembership(List<Endpoint> names, DnsLookup lookup, RefreshPolicy policy, Scheduler scheduler,
            MembershipListener listener) {
        for (Endpoint e : names) {
            if (e.isUnix()) {
                throw new IllegalArgumentException("\"" + e + "\" is not a name to resolve");
            }
            this.names.add(new TrackedName(e));
        }
        this.lookup = lookup;
        this.policy = policy;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** Looks every name up now and from then on as scheduled. */
    public void start() {
        start(List.of());
    }

    /**
     * Starts from the members a previous instance knew (on reload: {@code next.start(previous.stop())}):
     * they stay members until DNS says otherwise, so a reload while DNS is down keeps the cluster,
     * and a node that left during the reload is still reported as removed. Previous members whose
     * entry is no longer configured are reported removed at once.
     */
    public void start(Collection<Member> previous) {
        scheduler.execute(() -> {
            if (started || stopped) {
                return;
            }
            started = true;
            Map<InetSocketAddress, Member> before = new LinkedHashMap<>();
            for (Member m : previous) {
                before.putIfAbsent(m.address(), m);
                for (TrackedName n : names) {
                    if (n.endpoint.equals(m.source())) {
                        n.seed(m.address().getAddress());
                    }
                }
            }
            members = before;
            snapshot = List.copyOf(before.values());
            publish();
            for (TrackedName n : names) {
                n.lookUp();
            }
        });
    }

    /** Stops looking names up and returns the members as last known. The listener is not called again. */
    public List<Member> stop() {
        stopped = true;
        scheduler.execute(() -> names.forEach(TrackedName::cancel));
        return snapshot;
    }

    /** The current members (any thread). */
    public List<Member> members() {
        return snapshot;
    }

    /** Recomputes the members from every name's addresses and tells the listener what changed. */
    private void publish() {
        Map<InetSocketAddress, Member> now = new LinkedHashMap<>();
        for (TrackedName n : names) {
            for (InetAddress a : n.addresses()) {
                InetSocketAddress sa = new InetSocketAddress(a, n.endpoint.port());
                now.putIfAbsent(sa, new Member(sa, n.endpoint));
            }
        }
        List<Member> added = now.values().stream().filter(m -> !members.containsKey(m.address())).toList();
        List<Member> removed = members.values().stream().filter(m -> !now.containsKey(m.address())).toList();
        if (added.isEmpty() && removed.isEmpty()) {
            return;
        }
        members = now;
        snapshot = List.copyOf(now.values());
        if (stopped) {
            return;
        }
        try {
            listener.membershipChanged(new MembershipChange(added, removed, snapshot));
        } catch (RuntimeException e) {
            LOG.error("zone_sync: applying the DNS membership change (added {}, removed {}) failed", added, removed, e);
        }
    }

    /** One {@code name:port resolve} entry: its last known addresses per family, and its timer. */
    private final class TrackedName {
        final Endpoint endpoint;
        final Map<AddressFamily, List<InetAddress>> known = new EnumMap<>(AddressFamily.class);
        Scheduler.Cancellable timer;
        boolean failing;
        int failedLookups;

        TrackedName(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        void seed(InetAddress a) {
            AddressFamily f = a.getAddress().length == 4 ? AddressFamily.IPV4 : AddressFamily.IPV6;
            List<InetAddress> list = new ArrayList<>(known.getOrDefault(f, List.of()));
            if (!list.contains(a)) {
                list.add(a);
            }
            known.put(f, List.copyOf(list));
        }

        List<InetAddress> addresses() {
            List<InetAddress> all = new ArrayList<>();
            known.values().forEach(all::addAll);
            return all;
        }

        void lookUp() {
            timer = null;
            if (stopped) {
                return;
            }
            lookup.lookup(endpoint.host()).whenComplete((answer, error) -> scheduler.execute(() -> {
                if (error != null) { // DnsLookup promises not to, but a broken one must not stop discovery
                    answered(new DnsAnswer(endpoint.host(), List.of(
                            FamilyAnswer.failed(AddressFamily.IPV4, String.valueOf(error)))));
                } else {
                    answered(answer);
                }
            }));
        }

        void cancel() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }

        private void answered(DnsAnswer answer) {
            if (stopped) {
                return;
            }
            List<InetAddress> before = addresses();
            long minTtl = -1;
            List<String> failures = new ArrayList<>();
            List<String> definite = new ArrayList<>();
            for (FamilyAnswer fa : answer.families()) {
                if (!fa.definite()) {
                    failures.add(fa.family().recordType().name() + ": " + fa.detail());
                    continue;
                }
                definite.add(fa.family().recordType().name() + " " + (fa.outcome() == FamilyAnswer.Outcome.NO_SUCH_NAME
                        ? "NXDOMAIN" : fa.records().size() + " record(s)"));
                known.put(fa.family(), fa.records().stream().map(TtlAddress::address).toList());
                for (TtlAddress t : fa.records()) {
                    minTtl = minTtl < 0 ? t.ttlSeconds() : Math.min(minTtl, t.ttlSeconds());
                }
            }
            boolean failed = !failures.isEmpty() || answer.families().isEmpty();
            long next = policy.nextDelayMs(minTtl, failed);
            logOutcome(failures, failed, next);
            List<InetAddress> after = addresses();
            if (!new HashSet<>(after).equals(new HashSet<>(before))) {
                LOG.info(LogMarkers.NOTICE, "zone_sync: \"{}\" resolves to {} node(s) via {}: [{}] ({}); next lookup in {} ms",
                        endpoint, after.size(), lookup.describe(), hosts(after), String.join(", ", definite), next);
            }
            publish();
            if (!stopped) {
                timer = scheduler.schedule(this::lookUp, next);
            }
        }

        private void logOutcome(List<String> failures, boolean failed, long next) {
            if (failed) {
                failedLookups++;
                if (!failing) {
                    failing = true;
                    List<InetAddress> kept = addresses();
                    LOG.error("zone_sync: resolving \"{}\" via {} failed ({}); keeping the {} last known address(es)"
                            + " [{}] and trying again every {} ms or sooner", endpoint.host(), lookup.describe(),
                            failures.isEmpty() ? "no answer" : String.join("; ", failures), kept.size(), hosts(kept),
                            next);
                } else {
                    LOG.debug("zone_sync: resolving \"{}\" failed again ({})", endpoint.host(), failures);
                }
            } else if (failing) {
                LOG.info(LogMarkers.NOTICE, "zone_sync: \"{}\" resolves again via {} after {} failed lookup(s)",
                        endpoint.host(), lookup.describe(), failedLookups);
                failing = false;
                failedLookups = 0;
            }
        }

        private static String hosts(List<InetAddress> addresses) {
            return addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        }
    }
}
