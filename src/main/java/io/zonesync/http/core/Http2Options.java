package io.zonesync.http.core;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 settings of one listening address, read from its default server as nginx reads them:
 * {@code http2_max_concurrent_streams} (SETTINGS_MAX_CONCURRENT_STREAMS), {@code http2_body_preread_size}
 * (each stream's initial receive window), {@code http2_chunk_size} (the largest DATA frame sent) and
 * {@code http2_recv_buffer_size} (the most bytes one read takes from the socket).
 * {@code cleartextOnly} says a plaintext address speaks HTTP/2 alone ({@code listen ... http2}, as
 * nginx 1.22) rather than telling HTTP/2 from HTTP/1.x by the connection preface ({@code http2 on},
 * as nginx 1.25).
 */
record Http2Options(int maxConcurrentStreams, int bodyPrereadSize, int chunkSize, int recvBufferSize,
        boolean cleartextOnly) {

    private static final Logger LOG = LoggerFactory.getLogger(Http2Options.class);
    /** The largest flow-control window HTTP/2 allows. */
    private static final long MAX_WINDOW = (1L << 31) - 1;
    /** nginx refuses a receive buffer of 32 bytes or less (two of its 16-byte state buffers). */
    private static final long MIN_RECV_BUFFER = 33;
    /** Directives nginx 1.19.7 made obsolete: accepted with nginx's warning; the named directive rules instead. */
    private static final Map<String, String> OBSOLETE = Map.of(
            "http2_idle_timeout", "keepalive_timeout",
            "http2_recv_timeout", "client_header_timeout",
            "http2_max_requests", "keepalive_requests",
            "http2_max_field_size", "large_client_header_buffers",
            "http2_max_header_size", "large_client_header_buffers");

    /** The options in force for a server's scope (its own directives, else the http block's, else nginx's defaults). */
    static Http2Options of(Scope server, boolean cleartextOnly) throws ConfigException {
        int streams = 128;
        Directive d = server.effectiveFirst("http2_max_concurrent_streams");
        if (d != null) {
            long n = Values.parseDigits(d.arg(0));
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw d.error("\"%s\" directive invalid number", d.name());
            }
            streams = (int) n;
        }
        int preread = 64 * 1024;
        d = server.effectiveFirst("http2_body_preread_size");
        if (d != null) {
            long n = Values.size(d, d.arg(0));
            if (n > MAX_WINDOW) {
                throw d.invalidValue(d.arg(0));
            }
            preread = (int) n;
        }
        int chunk = 8 * 1024;
        d = server.effectiveFirst("http2_chunk_size");
        if (d != null) {
            long n = Values.size(d, d.arg(0));
            if (n == 0) {
                throw d.error("the http2 chunk size cannot be zero");
            }
            chunk = (int) Math.min(n, Integer.MAX_VALUE);
        }
        int recv = 256 * 1024;
        d = server.effectiveFirst("http2_recv_buffer_size");
        if (d != null) {
            long n = Values.size(d, d.arg(0));
            if (n < MIN_RECV_BUFFER) {
                throw d.error("\"%s\" directive value is too small", d.name());
            }
            recv = (int) Math.min(n, Integer.MAX_VALUE);
        }
        return new Http2Options(streams, preread, chunk, recv, cleartextOnly);
    }

    /**
     * Checks the HTTP/2 directives that are not settings, wherever they stand in {@code block}:
     * server push is refused (zonesync never pushes; {@code off} is accepted), obsolete directives
     * get nginx's warning.
     */
    static void check(Block block) throws ConfigException {
        for (Directive d : block.directives()) {
            if (d.name().equals("http2_push") && !d.arg(0).equals("off")) {
                throw d.error("HTTP/2 server push is not supported: remove \"http2_push %s\"", d.arg(0));
            }
            if (d.name().equals("http2_push_preload") && Values.flag(d)) {
                throw d.error("HTTP/2 server push is not supported: remove \"http2_push_preload on\"");
            }
            String instead = OBSOLETE.get(d.name());
            if (instead != null) {
                LOG.warn("the \"{}\" directive is obsolete, use the \"{}\" directive instead in {}", d.name(),
                        instead, d.where());
            }
            if (d.hasBlock()) {
                check(d.block());
            }
        }
    }
}
