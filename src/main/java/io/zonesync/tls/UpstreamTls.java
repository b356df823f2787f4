package io.zonesync.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslCertificateException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.CertificateVerifier;
import io.netty.util.NetUtil;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import java.net.Socket;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The client side of TLS to proxied https upstreams, from the {@code proxy_ssl_*} directives with
 * nginx's defaults: verify off, verify depth 1, ciphers DEFAULT, no SNI (never for an IP address),
 * session reuse on. With
 * verification on, the upstream's certificate must chain to {@code proxy_ssl_trusted_certificate},
 * pass the CRLs and match the name the request asks for ({@code proxy_ssl_name}, evaluated per
 * request by the caller). One context serves every name: the name rides in the engine's peer host,
 * which also keys the session cache, so a session is only resumed for the server and name it was
 * verified for.
 */
public final class UpstreamTls {
    static final String PREFIX = "proxy_ssl_";
    /** Marks a peer host as ours (and keeps Netty from sending it as SNI). */
    private static final char MARK = '/';

    private final SslContext context;
    private final boolean verify;
    private final boolean sendServerName;
    private final boolean sessionReuse;

    private UpstreamTls(SslContext context, boolean verify, boolean sendServerName, boolean sessionReuse) {
        this.context = context;
        this.verify = verify;
        this.sendServerName = sendServerName;
        this.sessionReuse = sessionReuse;
    }

    /** The upstream TLS of a location whose {@code proxy_pass} is https. */
    public static UpstreamTls compile(Scope scope, Path confDir, Directive pass) throws ConfigException {
        TlsOptions.requireOpenSsl(pass.where());
        TlsFiles files = new TlsFiles(confDir);
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .endpointIdentificationAlgorithm(null);
        Directive cert = scope.effectiveFirst(PREFIX + "certificate");
        Directive key = scope.effectiveFirst(PREFIX + "certificate_key");
        if (cert != null) {
            if (cert.arg(0).indexOf('$') >= 0 || (key != null && key.arg(0).indexOf('$') >= 0)) {
                throw cert.error("variables in \"%s\" and \"%scertificate_key\" are not supported", cert.name(),
                        PREFIX);
            }
            if (key == null) {
                throw cert.error("no \"proxy_ssl_certificate_key\" is defined for certificate \"%s\"", cert.arg(0));
            }
            List<X509Certificate> chain = files.certificates(cert, "certificate");
            PrivateKey pk = files.key(key, scope.effectiveFirst(PREFIX + "password_file"));
            KeyPairCheck.require(cert, chain.get(0), key, pk);
            b.keyManager(pk, chain);
        }
        TlsOptions.apply(b, scope, PREFIX, "DEFAULT", files);
        Directive verifyDirective = scope.effectiveFirst(PREFIX + "verify");
        boolean verify = verifyDirective != null && Values.flag(verifyDirective);
        Directive ca = scope.effectiveFirst(PREFIX + "trusted_certificate");
        Directive crlDirective = scope.effectiveFirst(PREFIX + "crl");
        List<X509Certificate> trusted = ca == null ? List.of() : files.certificates(ca, "trusted certificate");
        List<X509CRL> crls = crlDirective == null ? List.of() : files.crls(crlDirective);
        if (verify && trusted.isEmpty()) {
            throw verifyDirective.error("no proxy_ssl_trusted_certificate for proxy_ssl_verify");
        }
        int depth = TlsOptions.verifyDepth(scope, PREFIX, files);
        b.trustManager(new NameCheck(verify ? new PeerCertificateCheck(trusted, List.of(), crls, depth, null,
                Clock.systemUTC()) : null));
        Directive sni = scope.effectiveFirst(PREFIX + "server_name");
        Directive reuse = scope.effectiveFirst(PREFIX + "session_reuse");
        try {
            return new UpstreamTls(b.build(), verify, sni != null && Values.flag(sni), reuse == null || Values.flag(reuse));
        } catch (SSLException | IllegalArgumentException e) {
            throw pass.error("cannot set up TLS to the upstream: %s", e.getMessage());
        }
    }

    /**
     * A handler for a connection to the server at {@code peer} (its address text) whose
     * certificate is checked against {@code name}; the handshake must end within {@code timeoutMs}.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String name, String peer, int port, long timeoutMs) {
        // a session is resumed only for the same server and name; without reuse none is looked up
        SSLEngine engine = sessionReuse ? context.newEngine(alloc, MARK + name + MARK + peer, port)
                : context.newEngine(alloc);
        if (sendServerName && !NetUtil.isValidIpV4Address(name) && !NetUtil.isValidIpV6Address(name)) {
            try {
                SSLParameters p = engine.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(name)));
                engine.setSSLParameters(p);
            } catch (IllegalArgumentException e) {
                // not a name SNI can carry: none is sent
            }
        }
        if (!sessionReuse && verify) {
            NameCheck.expect(engine, name);
        }
        SslHandler h = new SslHandler(engine);
        h.setHandshakeTimeoutMillis(timeoutMs);
        return h;
    }

    /** Whether a handshake failure is its timeout. */
    public static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A failed handshake as nginx logs it, up to {@code while SSL handshaking to upstream}: a
     * certificate verify error with OpenSSL's code and words, a name mismatch, or the TLS error.
     */
    public static String failureWords(Throwable failure, String name) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PeerCertificateCheck.PeerCertificateException e) {
                if (e.code == CertificateVerifier.X509_V_ERR_HOSTNAME_MISMATCH) {
                    return "upstream SSL certificate does not match \"" + name + "\"";
                }
                ClientVerify.Failure f = ClientVerify.Failure.of(e.code);
                return "upstream SSL certificate verify error: (" + f.code() + ":" + f.reason() + ")";
            }
        }
        if (isTimeout(failure)) {
            return "upstream timed out (110: Connection timed out)";
        }
        return "SSL_do_handshake() failed (" + HandshakeFailure.describe(failure) + ")";
    }

    /**
     * Accepts any certificate with verification off; with it on, the chain checks of
     * {@link PeerCertificateCheck} and the name carried in the engine's peer host.
     */
    private static final class NameCheck extends X509ExtendedTrustManager {
        private static final Map<SSLEngine, String> EXPECTED = Collections.synchronizedMap(new WeakHashMap<>());
        private final PeerCertificateCheck check;

        NameCheck(PeerCertificateCheck check) {
            this.check = check;
        }

        /** For an engine without a peer host (no session reuse): the name to check. */
        static void expect(SSLEngine engine, String name) {
            EXPECTED.put(engine, name);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (check == null) {
                return;
            }
            String host = engine.getPeerHost();
            String name = host != null && host.length() > 1 && host.charAt(0) == MARK
                    ? host.substring(1, host.indexOf(MARK, 1)) : EXPECTED.remove(engine);
            try {
                check.check(chain, name);
            } catch (PeerCertificateCheck.PeerCertificateException e) {
                throw new OpenSslCertificateException(e.getMessage(), e, e.code);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("upstream TLS runs on engines only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("upstream TLS runs on engines only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
