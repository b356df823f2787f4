package io.zonesync.http.upstream;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.vars.RequestView;

/**
 * A session persistence method of an upstream ({@code sticky cookie|route|learn}), as the proxy
 * drives it: once per request it is asked for the server id the request is bound to, then told
 * about the server that answered.
 */
public interface StickyPolicy {

    /** Starts a request: reads its session id or route from the request's variables. */
    StickyRequest begin(RequestView request);

    /** The sticky state of one request. Called on the request's event loop. */
    interface StickyRequest {
        /** The server id the request asks for, or null to balance normally. */
        String hint();

        /**
         * The chosen server's response headers arrived; {@code toClient} are the headers about to be
         * sent, which the method may add to (a cookie).
         */
        default void onHeaders(Peer peer, HttpHeaders toClient) {
        }

        /** The attempt on {@code peer} completed without failure. */
        default void onComplete(Peer peer) {
        }
    }
}
