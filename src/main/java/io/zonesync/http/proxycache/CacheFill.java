package io.zonesync.http.proxycache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.zonesync.http.core.ResponseStream;
import java.util.function.Predicate;

/**
 * What the proxy tells the cache about a request it passes upstream after a cache lookup: the
 * response (to store while it streams to the client) or the failure (which a stale entry may answer).
 */
public interface CacheFill {

    /**
     * The request going upstream: as nginx with a cache, the client's conditional and range headers
     * are not passed (the cache needs whole answers), with {@code proxy_cache_revalidate} an
     * expired entry's ETag and Last-Modified ask the upstream for a 304, and with
     * {@code proxy_cache_convert_head} a HEAD goes as GET. Headers for which {@code userSet} is true
     * ({@code proxy_set_header}) are left as they are.
     */
    void prepare(HttpRequest upstreamRequest, Predicate<String> userSet);

    /**
     * The upstream's response starts. {@code upstream} are its headers as received, {@code client}
     * those the client gets: starts the response and returns the stream the body goes through (the
     * client's, one that also writes the body to the cache, or one that drops it when a stale entry
     * answered instead, as {@code proxy_cache_use_stale http_NNN} allows).
     */
    ResponseStream respond(int status, HttpHeaders upstream, HttpHeaders client);

    /**
     * No usable response: {@code condition} is a {@code proxy_cache_use_stale} word ({@code error},
     * {@code timeout}, {@code invalid_header}, {@code http_502}, ...). Returns true when a stale entry
     * answered the request instead of the error.
     */
    boolean serveStale(String condition);

    /**
     * The proxied request is over, however it ended (called when no response went through
     * {@link #respond}'s stream too; more than once is harmless): a {@code proxy_cache_lock} held
     * for it is released.
     */
    void done();
}
