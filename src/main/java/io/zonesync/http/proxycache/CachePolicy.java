package io.zonesync.http.proxycache;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.ResponseStream;
import io.zonesync.http.core.Subrequest;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

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
 * @param revalidate {@code proxy_cache_revalidate}: an expired entry is checked with a conditional request
 * @param lock {@code proxy_cache_lock}, or null when off
 * @param backgroundUpdate {@code proxy_cache_background_update} (with {@code proxy_cache_use_stale updating})
 * @param purge NGINX Plus's {@code proxy_cache_purge}: a non-empty value other than "0" makes the
 *        request remove its key's entry (or, for a key ending in {@code *}, every entry whose key
 *        starts so) instead of going upstream
 */
public record CachePolicy(CacheZone zone, ComplexValue key, Freshness freshness, Set<String> methods,
        List<ComplexValue> bypass, List<ComplexValue> noCache, int minUses, Set<String> useStale, boolean revalidate,
        Lock lock, boolean backgroundUpdate, List<ComplexValue> purge) {

    /** Handed to a background update's subrequest: the key it refreshes and the updating mark it holds. */
    private record Background(String hash, CacheLocks.Held updating) {
    }

    private static final AttributeKey<Background> BACKGROUND = AttributeKey.inherited("proxy cache background update");

    /**
     * {@code proxy_cache_lock on}: of the requests for an uncached key only the lock's holder goes
     * upstream; the others wait for it up to {@code timeoutMs} (then go upstream themselves and do
     * not store), and a lock held {@code ageMs} may be taken over by one of them.
     */
    public record Lock(long timeoutMs, long ageMs) {
    }

    /** Serves {@code ex} from the cache, or calls {@code upstream} with what to do with the upstream's answer. */
    public void handle(HttpExchange ex, Consumer<CacheFill> upstream) {
        handle(ex, upstream, -1);
    }

    /** As {@link #handle(HttpExchange, Consumer)}; {@code lockDeadline} ends a wait for the lock (-1: not waited yet). */
    private void handle(HttpExchange ex, Consumer<CacheFill> upstream, long lockDeadline) {
        if (lockDeadline < 0 && any(purge, ex)) {
            purge(ex, key.evaluate(ex));
            return;
        }
        if (!methods.contains(ex.method())) {
            upstream.accept(null);
            return;
        }
        String k = key.evaluate(ex);
        String hash = md5(k);
        Background bg = ex.attribute(BACKGROUND);
        CacheLocks.Held background = null;
        if (bg != null && ex.isSubrequest()) {
            ex.setAttribute(BACKGROUND, null);
            if (bg.hash().equals(hash)) {
                background = bg.updating();
            } else {
                zone.updating().release(bg.hash(), bg.updating());
            }
        }
        if (background != null) {
            // the refresh of an entry another request answered STALE
            CacheMeta stale = read(hash, k);
            ex.setAttribute(CacheStatus.KEY, stale != null ? CacheStatus.EXPIRED : CacheStatus.MISS);
            CacheLocks.Held mark = background;
            upstream.accept(new Fill(ex, k, hash, any(noCache, ex), stale,
                    () -> zone.updating().release(hash, mark)));
            return;
        }
        boolean noStore = any(noCache, ex);
        if (any(bypass, ex)) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.BYPASS);
            upstream.accept(new Fill(ex, k, hash, noStore, null, null));
            return;
        }
        List<String> evicted = new ArrayList<>();
        CacheZone.Lookup found = zone.lookup(hash, evicted);
        CacheFiles.delete(zone.path(), evicted);
        if (!found.cached() && zone.loading()) {
            // the loader has not reached this key yet: look on disk
            CacheMeta onDisk = read(hash, k);
            if (onDisk != null) {
                zone.loaded(hash, onDisk.validUntil(), onDisk.length(), evicted);
                CacheFiles.delete(zone.path(), evicted);
                found = new CacheZone.Lookup(true, onDisk.validUntil() > zone.now(), found.uses());
            }
        }
        CacheMeta cached = found.cached() ? read(hash, k) : null;
        if (found.cached() && cached == null) {
            zone.forget(hash);
        }
        if (cached != null && found.fresh()) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.HIT);
            serve(ex, hash, cached);
            return;
        }
        noStore |= found.uses() < minUses;
        if (cached != null) {
            expired(ex, upstream, k, hash, noStore, cached);
            return;
        }
        if (lock == null) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.MISS);
            upstream.accept(new Fill(ex, k, hash, noStore, null, null));
            return;
        }
        ex.setAttribute(CacheStatus.KEY, CacheStatus.MISS);
        long now = zone.now();
        long deadline = lockDeadline < 0 ? now + lock.timeoutMs() : lockDeadline;
        CacheLocks.Held held = zone.locks().acquire(hash, lock.ageMs());
        if (held != null) {
            upstream.accept(new Fill(ex, k, hash, noStore, null, () -> zone.locks().release(hash, held)));
        } else if (now >= deadline) {
            // waited long enough: go upstream, but leave storing to the lock's holder
            upstream.accept(new Fill(ex, k, hash, true, null, null));
        } else {
            waitForLock(ex, upstream, hash, now, deadline);
        }
    }

    /**
     * An expired entry: the first request refreshes it (EXPIRED), or with a background update answers
     * with it (STALE) while a subrequest refreshes it; while it is being refreshed the others get it
     * (UPDATING) if {@code proxy_cache_use_stale updating} allows, else go upstream too (EXPIRED).
     */
    private void expired(HttpExchange ex, Consumer<CacheFill> upstream, String k, String hash, boolean noStore,
            CacheMeta cached) {
        CacheLocks.Held mark = zone.updating().acquire(hash, Long.MAX_VALUE);
        boolean staleWhileUpdating = useStale.contains("updating");
        if (mark == null && staleWhileUpdating) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.UPDATING);
            serve(ex, hash, cached);
            return;
        }
        Runnable unmark = mark == null ? null : () -> zone.updating().release(hash, mark);
        if (mark != null && backgroundUpdate && staleWhileUpdating && !ex.isSubrequest()) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
            ex.setAttribute(BACKGROUND, new Background(hash, mark));
            String method = ex.method().equals("HEAD") ? "GET" : ex.method();
            ex.subrequest(new Subrequest(method, ex.uri(), ex.args(), null)).whenComplete((r, e) -> {
                if (e != null) {
                    unmark.run(); // else the refresh releases the mark when its response ends
                }
            });
            ex.setAttribute(BACKGROUND, null);
            serve(ex, hash, cached);
            return;
        }
        ex.setAttribute(CacheStatus.KEY, CacheStatus.EXPIRED);
        upstream.accept(new Fill(ex, k, hash, noStore, cached, unmark));
    }

    /** Looks again once the lock on {@code hash} is released, may be taken over, or the wait is over. */
    private void waitForLock(HttpExchange ex, Consumer<CacheFill> upstream, String hash, long now, long deadline) {
        AtomicBoolean woken = new AtomicBoolean();
        Runnable retry = () -> {
            if (woken.compareAndSet(false, true)) {
                ex.eventLoop().execute(() -> handle(ex, upstream, deadline));
            }
        };
        long expires = zone.locks().expires(hash, lock.ageMs());
        long wake = expires < 0 ? deadline : Math.min(deadline, expires);
        ScheduledFuture<?> timer = ex.eventLoop().schedule(retry, Math.max(1, wake - now), TimeUnit.MILLISECONDS);
        if (!zone.locks().await(hash, () -> {
            timer.cancel(false);
            retry.run();
        })) {
            timer.cancel(false);
            retry.run();
        }
    }

    /** Removes the entry of {@code k}, or those whose keys start with it less its final {@code *}: 204, or 404 if none. */
    private void purge(HttpExchange ex, String k) {
        CachePurges shared = zone.purges();
        if (shared != null) {
            shared.local(k); // the other nodes purge it too, found here or not, while this one reads its files
        }
        List<String> hashes = new ArrayList<>();
        if (k.endsWith("*")) {
            String prefix = k.substring(0, k.length() - 1);
            for (String h : zone.keys()) {
                try {
                    CacheMeta m = CacheMeta.read(Path.of(zone.path().file(h) + CacheMeta.SUFFIX), true);
                    if (m.key().startsWith(prefix)) {
                        hashes.add(h);
                    }
                } catch (IOException e) {
                    // a key asked for but not stored, or removed meanwhile
                }
            }
        } else {
            String h = md5(k);
            if (read(h, k) != null) {
                hashes.add(h);
            }
        }
        hashes.forEach(zone::forget);
        CacheFiles.delete(zone.path(), hashes);
        if (hashes.isEmpty()) {
            ex.sendError(404);
        } else {
            ex.respond(204, new DefaultHttpHeaders(), Unpooled.EMPTY_BUFFER);
        }
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
        return null;
    }

    private void serve(HttpExchange ex, String hash, CacheMeta m) {
        if (NotModified.applies(m.status(), ex.requestHeaders(), m.headers())) {
            ex.startResponse(304, NotModified.headers(m.headers())).end();
            return;
        }
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
        /** Releases the lock or updating mark this request holds on the key; null if none. */
        private final Runnable unlock;
        private boolean revalidating;

        Fill(HttpExchange ex, String key, String hash, boolean noStore, CacheMeta stale, Runnable unlock) {
            this.ex = ex;
            this.unlock = unlock;
            this.key = key;
            this.hash = hash;
            this.noStore = noStore;
            this.stale = stale;
        }

        @Override
        public void prepare(HttpHeaders request, Predicate<String> userSet) {
            for (String name : List.of("If-Modified-Since", "If-Unmodified-Since", "If-None-Match", "If-Match",
                    "Range", "If-Range")) {
                if (!userSet.test(name.toLowerCase(Locale.ROOT))) {
                    request.remove(name);
                }
            }
            if (!revalidate || stale == null) {
                return;
            }
            String etag = stale.headers().get(HttpHeaderNames.ETAG);
            String modified = stale.headers().get(HttpHeaderNames.LAST_MODIFIED);
            if (etag != null && !userSet.test("if-none-match")) {
                request.set(HttpHeaderNames.IF_NONE_MATCH, etag);
                revalidating = true;
            }
            if (modified != null && !userSet.test("if-modified-since")) {
                request.set(HttpHeaderNames.IF_MODIFIED_SINCE, modified);
                revalidating = true;
            }
        }

        @Override
        public ResponseStream respond(int status, HttpHeaders upstreamHeaders, HttpHeaders client) {
            ResponseStream out = respondFromUpstream(status, upstreamHeaders, client);
            return unlock == null ? out : new Releasing(out, this::done);
        }

        @Override
        public void done() {
            if (unlock != null) {
                unlock.run();
            }
        }

        private ResponseStream respondFromUpstream(int status, HttpHeaders upstreamHeaders, HttpHeaders client) {
            if (status == 304 && revalidating) {
                revalidated(upstreamHeaders);
                return DiscardStream.INSTANCE;
            }
            if (stale != null && useStale.contains("http_" + status)) {
                ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
                serve(ex, hash, stale);
                return DiscardStream.INSTANCE;
            }
            long validUntil = noStore || ex.method().equals("HEAD") ? -1
                    : freshness.validUntil(status, upstreamHeaders, zone.now());
            // the client's conditional headers did not go upstream: they are answered here, as nginx does
            boolean notModified = NotModified.applies(status, ex.requestHeaders(), client);
            if (validUntil < 0) {
                if (notModified) {
                    ex.startResponse(304, NotModified.headers(client)).end();
                    return DiscardStream.INSTANCE;
                }
                return ex.startResponse(status, client);
            }
            HttpHeaders stored = client.copy();
            for (CharSequence hop : List.of(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING,
                    HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE)) {
                stored.remove(hop);
            }
            ResponseStream out;
            if (notModified) {
                // the client gets 304 while the whole body goes to the cache
                ex.startResponse(304, NotModified.headers(client)).end();
                out = DiscardStream.INSTANCE;
            } else {
                out = ex.startResponse(status, client);
            }
            return CacheWriter.open(out, zone, hash, new CacheMeta(key, validUntil, status, 0, stored));
        }

        /** The upstream says the expired entry is still good: fresh again, as the 304's headers or proxy_cache_valid say. */
        private void revalidated(HttpHeaders notModified) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.REVALIDATED);
            long validUntil = freshness.validUntil(stale.status(), notModified, zone.now());
            if (validUntil > 0) {
                Path metaFile = Path.of(zone.path().file(hash) + CacheMeta.SUFFIX);
                Path temp = zone.path().tempDir().resolve(hash + ".revalidated." + System.nanoTime());
                try {
                    Files.createDirectories(temp.getParent());
                    new CacheMeta(key, validUntil, stale.status(), stale.length(), stale.headers()).write(temp);
                    Files.move(temp, metaFile, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                    List<String> evicted = new ArrayList<>();
                    zone.stored(hash, validUntil, stale.length(), evicted);
                    CacheFiles.delete(zone.path(), evicted);
                } catch (IOException e) {
                    // the entry stays expired: the next request asks the upstream again
                }
            }
            serve(ex, hash, stale);
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
