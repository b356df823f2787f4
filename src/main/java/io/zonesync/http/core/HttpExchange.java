package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.RequestView;
import io.zonesync.net.ConnectionLimit;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * One request and its response, as handlers see it. Everything of {@link RequestView} (method,
 * URI, headers, addresses, request id, variables' raw material) plus the location chosen, the body,
 * per-request attributes, and the ways to answer.
 *
 * <p>Exactly one response per exchange: {@link #respond}, {@link #sendError},
 * {@link #sendRedirect} or {@link #startResponse}; a second is ignored (and logged). Every response goes through the location's
 * {@link HeaderFilter}s ({@code add_header}) and gets {@code Server}, {@code Date},
 * and the connection's keep-alive headers. Response methods may be called from any thread; they
 * hop to the connection's event loop.
 */
public interface HttpExchange extends RequestView {

    /** The request headers as received (do not modify). */
    HttpHeaders requestHeaders();

    /** The settings of the location (or server, when no location matched) serving the request. */
    LocationConfig location();

    /** The value of a variable by name (without {@code $}), null when unknown or not found. */
    String variable(String name);

    <T> void setAttribute(AttributeKey<T> key, T value);

    /**
     * Serves the rest of the request as coming from {@code client}: {@link #remoteAddress()} and
     * so {@code $remote_addr}, allow/deny, limit_req keys and the access log (realip).
     */
    void realClientAddress(SocketAddress client);

    /** The event loop of the connection: run continuations here to keep to one thread. */
    EventLoop eventLoop();

    /** The node's worker_connections, which connections opened for this request (upstream) count against. */
    ConnectionLimit connectionLimit();

    /**
     * The whole request body, for {@link ContentHandler.BodyMode#AGGREGATE} handlers (empty for
     * others). Owned by the exchange and released when it completes: copy what must outlive it.
     */
    ByteBuf body();

    /** The body as it arrives, for {@link ContentHandler.BodyMode#STREAM} handlers. */
    RequestBody requestBody();

    /**
     * Sends a complete response. Content-Length is set from the body (ownership of which passes to
     * the exchange); for HEAD the body is dropped. {@code headers} may be null.
     */
    void respond(int status, HttpHeaders headers, ByteBuf body);

    /** Sends text with a Content-Type (UTF-8). */
    void respond(int status, String contentType, String text);

    /**
     * Answers with nginx's page for the status (or this location's {@code error_page} for it);
     * 444 closes the connection without an answer.
     */
    void sendError(int status);

    /**
     * Answers a redirect: {@code location} as the Location header (made absolute as
     * {@code absolute_redirect} says; none when empty) and nginx's page for the status.
     */
    void sendRedirect(int status, String location);

    /**
     * Sends a file as the body (zero-copy where the transport allows): {@code length} bytes from
     * its start; for HEAD only the headers.
     */
    void respondFile(int status, HttpHeaders headers, Path file, long length);

    /**
     * Serves the request as if it had asked for {@code uri} (which may carry {@code ?args}) or a
     * named location ({@code @name}): the location is chosen again and its phases run. Used by
     * {@code index} and {@code error_page}; more than 10 in one request answer 500.
     */
    void internalRedirect(String uri);

    /**
     * {@link #internalRedirect} to a URI with the method made GET (HEAD stays HEAD), as nginx
     * follows an upstream's {@code X-Accel-Redirect}.
     */
    void internalRedirectAsGet(String uri);

    /**
     * Changes the URI the request is served as ({@code rewrite}): {@code uri} a path, {@code args}
     * the query string without {@code ?} (null for none). Rewrite steps only; the location is looked
     * up again when the steps end (see {@link RewriteHandler}).
     */
    void rewriteUri(String uri, String args);

    /**
     * Changes the query string ({@code set $args}): what {@code $args}, {@code $arg_*},
     * {@code $query_string} and the proxied URI see from now on. The location stays.
     */
    void setArgs(String args);

    /**
     * From a {@link HeaderFilter} only: the body of the response being sent goes out through
     * {@code encoder} ({@code gzip}); Content-Length is dropped for chunked framing. A second call
     * chains its encoder after the first ({@code sub_filter} then {@code gzip}).
     */
    void encodeBody(BodyEncoder encoder);

    /**
     * From a {@link HeaderFilter} only: the body of the response being sent goes out through
     * {@code filter}, whose output may lag its input ({@code ssi}); Content-Length is dropped for
     * chunked framing. Encoders chosen before it run on its input, those chosen after it
     * ({@code gzip}) on its output. One per response.
     */
    void filterBody(BodyFilter filter);

    /**
     * From a {@link HeaderFilter} only: the response being sent (headers included) goes out at
     * most {@code bytesPerSecond} fast once its first {@code after} bytes have gone
     * ({@code limit_rate}); 0 for no limit. Nothing for a subrequest, whose answer the client
     * never sees.
     */
    void limitRate(long bytesPerSecond, long after);

    /**
     * Makes {@code $1}, {@code $2}, ... refer to these groups ({@code [0]} is the whole match) from
     * now on, and sets the variables of the named ones.
     */
    void captures(Captures captures);

    /** Sends the status and headers now; the body follows through the returned stream. */
    ResponseStream startResponse(int status, HttpHeaders headers);

    /** Whether a response has been started. */
    boolean responseStarted();

    /**
     * Runs a subrequest on the event loop (call it there): {@code request.uri()}'s location is
     * chosen and its rewrite, precontent and content phases run as for a request from the client,
     * but the response goes nowhere. The stage completes, on the event loop, once the status and
     * headers are known; a body that follows is dropped as it comes. The subrequest shares this
     * request's {@code $request_uri}, headers and {@code set} variables; see {@link Subrequest}.
     * Running it does not hold this exchange back: a caller that must wait for it waits on the stage.
     */
    CompletionStage<SubrequestResult> subrequest(Subrequest request);

    /**
     * As {@link #subrequest(Subrequest)}, but the subrequest's response body, once through its
     * location's header filters and body filters and encoders, goes to {@code body} as it comes,
     * an error page's included; {@code body} is ended when the response is.
     */
    CompletionStage<SubrequestResult> subrequest(Subrequest request, BodyOutput body);

    /** Whether this exchange is a subrequest (see {@link #subrequest}). */
    boolean isSubrequest();

    /**
     * Reads the whole request body now, before the content phase (call it from an access handler),
     * and completes with a buffer of it that the caller must release. The content handler still
     * gets the body as it asks. Never completes if the body fails (413, client gone).
     */
    CompletionStage<ByteBuf> bufferBody();
}
