package io.zonesync.sync.proto;

import io.netty.handler.codec.DecoderException;

/**
 * A peer broke the wire protocol. The message names the field, the bad value and the limit; the
 * code is what the ABORT frame tells the peer. By the time this is thrown the link is closed.
 */
public final class ProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final AbortCode code;

    public ProtocolException(AbortCode code, String message) {
        super(message);
        this.code = code;
    }

    public ProtocolException(AbortCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public AbortCode code() {
        return code;
    }
}
