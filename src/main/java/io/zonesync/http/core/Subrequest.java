package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * What a subrequest ({@link HttpExchange#subrequest}) asks for: a request made inside the server to
 * a location, which runs that location's phases without its response reaching the client.
 *
 * @param method the subrequest's method ({@code $request_method} inside it)
 * @param uri a path, or a named location ({@code @name})
 * @param args the query string without {@code ?}, null for none
 * @param body the body the subrequest carries (ownership passes to it), null for none: the
 *        location's handler then sees an empty body and no Content-Length of its own
 */
public record Subrequest(String method, String uri, String args, ByteBuf body) {
    public Subrequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
    }
}
