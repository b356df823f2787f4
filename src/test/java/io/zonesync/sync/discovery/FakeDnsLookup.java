package io.zonesync.sync.discovery;

import io.zonesync.net.dns.AddressFamily;
import io.zonesync.net.dns.DnsAnswer;
import io.zonesync.net.dns.DnsLookup;
import io.zonesync.net.dns.FamilyAnswer;
import io.zonesync.net.dns.SrvAnswer;
import io.zonesync.net.dns.TtlAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link DnsLookup} that answers what the test last told it to, or never answers. */
final class FakeDnsLookup implements DnsLookup {
    private final Map<String, List<FamilyAnswer>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<CompletableFuture<DnsAnswer>> hanging = new ArrayList<>();
    private volatile boolean silent;

    void answer(String name, FamilyAnswer... families) {
        answers.put(name, List.of(families));
    }

    /** Lookups from now on never complete (a lookup already answered stays answered). */
    void silent(boolean on) {
        silent = on;
    }

    int lookups(String name) {
        return counts.computeIfAbsent(name, n -> new AtomicInteger()).get();
    }

    int hangingLookups() {
        return (int) hanging.stream().filter(f -> !f.isDone()).count();
    }

    @Override
    public CompletionStage<DnsAnswer> lookup(String name) {
        counts.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        CompletableFuture<DnsAnswer> f = new CompletableFuture<>();
        if (silent) {
            hanging.add(f);
            return f;
        }
        List<FamilyAnswer> a = answers.get(name);
        f.complete(new DnsAnswer(name, a == null
                ? List.of(FamilyAnswer.failed(AddressFamily.IPV4, "no answer scripted for " + name)) : a));
        return f;
    }

    /** Membership never asks for SRV records: a scripted failure, should it. */
    @Override
    public CompletionStage<SrvAnswer> lookupSrv(String name) {
        return CompletableFuture.completedFuture(new SrvAnswer(FamilyAnswer.Outcome.FAILED, List.of(),
                "no SRV answers are scripted"));
    }

    @Override
    public String describe() {
        return "fake-dns:53";
    }

    @Override
    public void close() {
    }

    static FamilyAnswer v4(long ttl, String... addresses) {
        return FamilyAnswer.answer(AddressFamily.IPV4, records(ttl, addresses));
    }

    static FamilyAnswer v6(long ttl, String... addresses) {
        return FamilyAnswer.answer(AddressFamily.IPV6, records(ttl, addresses));
    }

    private static List<TtlAddress> records(long ttl, String... addresses) {
        List<TtlAddress> out = new ArrayList<>();
        for (String a : addresses) {
            try {
                out.add(new TtlAddress(InetAddress.getByName(a), ttl));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(a, e);
            }
        }
        return out;
    }
}
