package io.zonesync.net.dns;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counts of one resolver status zone ({@code resolver ... status_zone=NAME}), as NGINX Plus's
 * API shows them under {@code /resolvers/NAME}: every query the node's DNS client sends to a name
 * server (A and AAAA queries count as {@code name}, SRV queries as {@code srv}; the node never asks
 * addresses to names, so {@code addr} stays 0), and how each one ended: the answer's RCODE
 * (NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED; any other RCODE is {@code unknown}), no
 * answer within {@code resolver_timeout} ({@code timedout}), or no usable answer at all (a socket
 * error, an answer that could not be decoded: {@code unknown}). A query asked again of the next
 * name server is a query of its own. Safe from any thread; {@link #reset} zeroes every count.
 */
public final class ResolverStats {
    /** The figures at one moment, named as the API names them. */
    public record Figures(long name, long srv, long addr, long noerror, long formerr, long servfail, long nxdomain,
            long notimp, long refused, long timedout, long unknown) {
    }

    /** What a query asked, for {@link #asked}. */
    public enum Query { NAME, SRV }

    private static final int NAME = 0;
    private static final int SRV = 1;
    private static final int ADDR = 2;
    private static final int NOERROR = 3;
    private static final int FORMERR = 4;
    private static final int SERVFAIL = 5;
    private static final int NXDOMAIN = 6;
    private static final int NOTIMP = 7;
    private static final int REFUSED = 8;
    private static final int TIMEDOUT = 9;
    private static final int UNKNOWN = 10;

    private final AtomicLongArray counts = new AtomicLongArray(11);

    /** A query was sent to a name server. */
    public void asked(Query query) {
        counts.incrementAndGet(query == Query.SRV ? SRV : NAME);
    }

    /** A name server answered a query with {@code rcode}. */
    public void answered(int rcode) {
        counts.incrementAndGet(slot(rcode));
    }

    /** A query went without an answer for {@code resolver_timeout}. */
    public void timedOut() {
        counts.incrementAndGet(TIMEDOUT);
    }

    /** A query ended without a usable answer and without timing out. */
    public void failed() {
        counts.incrementAndGet(UNKNOWN);
    }

    /** Where an answer with {@code rcode} is counted (RFC 1035 codes 0 to 5; any other is unknown). */
    private static int slot(int rcode) {
        switch (rcode) {
            case 0: return NOERROR;
            case 1: return FORMERR;
            case 2: return SERVFAIL;
            case 3: return NXDOMAIN;
            case 4: return NOTIMP;
            case 5: return REFUSED;
            default: return UNKNOWN;
        }
    }

    public Figures figures() {
        return new Figures(counts.get(NAME), counts.get(SRV), counts.get(ADDR), counts.get(NOERROR),
                counts.get(FORMERR), counts.get(SERVFAIL), counts.get(NXDOMAIN), counts.get(NOTIMP),
                counts.get(REFUSED), counts.get(TIMEDOUT), counts.get(UNKNOWN));
    }

    /** The API's DELETE: every count starts again from 0. */
    public void reset() {
        for (int i = 0; i < counts.length(); i++) {
            counts.set(i, 0);
        }
    }
}
