package io.zonesync.http.api;

import io.zonesync.net.HandshakeCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS handshake figures shaped as NGINX Plus's {@code ssl} objects: {@code /N/ssl} (NginxSSLObject)
 * and the {@code ssl} of a server zone, http or stream. The reasons of failures and
 * {@code verify_failures} appeared in API version 8, as did the server zones' {@code ssl}.
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("handshakes", r.handshakes());
        out.put("handshakes_failed", r.handshakesFailed());
        out.put("session_reuses", r.sessionReuses());
        if (version < DETAILED_SINCE) {
            return out;
        }
        out.put("no_common_protocol", r.noCommonProtocol());
        out.put("no_common_cipher", r.noCommonCipher());
        out.put("handshake_timeout", r.handshakeTimeout());
        out.put("peer_rejected_cert", r.peerRejectedCert());
        Map<String, Object> verify = new LinkedHashMap<>();
        verify.put("no_cert", r.noCert());
        verify.put("expired_cert", r.expiredCert());
        verify.put("revoked_cert", r.revokedCert());
        if (node) {
            verify.put("hostname_mismatch", r.hostnameMismatch());
        }
        verify.put("other", r.otherVerifyFailures());
        out.put("verify_failures", verify);
        return out;
    }
}
