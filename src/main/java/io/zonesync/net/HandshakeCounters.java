package io.zonesync.net;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of TLS handshakes on the node's listeners, the figures of NGINX Plus's {@code ssl} object:
 * handshakes done (and how many resumed a session), handshakes failed and why, and client
 * certificates that failed verification. The node keeps one for all its listeners (in
 * {@link ConnectionStats}) and each status zone one for its servers'. Safe from any thread.
 */
public final class HandshakeCounters {
    /** Why a handshake failed, where NGINX Plus counts the reason apart ({@code OTHER}: only as failed). */
    public enum Failure { NO_COMMON_PROTOCOL, NO_COMMON_CIPHER, TIMEOUT, PEER_REJECTED_CERT, OTHER }

    /** Why a client's certificate failed verification. */
    public enum Verify { NO_CERT, EXPIRED_CERT, REVOKED_CERT, HOSTNAME_MISMATCH, OTHER }

    private final LongAdder handshakes = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder reuses = new LongAdder();
    private final LongAdder[] failures = adders(Failure.values().length);
    private final LongAdder[] verify = adders(Verify.values().length);

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** A handshake completed; {@code reused}: it resumed an earlier session. */
    public void succeeded(boolean reused) {
        handshakes.increment();
        if (reused) {
            reuses.increment();
        }
    }

    /** A handshake failed. */
    public void failed(Failure why) {
        failed.increment();
        failures[why.ordinal()].increment();
    }

    /** A client's certificate failed verification (the handshake itself is counted apart). */
    public void verifyFailed(Verify why) {
        verify[why.ordinal()].increment();
    }

    /** The API's DELETE: every figure counts again from zero. */
    public void reset() {
        handshakes.reset();
        failed.reset();
        reuses.reset();
        for (LongAdder a : failures) {
            a.reset();
        }
        for (LongAdder a : verify) {
            a.reset();
        }
    }

    /** The figures now. */
    public Report report() {
        return new Report(handshakes.sum(), failed.sum(), reuses.sum(), count(failures, Failure.NO_COMMON_PROTOCOL),
                count(failures, Failure.NO_COMMON_CIPHER), count(failures, Failure.TIMEOUT),
                count(failures, Failure.PEER_REJECTED_CERT), count(verify, Verify.NO_CERT),
                count(verify, Verify.EXPIRED_CERT), count(verify, Verify.REVOKED_CERT),
                count(verify, Verify.HOSTNAME_MISMATCH), count(verify, Verify.OTHER));
    }

    private static long count(LongAdder[] a, Enum<?> which) {
        return a[which.ordinal()].sum();
    }

    /** The figures at one moment, named as NGINX Plus names them. */
    public record Report(long handshakes, long handshakesFailed, long sessionReuses, long noCommonProtocol,
            long noCommonCipher, long handshakeTimeout, long peerRejectedCert, long noCert, long expiredCert,
            long revokedCert, long hostnameMismatch, long otherVerifyFailures) {
    }
}
