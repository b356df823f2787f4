package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The metadata file beside a cached body ({@code HASH.meta}, UTF-8 lines): {@code zonesync-cache 1},
 * then {@code key}, {@code valid} (epoch milliseconds), {@code status} and {@code length} lines,
 * the optional lines {@code vary} and {@code variant} (a response with Vary: its value and the
 * hash of the request headers it names, {@link Variant}) and {@code stale} (the seconds of
 * Cache-Control's stale-while-revalidate and stale-if-error), an empty line, and the response
 * headers as {@code Name: value} lines.
 *
 * @param vary the response's Vary, or null
 * @param variant the variant hash of the request that stored it, or null without Vary
 * @param staleUpdatingSec how long after {@code validUntil} the entry may answer while being refreshed
 * @param staleErrorSec how long after {@code validUntil} the entry may answer an upstream failure
 */
record CacheMeta(String key, long validUntil, int status, long length, HttpHeaders headers, String vary,
        String variant, long staleUpdatingSec, long staleErrorSec) {
    static final String SUFFIX = ".meta";
    private static final String MAGIC = "zonesync-cache 1";

    CacheMeta(String key, long validUntil, int status, long length, HttpHeaders headers) {
        this(key, validUntil, status, length, headers, null, null, 0, 0);
    }

    /** The same entry with the body's length known. */
    CacheMeta withLength(long n) {
        return new CacheMeta(key, validUntil, status, n, headers, vary, variant, staleUpdatingSec, staleErrorSec);
    }

    /** Whether, expired at {@code now}, Cache-Control's stale-while-revalidate still lets it answer. */
    boolean staleWhileUpdating(long now) {
        return validUntil + staleUpdatingSec * 1000 >= now;
    }

    /** Whether, expired at {@code now}, Cache-Control's stale-if-error still lets it answer a failure. */
    boolean staleOnError(long now) {
        return validUntil + staleErrorSec * 1000 >= now;
    }

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n');
        sb.append("key ").append(key.replace('\n', ' ')).append('\n');
        sb.append("valid ").append(validUntil).append('\n');
        sb.append("status ").append(status).append('\n');
        sb.append("length ").append(length).append('\n');
        if (vary != null) {
            sb.append("vary ").append(vary.replace('\n', ' ')).append('\n');
            sb.append("variant ").append(variant).append('\n');
        }
        if (staleUpdatingSec > 0 || staleErrorSec > 0) {
            sb.append("stale ").append(staleUpdatingSec).append(' ').append(staleErrorSec).append('\n');
        }
        sb.append('\n');
        for (Map.Entry<String, String> e : headers) {
            sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /** Reads a metadata file; with {@code withHeaders} false stops after the fixed lines (the loader's scan). */
    static CacheMeta read(Path file, boolean withHeaders) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (!MAGIC.equals(r.readLine())) {
                throw new IOException("not a cache metadata file");
            }
            String key = value(r.readLine(), "key");
            long valid = Long.parseLong(value(r.readLine(), "valid"));
            int status = Integer.parseInt(value(r.readLine(), "status"));
            long length = Long.parseLong(value(r.readLine(), "length"));
            String vary = null;
            String variant = null;
            long staleUpdating = 0;
            long staleError = 0;
            String optional;
            while (!"".equals(optional = r.readLine())) {
                if (optional == null) {
                    throw new IOException("bad cache metadata file");
                } else if (optional.startsWith("vary ")) {
                    vary = optional.substring(5);
                } else if (optional.startsWith("variant ")) {
                    variant = optional.substring(8);
                } else if (optional.startsWith("stale ")) {
                    String[] two = optional.substring(6).split(" ");
                    staleUpdating = Long.parseLong(two[0]);
                    staleError = Long.parseLong(two[two.length - 1]);
                } else {
                    throw new IOException("bad cache metadata file");
                }
            }
            HttpHeaders headers = new DefaultHttpHeaders();
            String line;
            while (withHeaders && (line = r.readLine()) != null) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    headers.add(line.substring(0, colon), line.substring(colon + 2));
                }
            }
            return new CacheMeta(key, valid, status, length, headers, vary, variant, staleUpdating, staleError);
        } catch (NumberFormatException e) {
            throw new IOException("bad cache metadata file", e);
        }
    }

    private static String value(String line, String name) throws IOException {
        if (line == null || !line.startsWith(name + " ")) {
            throw new IOException("bad cache metadata file: no " + name);
        }
        return line.substring(name.length() + 1);
    }
}
