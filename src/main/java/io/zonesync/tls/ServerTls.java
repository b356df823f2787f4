package io.zonesync.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCredential;
import io.netty.handler.ssl.OpenSslCredentialBuilder;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;
import io.zonesync.net.HandshakeCounters;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS for a listener with {@code listen ... ssl}, from the {@code ssl_*}
 * directives of its server (http or stream), read with nginx's defaults: protocols TLSv1.2 TLSv1.3,
 * ciphers {@code HIGH:!aNULL:!MD5}, verify_client off, verify depth 1, session cache none, session
 * timeout 5m, handshake timeout 60s. Several {@code ssl_certificate}/{@code ssl_certificate_key}
 * pairs (RSA and ECDSA) are offered together; BoringSSL picks by what the client supports.
 * {@code ssl_prefer_server_ciphers} (default off: the client's order of ciphers wins) is applied to
 * each connection's engine, see {@link #newEngineHandler}.
 * Immutable; files are read once, when the configuration is compiled.
 */
public final class ServerTls {
    static final String PREFIX = "ssl_";
    private static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 60_000;

    private final SslContext context;
    private final long handshakeTimeoutMs;
    private final boolean preferServerCiphers;
    private final String fingerprint;
    /** http's {@code ssl_verify_client}, judged after the handshake (null: the handshake judges, or nothing). */
    private final ClientVerify verify;
    /** The status zones whose servers' handshakes these are. */
    private final List<HandshakeCounters> zones;

    private ServerTls(SslContext context, long handshakeTimeoutMs, boolean preferServerCiphers, String fingerprint,
            ClientVerify verify, List<HandshakeCounters> zones) {
        this.context = context;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.preferServerCiphers = preferServerCiphers;
        this.fingerprint = fingerprint;
        this.verify = verify;
        this.zones = zones;
    }

    /** The same TLS, whose handshakes also count in {@code zone} (a status zone of its server). */
    public ServerTls countingInto(HandshakeCounters zone) {
        List<HandshakeCounters> more = new ArrayList<>(zones);
        more.add(zone);
        return new ServerTls(context, handshakeTimeoutMs, preferServerCiphers, fingerprint, verify, List.copyOf(more));
    }

    /**
     * The handler that goes right behind this TLS's handler and counts how the handshake ended, in
     * {@code node} (the node's figures) and in the zones of {@link #countingInto}.
     */
    public HandshakeCount counter(HandshakeCounters node) {
        return new HandshakeCount(node, this);
    }

    List<HandshakeCounters> zones() {
        return zones;
    }

    ClientVerify verify() {
        return verify;
    }

    /**
     * The TLS of a server whose {@code listen} (where it stands, for errors) has {@code ssl}; relative paths
     * resolve against {@code confDir}.
     */
    public static ServerTls compile(Scope scope, SourceLocation listen, Path confDir) throws ConfigException {
        return compile(scope, listen, confDir, false, List.of(), false);
    }

    /**
     * The TLS of an http server: as above, selecting by ALPN the first of {@code protocols} a client
     * offers (a client that offers none of them still connects, without ALPN).
     */
    public static ServerTls compileHttp(Scope scope, SourceLocation listen, Path confDir, List<String> protocols)
            throws ConfigException {
        return compile(scope, listen, confDir, false, protocols, true);
    }

    /**
     * As above; with {@code askForClientCertificate}, a listener whose {@code ssl_verify_client} is
     * off still asks clients for a certificate (accepting any, or none), for a later check of its
     * own (zone_sync's peers are verified at their HELLO).
     */
    public static ServerTls compile(Scope scope, SourceLocation listen, Path confDir, boolean askForClientCertificate)
            throws ConfigException {
        return compile(scope, listen, confDir, askForClientCertificate, List.of(), false);
    }

    private static ServerTls compile(Scope scope, SourceLocation listen, Path confDir, boolean askForClientCertificate,
            List<String> alpn, boolean http) throws ConfigException {
        TlsOptions.requireOpenSsl(listen);
        TlsFiles files = new TlsFiles(confDir);
        List<Directive> certs = scope.effective("ssl_certificate");
        List<Directive> keys = scope.effective("ssl_certificate_key");
        if (certs.isEmpty()) {
            throw ConfigException.at(listen, "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive");
        }
        Directive passwords = scope.effectiveFirst("ssl_password_file");
        List<PrivateKey> privateKeys = new ArrayList<>();
        List<X509Certificate[]> chains = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            if (i >= keys.size()) {
                throw certs.get(i).error("no \"ssl_certificate_key\" is defined for certificate \"%s\"",
                        certs.get(i).arg(0));
            }
            List<X509Certificate> chain = files.certificates(certs.get(i), "certificate");
            PrivateKey key = files.key(keys.get(i), passwords);
            KeyPairCheck.require(certs.get(i), chain.get(0), keys.get(i), key);
            privateKeys.add(key);
            chains.add(chain.toArray(new X509Certificate[0]));
        }
        // The first pair is the context's own; the others are BoringSSL credentials, among which it
        // picks per handshake by what the client supports (an ECDSA-only client gets the ECDSA one).
        SslContextBuilder b = SslContextBuilder.forServer(privateKeys.get(0), chains.get(0))
                .sslProvider(SslProvider.OPENSSL);
        for (int i = 1; i < privateKeys.size(); i++) {
            if (!OpenSslCredential.isAvailable()) {
                throw certs.get(i).error("a second \"ssl_certificate\" needs BoringSSL credentials, which %s lacks",
                        OpenSsl.versionString());
            }
            b.addCredential(OpenSslCredentialBuilder.forX509(privateKeys.get(i), chains.get(i)).build());
        }
        TlsOptions.apply(b, scope, PREFIX, "HIGH:!aNULL:!MD5", files);
        if (!alpn.isEmpty()) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        verification(b, scope, files, askForClientCertificate, http);
        long sessionTimeoutMs = TlsOptions.time(scope, "ssl_session_timeout", 300_000, files);
        b.sessionTimeout(Math.max(1, sessionTimeoutMs / 1000));
        long cacheSessions = sessionCache(scope, files);
        if (cacheSessions > 0) {
            b.sessionCacheSize(cacheSessions);
        }
        Directive tickets = scope.effectiveFirst("ssl_session_tickets");
        files.note(tickets);
        List<OpenSslSessionTicketKey> ticketKeys = new ArrayList<>();
        for (Directive k : scope.effective("ssl_session_ticket_key")) {
            ticketKeys.add(files.ticketKey(k));
        }
        if (ticketKeys.isEmpty()) {
            ticketKeys.add(randomTicketKey());
        }
        // http has no ssl_handshake_timeout: as in nginx, the handshake is bounded by client_header_timeout
        long handshake = TlsOptions.time(scope, http ? "client_header_timeout" : "ssl_handshake_timeout",
                DEFAULT_HANDSHAKE_TIMEOUT_MS, files);
        Directive prefer = scope.effectiveFirst("ssl_prefer_server_ciphers");
        files.note(prefer);
        boolean preferServerCiphers = prefer != null && Values.flag(prefer);
        try {
            SslContext ctx = b.build();
            if (cacheSessions == 0 && ctx.sessionContext() instanceof OpenSslSessionContext s) {
                s.setSessionCacheEnabled(false);
            }
            if ((tickets == null || Values.flag(tickets)) && ctx.sessionContext() instanceof OpenSslSessionContext s) {
                // the first key seals new tickets, every one opens them (Netty leaves tickets off until it has a key)
                s.setTicketKeys(ticketKeys.toArray(new OpenSslSessionTicketKey[0]));
            }
            return new ServerTls(ctx, handshake, preferServerCiphers, files.fingerprint(),
                    http ? ClientVerify.of(scope) : null, List.of());
        } catch (SSLException | IllegalArgumentException e) {
            throw ConfigException.at(listen, "cannot set up TLS for this listener: %s", e.getMessage());
        }
    }

    /**
     * A random session ticket key (name, HMAC and AES keys), new for each context, when the
     * configuration names none: tickets then open only on this node and until its next reload.
     */
    private static OpenSslSessionTicketKey randomTicketKey() {
        SecureRandom random = new SecureRandom();
        byte[][] parts = new byte[3][16];
        for (byte[] p : parts) {
            random.nextBytes(p);
        }
        return new OpenSslSessionTicketKey(parts[0], parts[1], parts[2]);
    }

    /**
     * {@code ssl_verify_client}. An http server takes any certificate at the handshake and keeps the
     * verdict for each request to judge, as nginx does ({@link ClientVerify}); a zone_sync listener
     * ends the handshake of a certificate that fails.
     */
    private static void verification(SslContextBuilder b, Scope scope, TlsFiles files, boolean ask, boolean http)
            throws ConfigException {
        Directive verify = scope.effectiveFirst("ssl_verify_client");
        files.note(verify);
        String mode = verify == null ? "off" : verify.arg(0);
        Directive clientCa = scope.effectiveFirst("ssl_client_certificate");
        Directive trustedCa = scope.effectiveFirst("ssl_trusted_certificate");
        Directive crlDirective = scope.effectiveFirst("ssl_crl");
        Directive dh = scope.effectiveFirst("ssl_dhparam");
        if (dh != null) {
            files.dhParameters(dh);
        }
        int depth = TlsOptions.verifyDepth(scope, PREFIX, files);
        List<X509Certificate> advertised = clientCa == null ? List.of() : files.certificates(clientCa, "client certificate");
        List<X509Certificate> trusted = new ArrayList<>(advertised);
        if (trustedCa != null) {
            trusted.addAll(files.certificates(trustedCa, "trusted certificate"));
        }
        List<X509CRL> crls = crlDirective == null ? List.of() : files.crls(crlDirective);
        switch (mode) {
            case "off" -> {
                if (ask) {
                    b.clientAuth(ClientAuth.OPTIONAL);
                    b.trustManager(new PeerCertificateCheck(null, List.of(), List.of(), depth, null, Clock.systemUTC()));
                }
            }
            case "on", "optional" -> {
                if (trusted.isEmpty()) {
                    throw verify.error("no ssl_client_certificate or ssl_trusted_certificate for ssl_verify_client");
                }
                b.clientAuth(mode.equals("on") && !http ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
                b.trustManager(new PeerCertificateCheck(trusted, advertised, crls, depth, null, Clock.systemUTC(), http));
            }
            case "optional_no_ca" -> {
                if (http) {
                    b.clientAuth(ClientAuth.OPTIONAL);
                    b.trustManager(new PeerCertificateCheck(trusted, advertised, crls, depth, null, Clock.systemUTC(),
                            true));
                    return;
                }
                b.clientAuth(ClientAuth.OPTIONAL);
                b.trustManager(new PeerCertificateCheck(null, List.of(), List.of(), depth, null, Clock.systemUTC()));
            }
            default -> throw verify.error("invalid value \"%s\" in \"ssl_verify_client\" directive, it must be \"on\","
                    + " \"off\", \"optional\" or \"optional_no_ca\"", mode);
        }
    }

    /** Sessions the cache holds: 0 for off/none, builtin[:n], shared:name:size at about 4000 per MB. */
    private static long sessionCache(Scope scope, TlsFiles files) throws ConfigException {
        Directive d = scope.effectiveFirst("ssl_session_cache");
        files.note(d);
        if (d == null) {
            return 0;
        }
        long sessions = 0;
        for (String a : d.args()) {
            if (a.equals("off") || a.equals("none")) {
                if (d.argCount() > 1) {
                    throw d.invalidValue(a);
                }
                return 0;
            } else if (a.equals("builtin")) {
                sessions += 20480;
            } else if (a.startsWith("builtin:")) {
                sessions += Values.positiveInt(d, a.substring(8));
            } else if (a.startsWith("shared:") && a.indexOf(':', 7) > 7) {
                sessions += Math.max(1, Values.size(d, a.substring(a.indexOf(':', 7) + 1)) * 4000 / (1024 * 1024));
            } else {
                throw d.invalidValue(a);
            }
        }
        return sessions;
    }

    /** A handler for a new connection, with the configured handshake timeout. */
    public SslHandler newHandler(Channel ch) {
        return newEngineHandler(ch.alloc());
    }

    /**
     * A handler whose engine follows {@code ssl_prefer_server_ciphers}. Netty's OpenSSL context
     * sets SSL_OP_CIPHER_SERVER_PREFERENCE on the whole context, always; nginx sets it only for
     * {@code on}. The option is cleared here on the connection's own SSL object, which copied the
     * context's options when it was made and has not started its handshake. (The context-wide
     * {@code SSLContext.clearOptions} needs tcnative's context handle, which Netty does not hand
     * out: its public {@code sslCtxPointer()} is the bare SSL_CTX, and passing that one crashes.)
     */
    SslHandler newEngineHandler(ByteBufAllocator alloc) {
        SslHandler h = context.newHandler(alloc);
        h.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        if (!preferServerCiphers && h.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            SSL.clearOptions(engine.sslPointer(), SSL.SSL_OP_CIPHER_SERVER_PREFERENCE);
        }
        return h;
    }

    SslContext context() {
        return context;
    }

    public long handshakeTimeoutMs() {
        return handshakeTimeoutMs;
    }

    /** A digest of every setting and file this came from: equal when a reload changed nothing. */
    public String fingerprint() {
        return fingerprint;
    }
}
