package io.zonesync.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javax.net.ssl.SSLException;

/**
 * The client side of TLS on zone_sync links, from the {@code zone_sync_ssl_*} directives with
 * NGINX Plus's defaults: protocols TLSv1.2 TLSv1.3, ciphers DEFAULT, verify off, verify depth 1,
 * name the host of {@code zone_sync_server}, no SNI. With verification on, the peer's certificate
 * must chain to {@code zone_sync_ssl_trusted_certificate}, pass the CRLs and match the name; the
 * name is bound into the context, so one context is built per name (a handful: one per node).
 */
public final class ClientTls {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTls.class);
    static final String PREFIX = "zone_sync_ssl_";
    /** What follows {@link #PREFIX} in the directives this class reads. */
    private static final List<String> SETTINGS = List.of("certificate", "certificate_key", "password_file",
            "trusted_certificate", "crl", "verify", "verify_depth", "name", "server_name", "protocols", "ciphers",
            "conf_command");

    private final SslContextBuilder template;
    private final boolean verify;
    private final List<X509Certificate> trusted;
    private final List<X509CRL> crls;
    private final int depth;
    private final String fixedName;
    private final boolean sendServerName;
    private final String fingerprint;
    private final Map<String, SslContext> byName = new ConcurrentHashMap<>();

    private ClientTls(SslContextBuilder template, boolean verify, List<X509Certificate> trusted,
            List<X509CRL> crls, int depth, String fixedName, boolean sendServerName, String fingerprint) {
        this.template = template;
        this.verify = verify;
        this.trusted = trusted;
        this.crls = crls;
        this.depth = depth;
        this.fixedName = fixedName;
        this.sendServerName = sendServerName;
        this.fingerprint = fingerprint;
    }

    /**
     * The client TLS of a zone_sync server, or null when {@code zone_sync_ssl} is off. The
     * {@code zone_sync_ssl_*} values and files are checked even while it is off (FILE:LINE errors),
     * so that turning it on by a reload cannot fail on them.
     */
    public static ClientTls compile(Scope scope, Path confDir) throws ConfigException {
        Directive on = scope.effectiveFirst("zone_sync_ssl");
        boolean enabled = on != null && Values.flag(on);
        Directive first = enabled ? on : firstSetting(scope);
        if (first == null) {
            return null; // off, and nothing of it to check
        }
        // the checks below use the TLS library, off or on: without it there is nothing to check them with
        TlsOptions.requireOpenSsl(first.where());
        TlsFiles files = new TlsFiles(confDir);
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .endpointIdentificationAlgorithm(null);
        Directive cert = scope.effectiveFirst(PREFIX + "certificate");
        Directive key = scope.effectiveFirst(PREFIX + "certificate_key");
        if (cert != null) {
            if (key == null) {
                throw cert.error("no \"%scertificate_key\" is defined for certificate \"%s\"", PREFIX, cert.arg(0));
            }
            List<X509Certificate> chain = files.certificates(cert, "certificate");
            PrivateKey pk = files.key(key, scope.effectiveFirst(PREFIX + "password_file"));
            KeyPairCheck.require(cert, chain.get(0), key, pk);
            b.keyManager(pk, chain);
        }
        TlsOptions.apply(b, scope, PREFIX, "DEFAULT", files);
        Directive verifyDirective = scope.effectiveFirst(PREFIX + "verify");
        files.note(verifyDirective);
        boolean verify = verifyDirective != null && Values.flag(verifyDirective);
        Directive ca = scope.effectiveFirst(PREFIX + "trusted_certificate");
        Directive crlDirective = scope.effectiveFirst(PREFIX + "crl");
        List<X509Certificate> trusted = ca == null ? List.of() : files.certificates(ca, "trusted certificate");
        List<X509CRL> crls = crlDirective == null ? List.of() : files.crls(crlDirective);
        int depth = TlsOptions.verifyDepth(scope, PREFIX, files);
        if (!enabled) {
            return null;
        }
        if (verify && trusted.isEmpty()) {
            throw verifyDirective.error("no \"%strusted_certificate\" for \"%sverify\"", PREFIX, PREFIX);
        }
        if (verify && cert == null) {
            // Links carry records both ways, so a verifying peer checks the nodes that dial it too.
            LOG.warn("\"zone_sync_ssl_verify\" is on but no \"zone_sync_ssl_certificate\" is defined in {}: peers that"
                    + " verify will refuse the links this node dials", verifyDirective.where());
        }
        Directive name = scope.effectiveFirst(PREFIX + "name");
        files.note(name);
        Directive sni = scope.effectiveFirst(PREFIX + "server_name");
        files.note(sni);
        ClientTls tls = new ClientTls(b, verify, trusted, crls, depth, name == null ? null : name.arg(0),
                sni != null && Values.flag(sni), files.fingerprint());
        try {
            tls.context(tls.fixedName == null ? "localhost" : tls.fixedName); // fail at compile, not at dial
        } catch (IllegalStateException e) {
            throw on.error("cannot set up TLS for zone_sync links: %s", e.getMessage());
        }
        return tls;
    }

    /** The first {@code zone_sync_ssl_*} directive in force here, or null when there is none. */
    private static Directive firstSetting(Scope scope) {
        for (String name : SETTINGS) {
            Directive d = scope.effectiveFirst(PREFIX + name);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    private SslContext context(String name) {
        String key = verify ? name : "";
        return byName.computeIfAbsent(key, n -> {
            try {
                synchronized (template) {
                    return template.trustManager(new PeerCertificateCheck(verify ? trusted : null, List.of(), crls,
                            depth, verify ? n : null, Clock.systemUTC())).build();
                }
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /** The name a peer's certificate must match: zone_sync_ssl_name, else the host it was listed under. */
    public String nameFor(String listedHost) {
        return fixedName != null ? fixedName : listedHost;
    }

    /**
     * A handler for a link to a node listed as {@code listedHost}, finishing its handshake within
     * {@code timeoutMs} (zone_sync_connect_timeout covers TCP and TLS).
     */
    public SslHandler newHandler(Channel ch, String listedHost, int port, long timeoutMs) {
        String name = nameFor(listedHost);
        SslContext ctx = context(name);
        SslHandler h = sendServerName ? ctx.newHandler(ch.alloc(), name, port) : ctx.newHandler(ch.alloc());
        h.setHandshakeTimeoutMillis(timeoutMs);
        return h;
    }

    /**
     * Why a peer's certificate chain fails the checks this node applies to the peers it dials
     * (trusted CAs, CRLs, verify depth, the name for {@code listedHost}), or null when it passes.
     */
    String refusal(X509Certificate[] chain, String listedHost) {
        String name = nameFor(listedHost);
        try {
            new PeerCertificateCheck(trusted, List.of(), crls, depth, name, Clock.systemUTC()).check(chain, name);
            return null;
        } catch (PeerCertificateCheck.PeerCertificateException e) {
            return e.getMessage();
        }
    }

    public boolean verifies() {
        return verify;
    }

    /** zone_sync_ssl_verify_depth. */
    int verifyDepth() {
        return depth;
    }

    public String fingerprint() {
        return fingerprint;
    }
}
