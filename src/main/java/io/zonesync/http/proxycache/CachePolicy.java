package io.zonesync.http.proxycache;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.ResponseStream;
import io.zonesync.http.core.StatusPages;
import io.zonesync.http.core.Subrequest;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * @param convertHead {@code proxy_cache_convert_head}: a HEAD request goes upstream as GET, so its
 *        answer fills the cache
 *
 * <p>Metadata and bodies are read, and bodies written, on {@link CacheIo}: a lookup that must look
 * on disk continues on the request's event loop once the pool has read the entry.
 */
public record CachePolicy(CacheZone zone, ComplexValue key, Freshness freshness, Set<String> methods,
        List<ComplexValue> bypass, List<ComplexValue> noCache, int minUses, Set<String> useStale, boolean revalidate,
        Lock lock, boolean backgroundUpdate, List<ComplexValue> purge, boolean convertHead) {
    private static final Logger LOG = LoggerFactory.getLogger(CachePolicy.class);
    /** The failures an entry's stale-if-error time covers (nginx 1.22: not the upstream's error statuses). */
    private static final Set<String> STALE_IF_ERROR = Set.of("error", "timeout", "invalid_header");

    /**
     * Handed to a background update's subrequest: the primary key's hash it refreshes, and the
     * updating mark it holds on the file hash {@code marked}.
     */
    private record Background(String hash, String marked, CacheLocks.Held updating) {
    }

    /**
     * What a lookup found for a request: the file hash its entry is (or would be) kept under, the
     * primary key's hash, whether that file is a Vary variant's (secondary), the entry's metadata
     * (null when none), whether it is fresh and how often its key was asked for.
     */
    private record Entry(String hash, String primary, boolean secondary, CacheMeta meta, boolean fresh, int uses) {
        static Entry none(String hash, int uses) {
            return new Entry(hash, hash, false, null, false, uses);
        }
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
        ex.setAttribute(CacheStats.KEY, zone.stats());
        boolean noStore = any(noCache, ex);
        HttpHeaders request = ex.requestHeaders();
        Background bg = ex.attribute(BACKGROUND);
        if (bg != null && ex.isSubrequest()) {
            ex.setAttribute(BACKGROUND, null);
            if (bg.hash().equals(hash)) {
                // the refresh of an entry another request answered STALE
                onDisk(ex, () -> entry(hash, k, request, new CacheZone.Lookup(true, false, 1)), e -> {
                    ex.setAttribute(CacheStatus.KEY, e.meta() != null ? CacheStatus.EXPIRED : CacheStatus.MISS);
                    upstream.accept(new Fill(ex, k, e, noStore, e.meta(),
                            () -> zone.updating().release(bg.marked(), bg.updating()), true));
                });
                return;
            }
            zone.updating().release(bg.marked(), bg.updating());
        }
        if (any(bypass, ex)) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.BYPASS);
            upstream.accept(new Fill(ex, k, Entry.none(hash, 1), noStore, null, null));
            return;
        }
        List<String> evicted = new ArrayList<>();
        CacheZone.Lookup found = zone.lookup(hash, evicted);
        CacheFiles.delete(zone.path(), evicted);
        if (!found.cached() && !zone.loading()) {
            lookedUp(ex, upstream, lockDeadline, k, noStore, Entry.none(hash, found.uses()));
            return;
        }
        onDisk(ex, () -> entry(hash, k, request, found), e -> lookedUp(ex, upstream, lockDeadline, k, noStore, e));
    }

    /** Runs {@code read} on the disk pool, then {@code then} with its result on the request's event loop. */
    private void onDisk(HttpExchange ex, Supplier<Entry> read, Consumer<Entry> then) {
        CacheIo.supply(read).whenComplete((e, failure) -> ex.eventLoop().execute(() -> {
            if (failure != null) {
                LOG.error(ex.errorLog(), "cache lookup failed ({})", failure.toString());
                ex.sendError(500);
                return;
            }
            then.accept(e);
        }));
    }

    /**
     * On the disk pool: the entry of key {@code k} (hash {@code hash}, which the zone says is
     * {@code found}) for a request with headers {@code request}; an entry stored with Vary for other
     * values of the headers it names sends the lookup on to this request's variant's own file, as nginx does.
     */
    private Entry entry(String hash, String k, HttpHeaders request, CacheZone.Lookup found) {
        Entry primary = fileEntry(hash, hash, false, k, found);
        CacheMeta m = primary.meta();
        if (m == null || m.vary() == null) {
            return primary;
        }
        String variant = Variant.of(hash, m.vary(), request);
        if (variant.equals(m.variant())) {
            return primary;
        }
        List<String> evicted = new ArrayList<>();
        CacheZone.Lookup other = zone.lookup(variant, evicted);
        CacheFiles.delete(zone.path(), evicted);
        Entry secondary = fileEntry(variant, hash, true, k, other);
        CacheMeta sm = secondary.meta();
        if (sm != null && !variant.equals(sm.variant())) {
            // a variant's file whose response no longer varies so: a miss, as nginx's "incorrect vary hash"
            return new Entry(variant, hash, true, null, false, other.uses());
        }
        return secondary;
    }

    /** On the disk pool: the metadata of file {@code hash} if it holds key {@code k}, the zone told of what was loaded or gone. */
    private Entry fileEntry(String hash, String primary, boolean secondary, String k, CacheZone.Lookup found) {
        if (!found.cached() && !zone.loading()) {
            return new Entry(hash, primary, secondary, null, false, found.uses());
        }
        CacheMeta m = read(hash, k);
        if (found.cached() && m == null) {
            zone.forget(hash);
        }
        boolean fresh = found.fresh();
        if (!found.cached() && m != null) {
            // the loader has not reached this key yet
            List<String> evicted = new ArrayList<>();
            zone.loaded(hash, m.validUntil(), m.length(), evicted);
            CacheFiles.delete(zone.path(), evicted);
            fresh = m.validUntil() > zone.now();
        }
        return new Entry(hash, primary, secondary, m, m != null && fresh, found.uses());
    }

    /** On the event loop, once the entry is known: HIT, an expired entry's handling, or MISS (with the lock). */
    private void lookedUp(HttpExchange ex, Consumer<CacheFill> upstream, long lockDeadline, String k, boolean noStore,
            Entry e) {
        CacheMeta cached = e.meta();
        if (cached != null && e.fresh()) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.HIT);
            serve(ex, e.hash(), cached);
            return;
        }
        boolean store = !noStore && e.uses() >= minUses;
        if (cached != null) {
            expired(ex, upstream, k, e, !store);
            return;
        }
        ex.setAttribute(CacheStatus.KEY, CacheStatus.MISS);
        if (lock == null) {
            upstream.accept(new Fill(ex, k, e, !store, null, null));
            return;
        }
        String hash = e.hash();
        long now = zone.now();
        long deadline = lockDeadline < 0 ? now + lock.timeoutMs() : lockDeadline;
        CacheLocks.Held held = zone.locks().acquire(hash, lock.ageMs());
        if (held != null) {
            upstream.accept(new Fill(ex, k, e, !store, null, () -> zone.locks().release(hash, held)));
        } else if (now >= deadline) {
            // waited long enough: go upstream, but leave storing to the lock's holder
            upstream.accept(new Fill(ex, k, e, true, null, null));
        } else {
            waitForLock(ex, upstream, hash, now, deadline);
        }
    }

    /**
     * An expired entry: the first request refreshes it (EXPIRED), or with a background update answers
     * with it (STALE) while a subrequest refreshes it; while it is being refreshed the others get it
     * (UPDATING) if {@code proxy_cache_use_stale updating}, or the entry's own
     * {@code stale-while-revalidate} time, allows, else go upstream too (EXPIRED).
     */
    private void expired(HttpExchange ex, Consumer<CacheFill> upstream, String k, Entry e, boolean noStore) {
        String hash = e.hash();
        CacheMeta cached = e.meta();
        CacheLocks.Held mark = zone.updating().acquire(hash, Long.MAX_VALUE);
        boolean staleWhileUpdating = useStale.contains("updating") || cached.staleWhileUpdating(zone.now());
        if (mark == null && staleWhileUpdating) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.UPDATING);
            serve(ex, hash, cached);
            return;
        }
        Runnable unmark = mark == null ? null : () -> zone.updating().release(hash, mark);
        if (mark != null && backgroundUpdate && staleWhileUpdating && !ex.isSubrequest()) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
            ex.setAttribute(BACKGROUND, new Background(e.primary(), hash, mark));
            String method = ex.method().equals("HEAD") ? "GET" : ex.method();
            ex.subrequest(new Subrequest(method, ex.uri(), ex.args(), null)).whenComplete((r, failure) -> {
                if (failure != null) {
                    unmark.run(); // else the refresh releases the mark when its response ends
                }
            });
            ex.setAttribute(BACKGROUND, null);
            serve(ex, hash, cached);
            return;
        }
        ex.setAttribute(CacheStatus.KEY, CacheStatus.EXPIRED);
        upstream.accept(new Fill(ex, k, e, noStore, cached, unmark));
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

    /**
     * Answers from the entry in file {@code hash}: 304 to a matching conditional request; else the
     * whole body, or (where the upstream's response allowed ranges) the client's Range as nginx's
     * range filter answers it, the file opened and read on the disk pool.
     */
    private void serve(HttpExchange ex, String hash, CacheMeta m) {
        if (NotModified.applies(m.status(), ex.requestHeaders(), m.headers())) {
            ex.startResponse(304, NotModified.headers(m.headers())).end();
            return;
        }
        HttpHeaders h = m.headers().copy();
        ByteRanges.Decision d = ranges(ex, m.status(), h, m.length(), Integer.MAX_VALUE);
        if (d != null && d.unsatisfiable()) {
            unsatisfiable(ex, h, m.length());
            return;
        }
        int status = m.status();
        List<CachedBody.Piece> pieces = new ArrayList<>();
        if (d == null || d.declined()) {
            pieces.add(CachedBody.Piece.file(0, m.length()));
        } else if (d.spans().size() == 1) {
            ByteRanges.Span span = d.spans().get(0);
            status = 206;
            h.set(HttpHeaderNames.CONTENT_RANGE, ByteRanges.contentRange(span, m.length()));
            pieces.add(CachedBody.Piece.file(span.start(), span.length()));
        } else {
            status = 206;
            String boundary = ByteRanges.boundary();
            String type = h.get(HttpHeaderNames.CONTENT_TYPE);
            h.set(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
            for (ByteRanges.Span span : d.spans()) {
                pieces.add(CachedBody.Piece.of("\r\n--" + boundary + "\r\n"
                        + (type == null ? "" : "Content-Type: " + type + "\r\n")
                        + "Content-Range: " + ByteRanges.contentRange(span, m.length()) + "\r\n\r\n"));
                pieces.add(CachedBody.Piece.file(span.start(), span.length()));
            }
            pieces.add(CachedBody.Piece.of("\r\n--" + boundary + "--\r\n"));
        }
        long length = 0;
        for (CachedBody.Piece p : pieces) {
            length += p.size();
        }
        boolean head = ex.method().equals("HEAD");
        if (!(head && h.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            // (an answer to a HEAD sent upstream keeps its own, which a HEAD gets as nginx sends it)
            h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        if (head || length == 0) {
            ex.startResponse(status, h).end();
            return;
        }
        Path file = zone.path().file(hash);
        int answer = status;
        CacheIo.supply(() -> {
            try {
                return FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).whenComplete((ch, failure) -> ex.eventLoop().execute(() -> {
            if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                cause = cause.getCause() != null ? cause.getCause() : cause;
                LOG.error(ex.errorLog(), "open() \"{}\" failed ({})", file, cause.getMessage());
                ex.sendError(cause instanceof AccessDeniedException ? 403 : 404);
                return;
            }
            CachedBody.send(ex.eventLoop(), ex.startResponse(answer, h), ch, file.toString(), pieces);
        }));
    }

    /**
     * Where nginx's range filter applies to a 200 of {@code length} bytes (the upstream said
     * Accept-Ranges, the request is not a subrequest), its decision on the client's Range, and the
     * headers made to say so: the upstream's Accept-Ranges is not passed, {@code Accept-Ranges: bytes}
     * is when the whole body goes. Null where ranges do not apply.
     */
    private static ByteRanges.Decision ranges(HttpExchange ex, int status, HttpHeaders h, long length, int max) {
        boolean allowed = h.contains(HttpHeaderNames.ACCEPT_RANGES);
        h.remove(HttpHeaderNames.ACCEPT_RANGES);
        if (!allowed || status != 200 || length < 0 || ex.isSubrequest()) {
            return null;
        }
        ByteRanges.Decision d = ByteRanges.decide(ex.requestHeaders(), h, length, max);
        if (d.declined()) {
            h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        }
        return d;
    }

    /**
     * 416 with nginx's page and {@code Content-Range: bytes *}{@code /LENGTH}; as nginx's error
     * pages, without the response's ETag, Last-Modified and Accept-Ranges.
     */
    private static void unsatisfiable(HttpExchange ex, HttpHeaders h, long length) {
        h.remove(HttpHeaderNames.ETAG);
        h.remove(HttpHeaderNames.LAST_MODIFIED);
        h.remove(HttpHeaderNames.ACCEPT_RANGES);
        h.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
        h.set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        h.remove(HttpHeaderNames.CONTENT_LENGTH);
        h.remove(HttpHeaderNames.TRANSFER_ENCODING);
        ex.respond(416, h, Unpooled.wrappedBuffer(StatusPages.page(416,
                ex.location() == null || ex.location().serverTokens())));
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
        private final Entry entry;
        private final boolean noStore;
        private final CacheMeta stale;
        /** Releases the lock or updating mark this request holds on the key; null if none. */
        private final Runnable unlock;
        private final boolean refresh;
        private boolean revalidating;
        /** The request went upstream as HEAD: its answer has no body, and its Content-Length is kept. */
        private boolean headUpstream;

        Fill(HttpExchange ex, String key, Entry entry, boolean noStore, CacheMeta stale, Runnable unlock) {
            this(ex, key, entry, noStore, stale, unlock, false);
        }

        /** @param refresh whether this is a background update's subrequest, which no log phase counts */
        Fill(HttpExchange ex, String key, Entry entry, boolean noStore, CacheMeta stale, Runnable unlock,
                boolean refresh) {
            this.refresh = refresh;
            this.ex = ex;
            this.unlock = unlock;
            this.key = key;
            this.entry = entry;
            this.noStore = noStore;
            this.stale = stale;
        }

        @Override
        public void prepare(HttpRequest upstreamRequest, Predicate<String> userSet) {
            if (convertHead && ex.method().equals("HEAD")) {
                upstreamRequest.setMethod(HttpMethod.GET);
            }
            headUpstream = upstreamRequest.method().equals(HttpMethod.HEAD);
            HttpHeaders request = upstreamRequest.headers();
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
            if (status == 304 && revalidating) {
                revalidated(upstreamHeaders);
                return released(DiscardStream.INSTANCE);
            }
            if (stale != null && useStale.contains("http_" + status)) {
                ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
                serve(ex, entry.hash(), stale);
                return released(DiscardStream.INSTANCE);
            }
            long validUntil = noStore ? -1 : freshness.validUntil(status, upstreamHeaders, zone.now());
            // the client's conditional headers did not go upstream: they are answered here, as nginx does
            boolean notModified = NotModified.applies(status, ex.requestHeaders(), client);
            if (validUntil < 0) {
                if (notModified) {
                    ex.startResponse(304, NotModified.headers(client)).end();
                    return released(DiscardStream.INSTANCE);
                }
                return released(ex.startResponse(status, client));
            }
            HttpHeaders stored = client.copy();
            for (CharSequence hop : List.of(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING,
                    HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE)) {
                if (!(headUpstream && hop == HttpHeaderNames.CONTENT_LENGTH)) {
                    stored.remove(hop);
                }
            }
            String vary = freshness.vary(upstreamHeaders);
            String variant = vary == null ? null : Variant.of(entry.primary(), vary, ex.requestHeaders());
            // nginx keeps the answer in the variant's file it looked in only while the answer still varies so
            String target = entry.secondary() && entry.hash().equals(variant) ? entry.hash() : entry.primary();
            long[] staleSec = freshness.staleSeconds(upstreamHeaders);
            CacheMeta meta = new CacheMeta(key, validUntil, status, 0, stored, vary, variant, staleSec[0], staleSec[1]);
            ResponseStream out;
            ByteRanges.Decision d = ranges(ex, status, client, length(client), 1);
            if (notModified) {
                // the client gets 304 (once the entry is stored) while the whole body goes to the cache
                out = new NotModifiedStream(ex, NotModified.headers(client));
            } else if (d != null && d.unsatisfiable()) {
                // nginx ends the request with its 416 and stores nothing
                unsatisfiable(ex, client, length(client));
                return released(DiscardStream.INSTANCE);
            } else if (d != null && !d.declined()) {
                ByteRanges.Span span = d.spans().get(0);
                client.set(HttpHeaderNames.CONTENT_RANGE, ByteRanges.contentRange(span, length(client)));
                client.set(HttpHeaderNames.CONTENT_LENGTH, span.length());
                out = new RangeStream(ex.startResponse(206, client), span);
            } else {
                out = ex.startResponse(status, client);
            }
            return CacheWriter.open(released(out), ex.eventLoop(), zone, target, meta, ex.attribute(CacheStatus.KEY));
        }

        /** The stream with this request's lock or updating mark released once it ends. */
        private ResponseStream released(ResponseStream out) {
            return unlock == null ? out : new Releasing(out, this::ended);
        }

        /**
         * The response ended with {@code bodyBytes} of body. A background update's fetch is nobody's
         * request, so no log phase counts it: it is counted here, as NGINX Plus counts it (an
         * expired response read from upstream; {@link CacheWriter} counts what it wrote).
         */
        private void ended(long bodyBytes) {
            CacheStatus status = ex.attribute(CacheStatus.KEY);
            if (refresh && status != null) {
                zone.stats().served(status, bodyBytes);
            }
            done();
        }

        @Override
        public void done() {
            if (unlock != null) {
                unlock.run();
            }
        }

        /** The upstream says the expired entry is still good: fresh again, as the 304's headers or proxy_cache_valid say. */
        private void revalidated(HttpHeaders notModified) {
            ex.setAttribute(CacheStatus.KEY, CacheStatus.REVALIDATED);
            long validUntil = freshness.validUntil(stale.status(), notModified, zone.now());
            String hash = entry.hash();
            if (validUntil <= 0) {
                serve(ex, hash, stale);
                return;
            }
            long[] staleSec = freshness.staleSeconds(notModified);
            CacheMeta fresh = new CacheMeta(key, validUntil, stale.status(), stale.length(), stale.headers(),
                    stale.vary(), stale.variant(), staleSec[0], staleSec[1]);
            CacheIo.supply(() -> {
                Path metaFile = Path.of(zone.path().file(hash) + CacheMeta.SUFFIX);
                Path temp = zone.path().tempDir().resolve(hash + ".revalidated." + System.nanoTime());
                try {
                    Files.createDirectories(temp.getParent());
                    fresh.write(temp);
                    Files.move(temp, metaFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    List<String> evicted = new ArrayList<>();
                    zone.stored(hash, validUntil, stale.length(), evicted);
                    CacheFiles.delete(zone.path(), evicted);
                } catch (IOException e) {
                    // the entry stays expired: the next request asks the upstream again
                }
                return null;
            }).whenComplete((v, e) -> ex.eventLoop().execute(() -> serve(ex, hash, fresh)));
        }

        @Override
        public boolean serveStale(String condition) {
            if (stale == null || !(useStale.contains(condition)
                    || (STALE_IF_ERROR.contains(condition) && stale.staleOnError(zone.now())))) {
                return false;
            }
            ex.setAttribute(CacheStatus.KEY, CacheStatus.STALE);
            serve(ex, entry.hash(), stale);
            return true;
        }
    }

    /** The Content-Length of a response's headers, -1 when it has none (chunked). */
    private static long length(HttpHeaders h) {
        String cl = h.get(HttpHeaderNames.CONTENT_LENGTH);
        if (cl == null || h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
