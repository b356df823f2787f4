package io.zonesync.http.core;

/**
 * A check that runs after the location is chosen and before its content handler, as nginx's
 * preaccess, access and precontent phases ({@code limit_req}, {@code allow}/{@code deny},
 * {@code try_files}). Supplied per
 * location by {@link HttpFeature#accessHandlers}. Handlers run in phase order, then in the order
 * features were given to the compiler; the first that does not
 * {@linkplain AccessDecision#proceed() proceed} decides. {@link RewriteHandler}s
 * ({@code return}) run before every access handler, as in nginx.
 *
 * <p>{@link #check} runs on the connection's event loop and must not block; a handler that needs to
 * wait (limit_req's delay) returns {@link AccessDecision#later}.
 */
public interface AccessHandler {

    enum Phase {
        /** nginx's preaccess: limit_req, limit_conn. */
        PREACCESS,
        /** nginx's access: allow/deny, auth. */
        ACCESS,
        /** nginx's precontent: try_files. */
        PRECONTENT
    }

    default Phase phase() {
        return Phase.ACCESS;
    }

    AccessDecision check(HttpExchange exchange) throws Exception;
}
