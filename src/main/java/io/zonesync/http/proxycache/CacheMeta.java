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
 * an empty line, and the response headers as {@code Name: value} lines.
 */
record CacheMeta(String key, long validUntil, int status, long length, HttpHeaders headers) {
    static final String SUFFIX = ".meta";
    private static final String MAGIC = "zonesync-cache 1";

    void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(MAGIC).append('\n');
        sb.append("key ").append(key.replace('\n', ' ')).append('\n');
        sb.append("valid ").append(validUntil).append('\n');
        sb.append("status ").append(status).append('\n');
        sb.append("length ").append(length).append("\n\n");
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
            if (!"".equals(r.readLine())) {
                throw new IOException("bad cache metadata file");
            }
            HttpHeaders headers = new DefaultHttpHeaders();
            String line;
            while (withHeaders && (line = r.readLine()) != null) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    headers.add(line.substring(0, colon), line.substring(colon + 2));
                }
            }
            return new CacheMeta(key, valid, status, length, headers);
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
