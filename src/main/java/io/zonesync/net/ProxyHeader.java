package io.zonesync.net;

import io.netty.util.AttributeKey;

/**
 * The addresses a PROXY protocol header (v1 or v2) carried: the client's ({@code source}) and the
 * one it connected to ({@code destination}), as text ($proxy_protocol_addr) and ports. A header
 * without addresses ({@code PROXY UNKNOWN}, v2 {@code LOCAL}) gives no ProxyHeader at all.
 */
public record ProxyHeader(String sourceAddress, int sourcePort, String destinationAddress, int destinationPort) {

    /** Where a connection keeps the header it began with. */
    public static final AttributeKey<ProxyHeader> CHANNEL_KEY = AttributeKey.valueOf(ProxyHeader.class, "header");
}
