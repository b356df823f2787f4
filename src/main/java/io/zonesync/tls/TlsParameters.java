package io.zonesync.tls;

/**
 * What a zone_sync link's TLS session is: the protocol and cipher suite negotiated, and the peer
 * certificate's subject when this node verified that certificate (null otherwise).
 */
public record TlsParameters(String protocol, String cipher, String peerSubject) {
}
