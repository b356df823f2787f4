package io.zonesync.http.authjwt;

import io.netty.buffer.ByteBuf;
import io.zonesync.config.FileSnapshots;
import io.zonesync.http.core.BodyOutput;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.Subrequest;
import io.zonesync.http.vars.ComplexValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the keys of one {@code auth_jwt} level come from, in nginx's order: {@code auth_jwt_key_file}s
 * named without variables (read when the configuration is loaded), those whose names hold variables
 * (read per request, and again only when the file changes), and {@code auth_jwt_key_request}
 * subrequests, whose 2xx body is the key set (at most {@link #MAX_BODY} bytes). With
 * {@code auth_jwt_key_cache}, the keys of a file or a request are kept that long, by its name.
 */
final class JwtKeySources {
    static final int MAX_BODY = 1024 * 1024;
    private static final int CACHED = 256;

    /** Why no keys could be had for a request (the request is answered 500). */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    /** Keys and until when they may be used. */
    private record Cached(List<JwtKey> keys, long untilMillis) {
    }

    /** What every level of a configuration shares: the key files as last read and the key cache. */
    static final class Shared {
        final FileSnapshots<List<JwtKey>> files = new FileSnapshots<>(
                (file, content) -> JwtKeyFile.parse(new String(content, StandardCharsets.UTF_8)));
        final Map<String, Cached> cache = new ConcurrentHashMap<>();
    }

    private final List<JwtKey> fixed;
    private final List<ComplexValue> files;
    private final Path confDir;
    private final List<ComplexValue> requests;
    private final long cacheMillis;
    private final Shared shared;

    JwtKeySources(List<JwtKey> fixed, List<ComplexValue> files, Path confDir, List<ComplexValue> requests,
            long cacheMillis, Shared shared) {
        this.fixed = List.copyOf(fixed);
        this.files = List.copyOf(files);
        this.confDir = confDir;
        this.requests = List.copyOf(requests);
        this.cacheMillis = cacheMillis;
        this.shared = shared;
    }

    /** Whether the keys are the same for every request (only files named without variables). */
    boolean isFixed() {
        return files.isEmpty() && requests.isEmpty();
    }

    List<JwtKey> fixed() {
        return fixed;
    }

    /** The request's keys; fails with {@link Unavailable} when a file or subrequest gives none. */
    CompletionStage<List<JwtKey>> keys(HttpExchange ex) {
        List<JwtKey> all = new ArrayList<>(fixed);
        try {
            for (ComplexValue f : files) {
                all.addAll(file(ex, f));
            }
        } catch (Unavailable e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletionStage<List<JwtKey>> out = CompletableFuture.completedFuture(all);
        for (ComplexValue r : requests) {
            out = out.thenCompose(sofar -> request(ex, r).thenApply(more -> {
                List<JwtKey> joined = new ArrayList<>(sofar);
                joined.addAll(more);
                return joined;
            }));
        }
        return out;
    }

    private List<JwtKey> file(HttpExchange ex, ComplexValue name) {
        String value = name.evaluate(ex);
        Path path = confDir.resolve(value == null ? "" : value).normalize();
        List<JwtKey> cached = cached("file " + path, ex.nowMillis());
        if (cached != null) {
            return cached;
        }
        try {
            List<JwtKey> keys = shared.files.get(path);
            keep("file " + path, keys, ex.nowMillis());
            return keys;
        } catch (JwtKeyFile.Unusable e) {
            throw new Unavailable(e.in(path.toString()));
        } catch (NoSuchFileException e) {
            throw new Unavailable("open() \"" + path + "\" failed (2: No such file or directory)");
        } catch (IOException e) {
            throw new Unavailable("cannot read \"" + path + "\": " + e.getMessage());
        }
    }

    private CompletionStage<List<JwtKey>> request(HttpExchange ex, ComplexValue uri) {
        String target = uri.evaluate(ex);
        target = target == null ? "" : target;
        List<JwtKey> cached = cached("request " + target, ex.nowMillis());
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String args = q < 0 ? null : target.substring(q + 1);
        Collected body = new Collected();
        String source = target;
        ex.subrequest(new Subrequest("GET", path, args, null), body).whenComplete((r, e) -> body.answered(
                e != null ? -1 : r.status()));
        return body.done.thenApply(text -> {
            try {
                List<JwtKey> keys = JwtKeyFile.parse(text);
                keep("request " + source, keys, ex.nowMillis());
                return keys;
            } catch (JwtKeyFile.Unusable e) {
                throw new Unavailable(e.in("auth_jwt_key_request " + source));
            }
        });
    }

    private List<JwtKey> cached(String key, long now) {
        if (cacheMillis <= 0) {
            return null;
        }
        Cached c = shared.cache.get(key);
        return c != null && now < c.untilMillis() ? c.keys() : null;
    }

    private void keep(String key, List<JwtKey> keys, long now) {
        if (cacheMillis > 0) {
            if (shared.cache.size() >= CACHED) {
                shared.cache.clear();
            }
            shared.cache.put(key, new Cached(keys, now + cacheMillis));
        }
    }

    /** A subrequest's status and body, complete when both are in (or as soon as the status refuses it). */
    private static final class Collected implements BodyOutput {
        final CompletableFuture<String> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int status;
        private boolean ended;
        private boolean tooLarge;

        void answered(int code) {
            status = code;
            if (code < 200 || code > 299) {
                done.completeExceptionally(new Unavailable(
                        "auth_jwt_key_request subrequest answered " + (code < 0 ? "nothing" : code)));
            }
            finish();
        }

        @Override
        public void write(ByteBuf piece) {
            try {
                int n = piece.readableBytes();
                if (bytes.size() + n > MAX_BODY) {
                    tooLarge = true;
                } else if (!tooLarge) {
                    piece.readBytes(bytes, n);
                }
            } catch (IOException e) {
                tooLarge = true; // a ByteArrayOutputStream does not fail
            } finally {
                piece.release();
            }
        }

        @Override
        public void end() {
            ended = true;
            finish();
        }

        @Override
        public void abort() {
            done.completeExceptionally(new Unavailable("auth_jwt_key_request subrequest failed"));
        }

        private void finish() {
            if (!ended || status == 0) {
                return;
            }
            if (tooLarge) {
                done.completeExceptionally(new Unavailable(
                        "auth_jwt_key_request body is larger than " + MAX_BODY + " bytes"));
            } else {
                done.complete(bytes.toString(StandardCharsets.UTF_8));
            }
        }
    }
}
