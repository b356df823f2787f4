package io.zonesync.http.upstream;

import io.zonesync.log.LogMarkers;
import io.zonesync.net.dns.AddressFamily;
import io.zonesync.net.dns.DnsAnswer;
import io.zonesync.net.dns.DnsLookup;
import io.zonesync.net.dns.FamilyAnswer;
import io.zonesync.net.dns.RefreshPolicy;
import io.zonesync.net.dns.Scheduler;
import io.zonesync.net.dns.SrvAnswer;
import io.zonesync.net.dns.SrvRecord;
import io.zonesync.net.dns.TtlAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a group's {@code server name resolve} lines up to date: each name is looked up when the
 * group takes over and again on the {@link RefreshPolicy}'s schedule (the records' TTL, or the
 * resolver's {@code valid=}), and each answer replaces that line's peers ({@link UpstreamGroup#resolved}).
 * As for zone_sync's members: a family (A, AAAA) without a definite answer keeps its last known
 * addresses, logged once per outage; NXDOMAIN or an empty answer removes them. A line with
 * {@code service=} looks up SRV records and then their targets' addresses. The peers the group
 * starts with (kept from the previous configuration) are the known addresses until DNS answers.
 * All work runs on the {@link Scheduler}.
 */
final class UpstreamResolver {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamResolver.class);

    private final UpstreamGroup group;
    private final DnsLookup lookup;
    private final RefreshPolicy policy;
    private final Scheduler scheduler;
    private final List<Tracked> names = new ArrayList<>();
    private volatile boolean stopped;

    /** {@code lookup} is closed by {@link #stop}. */
    UpstreamResolver(UpstreamGroup group, DnsLookup lookup, RefreshPolicy policy, Scheduler scheduler) {
        this.group = group;
        this.lookup = lookup;
        this.policy = policy;
        this.scheduler = scheduler;
        for (UpstreamGroup.ResolveLine line : group.resolveLines()) {
            names.add(new Tracked(line.template(), HostPort.parse(line.template().name(), 80)));
        }
    }

    /** A line the API added: looked up now, then on schedule. */
    void track(ServerSpec template) {
        scheduler.execute(() -> {
            if (stopped) {
                return;
            }
            Tracked n = new Tracked(template, HostPort.parse(template.name(), 80));
            names.add(n);
            n.lookUp();
        });
    }

    /** A line the API removed: its lookups stop. */
    void forget(ServerSpec template) {
        scheduler.execute(() -> names.removeIf(n -> {
            boolean gone = n.template.origin().equals(template.origin());
            if (gone) {
                n.cancel();
            }
            return gone;
        }));
    }

    void start() {
        scheduler.execute(() -> {
            for (Tracked n : names) {
                for (Peer p : group.peers()) {
                    if (n.template.origin().equals(p.origin())) {
                        n.seed(p.spec().address().getAddress());
                    }
                }
                n.lookUp();
            }
        });
    }

    void stop() {
        stopped = true;
        scheduler.execute(() -> {
            names.forEach(Tracked::cancel);
            lookup.close();
        });
    }

    /** One {@code resolve} line: its last known addresses per family, and its timer. */
    private final class Tracked {
        final ServerSpec template;
        final HostPort hostPort;
        final Map<AddressFamily, List<InetAddress>> known = new EnumMap<>(AddressFamily.class);
        Scheduler.Cancellable timer;
        boolean failing;

        Tracked(ServerSpec template, HostPort hostPort) {
            this.template = template;
            this.hostPort = hostPort;
        }

        void seed(InetAddress a) {
            AddressFamily f = a.getAddress().length == 4 ? AddressFamily.IPV4 : AddressFamily.IPV6;
            List<InetAddress> list = new ArrayList<>(known.getOrDefault(f, List.of()));
            if (!list.contains(a)) {
                list.add(a);
            }
            known.put(f, List.copyOf(list));
        }

        void lookUp() {
            timer = null;
            if (stopped || !names.contains(this)) {
                return;
            }
            if (template.service() != null) {
                lookUpService();
                return;
            }
            lookup.lookup(hostPort.host()).whenComplete((answer, error) -> scheduler.execute(() -> answered(
                    error == null ? answer : new DnsAnswer(hostPort.host(), List.of(
                            FamilyAnswer.failed(AddressFamily.IPV4, String.valueOf(error)))))));
        }

        /**
         * {@code service=}: the SRV records, then each target's addresses. The records of the best
         * (lowest) priority are primary servers, the others backup ones; a record's weight is the
         * server's (0 counts as 1). Any lookup without a definite answer keeps the servers as they are.
         */
        private void lookUpService() {
            String srvName = template.srvName();
            lookup.lookupSrv(srvName).whenComplete((srv, error) -> {
                if (error != null || !srv.definite()) {
                    scheduler.execute(() -> serviceFailed(srvName + ": " + (error != null ? error : srv.detail())));
                    return;
                }
                List<String> targets = srv.records().stream().map(SrvRecord::target).distinct().toList();
                Map<String, CompletableFuture<DnsAnswer>> answers = new LinkedHashMap<>();
                for (String t : targets) {
                    answers.put(t, lookup.lookup(t).toCompletableFuture());
                }
                CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).whenComplete(
                        (done, e) -> scheduler.execute(() -> serviceAnswered(srv, answers)));
            });
        }

        private void serviceFailed(String detail) {
            if (stopped) {
                return;
            }
            if (!failing) {
                LOG.error("upstream \"{}\": resolving \"{}\" via {} failed ({}); keeping its last known servers",
                        group.name(), template.srvName(), lookup.describe(), detail);
            }
            failing = true;
            timer = scheduler.schedule(this::lookUp, policy.nextDelayMs(-1, true));
        }

        private void serviceAnswered(SrvAnswer srv, Map<String, CompletableFuture<DnsAnswer>> answers) {
            if (stopped) {
                return;
            }
            long minTtl = -1;
            int best = Integer.MAX_VALUE;
            for (SrvRecord r : srv.records()) {
                best = Math.min(best, r.priority());
                minTtl = minTtl < 0 ? r.ttlSeconds() : Math.min(minTtl, r.ttlSeconds());
            }
            List<ServerSpec> servers = new ArrayList<>();
            for (SrvRecord r : srv.records()) {
                CompletableFuture<DnsAnswer> f = answers.get(r.target());
                DnsAnswer a = f.isCompletedExceptionally() ? null : f.join();
                if (a == null || a.failedEntirely()) {
                    serviceFailed(r.target() + ": " + (a == null ? "no answer" : a.families().stream()
                            .map(FamilyAnswer::detail).toList()));
                    return;
                }
                for (FamilyAnswer fa : a.families()) {
                    for (TtlAddress t : fa.records()) {
                        minTtl = minTtl < 0 ? t.ttlSeconds() : Math.min(minTtl, t.ttlSeconds());
                        servers.add(template.at(new InetSocketAddress(t.address(), r.port()), Math.max(1, r.weight()),
                                r.priority() != best));
                    }
                }
            }
            if (failing) {
                LOG.info(LogMarkers.NOTICE, "upstream \"{}\": \"{}\" resolves again", group.name(), template.srvName());
            }
            failing = false;
            long next = policy.nextDelayMs(minTtl, false);
            if (group.resolved(template, servers)) {
                LOG.info(LogMarkers.NOTICE, "upstream \"{}\": \"{}\" resolves to {}; next lookup in {} ms", group.name(),
                        template.srvName(), servers.stream().map(ServerSpec::addressText).toList(), next);
            }
            timer = scheduler.schedule(this::lookUp, next);
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
            long minTtl = -1;
            List<String> failures = new ArrayList<>();
            for (FamilyAnswer fa : answer.families()) {
                if (!fa.definite()) {
                    failures.add(fa.family().recordType().name() + ": " + fa.detail());
                    continue;
                }
                known.put(fa.family(), fa.records().stream().map(TtlAddress::address).toList());
                for (TtlAddress t : fa.records()) {
                    minTtl = minTtl < 0 ? t.ttlSeconds() : Math.min(minTtl, t.ttlSeconds());
                }
            }
            boolean failed = !failures.isEmpty() || answer.families().isEmpty();
            long next = policy.nextDelayMs(minTtl, failed);
            if (failed && !failing) {
                LOG.error("upstream \"{}\": resolving \"{}\" via {} failed ({}); keeping its last known addresses",
                        group.name(), hostPort.host(), lookup.describe(), String.join("; ", failures));
            } else if (!failed && failing) {
                LOG.info(LogMarkers.NOTICE, "upstream \"{}\": \"{}\" resolves again", group.name(), hostPort.host());
            }
            failing = failed;
            List<ServerSpec> servers = new ArrayList<>();
            known.values().forEach(list -> list.forEach(a -> servers.add(template.at(
                    new InetSocketAddress(a, hostPort.port())))));
            if (group.resolved(template, servers)) {
                LOG.info(LogMarkers.NOTICE, "upstream \"{}\": \"{}\" resolves to {}; next lookup in {} ms", group.name(),
                        template.name(), servers.stream().map(ServerSpec::addressText).toList(), next);
            }
            if (!stopped) {
                timer = scheduler.schedule(this::lookUp, next);
            }
        }
    }
}
