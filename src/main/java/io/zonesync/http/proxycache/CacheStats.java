package io.zonesync.http.proxycache;

import io.zonesync.http.core.LogHandler;
import io.zonesync.http.vars.AttributeKey;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one keys zone answered, per {@code $upstream_cache_status}, as NGINX Plus's API reports it
 * ({@code /N/http/caches/{zone}}): responses and their body bytes sent to clients, and for the
 * answers that went upstream, the responses and bytes written into the cache. A request is counted
 * once it ends, with the status it ended with ({@link #COUNT}); a file is counted as written once
 * it is renamed into place. Reset by the API; thread-safe.
 */
public final class CacheStats {
    /** The statuses a cache's figures are reported by, in NGINX Plus's order (the API's and the metrics page's). */
    public static final List<CacheStatus> REPORTED = List.of(CacheStatus.HIT, CacheStatus.STALE,
            CacheStatus.UPDATING, CacheStatus.REVALIDATED, CacheStatus.MISS, CacheStatus.EXPIRED, CacheStatus.BYPASS);

    /** The zone whose figures a request that used a cache counts into. */
    static final AttributeKey<CacheStats> KEY = AttributeKey.named("proxy cache stats");

    /** A server's log handler: counts a request that used a cache into its zone's figures. */
    static final LogHandler COUNT = ex -> {
        CacheStats stats = ex.attribute(KEY);
        CacheStatus status = ex.attribute(CacheStatus.KEY);
        if (stats != null && status != null) {
            ex.setAttribute(KEY, null);
            stats.served(status, ex.bodyBytesSent());
        }
    };

    private final LongAdder[] responses = adders();
    private final LongAdder[] bytes = adders();
    private final LongAdder[] responsesWritten = adders();
    private final LongAdder[] bytesWritten = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[CacheStatus.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** A response with {@code status} sent to the client, {@code bodyBytes} of body. */
    void served(CacheStatus status, long bodyBytes) {
        responses[status.ordinal()].increment();
        bytes[status.ordinal()].add(bodyBytes);
    }

    /** A response of a request with {@code status} stored in the cache, {@code length} bytes of body. */
    void written(CacheStatus status, long length) {
        responsesWritten[status.ordinal()].increment();
        bytesWritten[status.ordinal()].add(length);
    }

    public long responses(CacheStatus status) {
        return responses[status.ordinal()].sum();
    }

    public long bytes(CacheStatus status) {
        return bytes[status.ordinal()].sum();
    }

    public long responsesWritten(CacheStatus status) {
        return responsesWritten[status.ordinal()].sum();
    }

    public long bytesWritten(CacheStatus status) {
        return bytesWritten[status.ordinal()].sum();
    }

    /** The API's DELETE: every figure starts again from zero; the cache itself is untouched. */
    public void reset() {
        for (LongAdder[] all : new LongAdder[][] {responses, bytes, responsesWritten, bytesWritten}) {
            for (LongAdder a : all) {
                a.reset();
            }
        }
    }
}
