package io.zonesync.tls;

import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.internal.tcnative.CertificateVerifier;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How a peer's certificate is checked, as OpenSSL does for nginx: a chain to one of the trusted
 * CAs with at most {@code depth} intermediate CAs (OpenSSL's verify depth), every certificate in
 * its validity period, none revoked by the CRLs when CRLs are given (then every CA of the chain
 * needs one, as nginx's CRL_CHECK_ALL), and for a server, a subject alternative name (or, without
 * DNS names, the common name) matching the name we expected. Failures are
 * {@link PeerCertificateException}s whose message says which rule failed.
 */
final class PeerCertificateCheck extends X509ExtendedTrustManager {
    private final Set<TrustAnchor> anchors;
    private final List<X509CRL> crls;
    private final int depth;
    private final String expectedName;
    private final X509Certificate[] advertised;
    private final Clock clock;
    /** For http clients: a failure is kept in the session for the request to judge, the handshake goes on. */
    private final boolean recordClientFailures;

    /**
     * @param trusted the CAs (null: any certificate is accepted, as {@code optional_no_ca} or verify off)
     * @param advertised the CAs whose names go to clients in the certificate request
     * @param expectedName the server name to match, null for clients
     */
    PeerCertificateCheck(List<X509Certificate> trusted, List<X509Certificate> advertised, List<X509CRL> crls, int depth,
            String expectedName, Clock clock) {
        this(trusted, advertised, crls, depth, expectedName, clock, false);
    }

    /**
     * With {@code recordClientFailures}, as nginx checks an http client: every certificate is taken
     * at the handshake and a failure is kept in the session ({@link ClientVerify}); {@code trusted}
     * may then be empty, and every certificate fails as one whose issuer is unknown.
     */
    PeerCertificateCheck(List<X509Certificate> trusted, List<X509Certificate> advertised, List<X509CRL> crls, int depth,
            String expectedName, Clock clock, boolean recordClientFailures) {
        Set<TrustAnchor> a = null;
        if (trusted != null) {
            a = new HashSet<>();
            for (X509Certificate c : trusted) {
                a.add(new TrustAnchor(c, null));
            }
        }
        this.anchors = a;
        this.crls = List.copyOf(crls);
        this.depth = depth;
        this.expectedName = expectedName;
        this.advertised = advertised.toArray(new X509Certificate[0]);
        this.clock = clock;
        this.recordClientFailures = recordClientFailures;
    }

    /** The reason given when the peer sent no certificate. */
    static final String NO_CERTIFICATE = "the peer sent no certificate";

    /** A certificate refused, with the reason in words. */
    static final class PeerCertificateException extends CertificateException {
        private static final long serialVersionUID = 1L;
        /** OpenSSL's X509_V_ERR code, which picks the TLS alert the peer gets. */
        final int code;

        PeerCertificateException(String message, Throwable cause, int code) {
            super(message, cause);
            this.code = code;
        }
    }

    /** The check, failing with the OpenSSL error code so that BoringSSL sends the peer the matching alert. */
    private void verify(X509Certificate[] chain, String name) throws CertificateException {
        try {
            check(chain, name);
        } catch (PeerCertificateException e) {
            throw new OpenSslCertificateException(e.getMessage(), e, e.code);
        }
    }

    void check(X509Certificate[] chain, String name) throws PeerCertificateException {
        if (chain == null || chain.length == 0) {
            throw new PeerCertificateException(NO_CERTIFICATE, null, CertificateVerifier.X509_V_ERR_UNSPECIFIED);
        }
        if (anchors == null) {
            return;
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        Date now = new Date(clock.millis());
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!isAnchor(c)) {
                path.add(c);
            }
        }
        if (path.isEmpty()) {
            path.add(leaf); // the peer's own certificate is in the trusted file: still check its dates
        }
        if (anchors.isEmpty()) {
            throw new PeerCertificateException("certificate \"" + subject + "\" is not issued by a trusted CA", null,
                    issuerUnknown(chain));
        }
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new PeerCertificateException("certificate \"" + subject + "\" expired on " + leaf.getNotAfter()
                    .toInstant(), e, CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED);
        } catch (CertificateNotYetValidException e) {
            throw new PeerCertificateException("certificate \"" + subject + "\" is not valid before "
                    + leaf.getNotBefore().toInstant(), e, CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID);
        }
        if (path.size() - 1 > depth) {
            throw new PeerCertificateException("certificate chain of \"" + subject + "\" has " + (path.size() - 1)
                    + " intermediate CAs, more than the verify depth " + depth, null,
                    CertificateVerifier.X509_V_ERR_CERT_CHAIN_TOO_LONG);
        }
        try {
            CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(now);
            params.setRevocationEnabled(!crls.isEmpty());
            if (!crls.isEmpty()) {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            }
            CertPathValidator.getInstance("PKIX").validate(cp, params);
        } catch (CertPathValidatorException e) {
            throw new PeerCertificateException(describe(e, subject), e,
                    e.getReason() == PKIXReason.NO_TRUST_ANCHOR ? issuerUnknown(chain) : code(e));
        } catch (GeneralSecurityException e) {
            throw new PeerCertificateException("certificate \"" + subject + "\" could not be checked: " + e.getMessage(),
                    e, CertificateVerifier.X509_V_ERR_UNSPECIFIED);
        }
        if (name != null && !HostnameMatch.matches(leaf, name)) {
            throw new PeerCertificateException("certificate \"" + subject + "\" does not match the name \"" + name
                    + "\" (its names: " + HostnameMatch.names(leaf) + ")", null,
                    CertificateVerifier.X509_V_ERR_HOSTNAME_MISMATCH);
        }
    }

    private boolean isAnchor(X509Certificate c) {
        for (TrustAnchor a : anchors) {
            if (a.getTrustedCert().equals(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * OpenSSL's error for a chain it cannot build to a trusted CA: a self-signed certificate alone
     * (18), a chain ending in a self-signed one (19), a lone certificate of an issuer it does not
     * have (21), a longer chain whose last issuer it does not have (20).
     */
    private static int issuerUnknown(X509Certificate[] chain) {
        X509Certificate last = chain[chain.length - 1];
        if (!last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return chain.length == 1 ? CertificateVerifier.X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
                    : CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
        }
        return chain.length == 1 ? CertificateVerifier.X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
                : CertificateVerifier.X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN;
    }

    private static int code(CertPathValidatorException e) {
        if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
            return CertificateVerifier.X509_V_ERR_CERT_REVOKED;
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED;
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            return CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_CRL;
        }
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
            return CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
        }
        return CertificateVerifier.X509_V_ERR_CERT_UNTRUSTED;
    }

    private static String describe(CertPathValidatorException e, String subject) {
        String who = "certificate \"" + subject + "\"";
        if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
            return who + " is revoked (CRL)";
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return who + ": a certificate of its chain has expired";
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return who + ": a certificate of its chain is not valid yet";
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            return who + ": no CRL for its issuer, so its revocation status is unknown";
        }
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
            return who + " is not issued by a trusted CA";
        }
        if (e.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return who + " has an invalid signature";
        }
        return who + " is not valid: " + e.getMessage();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, null);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (!recordClientFailures) {
            verify(chain, null);
            return;
        }
        try {
            check(chain, null);
        } catch (PeerCertificateException e) {
            ClientVerify.record(engine.getHandshakeSession(), ClientVerify.Failure.of(e.code));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, expectedName);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, expectedName);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, expectedName);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return advertised.clone();
    }
}
