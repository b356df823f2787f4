package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.ResponseStream;
import io.zonesync.http.vars.ComplexValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The cache settings of one proxied location and the lookup each request makes: answer a fresh
 * entry from its file (HIT), else pass the request upstream with a {@link CacheFill} that stores
 * the response if it may be cached, or answers with the stale entry when
 * {@code proxy_cache_use_stale} allows.
 *
 * @param methods {@code proxy_cache_methods} (GET and HEAD always)
 * @param bypass {@code proxy_cache_bypass}: a non-empty value other than "0" skips the lookup
 * @param noCache {@code proxy_no_cache}: a non-empty value other than "0" keeps the response out
 * @param useStale the {@code proxy_cache_use_stale} words
 */
public record CachePolicy(CacheZone zone, ComplexValue key, Freshness freshness, Set<String> methods,
        List<ComplexValue> bypass, List<ComplexValue> noCache, int minUses, Set<String> useStale) {

    /** Serves {@code ex} from the cache, or calls {@code upstream} with what to do with the upstream's answer. */
    public void handle(HttpExchange ex, Consumer<CacheFill> upstream) {
        if (!methods.contains(ex.method())) {
            upstream.accept(null);
            return;
        }
        String k = key.evaluate(ex);
        String hash = md5(k);
        boolean noStore = any(noCache, ex);
        if (any(bypass, ex)) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.BYPASS);
            upstream.accept(new Fill(ex, k, hash, noStore, null));
            return;
        }
        List<String> evicted = new ArrayList<>();
        CacheZone.Lookup found = zone.lookup(hash, evicted);
        CacheFiles.delete(zone.path(), evicted);
        CacheMeta cached = found.cached() ? read(hash, k) : null;
        if (cached != null && found.fresh()) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.HIT);
            serve(ex, hash, cached);
            return;
        }
        ex.setAttribute(CacheStatus.KEY, cached != null ? CacheStatus.EXPIRED : CacheStatus.MISS);
        upstream.accept(new Fill(ex, k, hash, noStore || found.uses() < minUses, cached));
    }

    private CacheMeta read(String hash, String k) {
        try {
            CacheMeta m = CacheMeta.read(Path.of(zone.path().file(hash) + CacheMeta.SUFFIX), true);
            if (m.key().equals(k)) {
                return m;
            }
        } catch (IOException e) {
            // removed under us, or not ours: as if not cached
        }
        zone.forget(hash);
        return null;
    }

    private void serve(HttpExchange ex, String hash, CacheMeta m) {
        ex.respondFile(m.status(), m.headers().copy(), zone.path().file(hash), m.length());
    }

    private static boolean any(List<ComplexValue> values, HttpExchange ex) {
        for (ComplexValue v : values) {
            String s = v.evaluate(ex);
            if (s != null && !s.isEmpty() && !s.equals("0")) {
                return true;
            }
        }
        return false;
    }

    static String md5(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(
                    key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One request passed upstream after a lookup; {@code stale} is the expired entry, if any. */
    private final class Fill implements CacheFill {
        private final HttpExchange ex;
        private final String key;
        private final String hash;
        private final boolean noStore;
        private final CacheMeta stale;

        Fill(HttpExchange ex, String key, String hash, boolean noStore, CacheMeta stale) {
            this.ex = ex;
            this.key = key;
            this.hash = hash;
            this.noStore = noStore;
            this.stale = stale;
        }

        @Override
        public ResponseStream respond(int status, HttpHeaders upstreamHeaders, HttpHeaders client) {
            if (stale != null && useStale.contains("http_" + status)) {
                ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
                serve(ex, hash, stale);
                return DiscardStream.INSTANCE;
            }
            long validUntil = noStore || ex.method().equals("HEAD") ? -1
                    : freshness.validUntil(status, upstreamHeaders, zone.now());
            if (validUntil < 0) {
                return ex.startResponse(status, client);
            }
            HttpHeaders stored = client.copy();
            for (CharSequence hop : List.of(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING,
                    HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE)) {
                stored.remove(hop);
            }
            ResponseStream out = ex.startResponse(status, client);
            return CacheWriter.open(out, zone, hash, new CacheMeta(key, validUntil, status, 0, stored));
        }

        @Override
        public boolean serveStale(String condition) {
            if (stale == null || !useStale.contains(condition)) {
                return false;
            }
            ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
            serve(ex, hash, stale);
            return true;
        }
    }
}
