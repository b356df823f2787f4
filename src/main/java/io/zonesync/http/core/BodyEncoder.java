package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;

/**
 * Re-encodes a response body on its way out ({@code gzip}), chosen for one response by a
 * {@link HeaderFilter} through {@link HttpExchange#encodeBody}. Its pieces go out as they are
 * encoded, so a body is never held whole; the length of an encoded body is not known in advance
 * (chunked, or the connection closes after an HTTP/1.0 response). Runs on the connection's event loop.
 */
public interface BodyEncoder {

    /** Encodes the next piece of the body, releasing {@code in}; the result may be empty. */
    ByteBuf encode(ByteBuf in);

    /** What remains once the body has ended. */
    ByteBuf finish();

    /** Frees what the encoder holds when the response ends early. */
    void close();
}
