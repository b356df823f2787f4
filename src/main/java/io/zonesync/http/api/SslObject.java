package io.zonesync.http.api;

import io.zonesync.net.HandshakeCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS handshake figures shaped as NGINX Plus's {@code ssl} objects: {@code /N/ssl} (NginxSSLObject),
 * the {@code ssl} of a server zone, http or stream, and that of an upstream server, http or stream.
 * The reasons of failures and {@code verify_failures} appeared in API version 8, as did the server
 * zones' and the upstream servers' {@code ssl}.
 */
public final class SslObject {
    /** The first API version with the detailed figures and the server zones' {@code ssl}. */
    public static final int DETAILED_SINCE = 8;

    private SslObject() {
    }

    /**
     * The object for {@code version}; {@code node}: the node's own ({@code /ssl}), whose
     * {@code verify_failures} also has {@code hostname_mismatch}, which a server zone's lacks.
     */
    public static Map<String, Object> of(HandshakeCounters.Report r, int version, boolean node) {
        return shaped(r, version, true, node);
    }

    /**
     * The {@code ssl} of an upstream server (NginxHTTPUpstreamPeer, NginxStreamUpstreamPeer): the
     * handshakes the node made with it as a client, so without {@code no_common_cipher} and
     * {@code no_cert}, with {@code hostname_mismatch}.
     */
    public static Map<String, Object> upstreamPeer(HandshakeCounters.Report r, int version) {
        return shaped(r, version, false, true);
    }

    private static Map<String, Object> shaped(HandshakeCounters.Report r, int version, boolean serverSide,
            boolean hostname) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("handshakes", r.handshakes());
        out.put("handshakes_failed", r.handshakesFailed());
        out.put("session_reuses", r.sessionReuses());
        if (version < DETAILED_SINCE) {
            return out;
        }
        out.put("no_common_protocol", r.noCommonProtocol());
        if (serverSide) {
            out.put("no_common_cipher", r.noCommonCipher());
        }
        out.put("handshake_timeout", r.handshakeTimeout());
        out.put("peer_rejected_cert", r.peerRejectedCert());
        Map<String, Object> verify = new LinkedHashMap<>();
        if (serverSide) {
            verify.put("no_cert", r.noCert());
        }
        verify.put("expired_cert", r.expiredCert());
        verify.put("revoked_cert", r.revokedCert());
        if (hostname) {
            verify.put("hostname_mismatch", r.hostnameMismatch());
        }
        verify.put("other", r.otherVerifyFailures());
        out.put("verify_failures", verify);
        return out;
    }
}
