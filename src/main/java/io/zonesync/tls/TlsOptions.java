package io.zonesync.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import io.netty.internal.tcnative.SSLContext;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings server and client contexts share: protocols, ciphers (OpenSSL syntax, expanded by
 * BoringSSL itself), verify depth and {@code *_conf_command}. Directive names are the prefix
 * ({@code ssl_} or {@code zone_sync_ssl_}) plus the nginx suffix.
 */
final class TlsOptions {
    private static final Logger LOG = LoggerFactory.getLogger(TlsOptions.class);
    static final List<String> KNOWN_PROTOCOLS = List.of("SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    private static volatile Set<String> runtimeProtocols;

    private TlsOptions() {
    }

    /** The TLS library is there, or a configuration error that says what is missing. */
    static void requireOpenSsl(SourceLocation where) throws ConfigException {
        if (!OpenSsl.isAvailable()) {
            Throwable why = OpenSsl.unavailabilityCause();
            throw ConfigException.at(where, "TLS needs BoringSSL (netty-tcnative-boringssl-static), which did not load: %s",
                    why == null ? "unknown reason" : why.getMessage());
        }
    }

    /** The protocols the runtime can negotiate, from an engine of a throwaway context. */
    static Set<String> runtimeProtocols() {
        Set<String> p = runtimeProtocols;
        if (p == null) {
            try {
                var ctx = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL).build();
                p = new LinkedHashSet<>(List.of(ctx.newEngine(ByteBufAllocator.DEFAULT).getSupportedProtocols()));
                p.remove("SSLv2Hello");
            } catch (SSLException e) {
                p = Set.of("TLSv1.2", "TLSv1.3");
            }
            runtimeProtocols = p;
        }
        return p;
    }

    /**
     * {@code <prefix>protocols}: default TLSv1.2 TLSv1.3; a protocol the runtime cannot offer is left
     * out with a warning; none left is an error.
     */
    static List<String> protocols(Scope scope, String prefix, TlsFiles files) throws ConfigException {
        Directive d = scope.effectiveFirst(prefix + "protocols");
        files.note(d);
        if (d == null) {
            return List.of("TLSv1.2", "TLSv1.3");
        }
        List<String> out = new ArrayList<>();
        for (String p : d.args()) {
            if (!KNOWN_PROTOCOLS.contains(p)) {
                throw d.invalidValue(p);
            }
            if (!runtimeProtocols().contains(p)) {
                LOG.warn("{} {} in {}: the TLS runtime ({}) cannot offer {}, so it is left out (it offers {})",
                        d.name(), p, d.where(), OpenSsl.versionString(), p, runtimeProtocols());
            } else if (!out.contains(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw d.error("none of the protocols of \"%s\" can be offered by %s, which offers %s", d.name(),
                    OpenSsl.versionString(), runtimeProtocols());
        }
        return out;
    }

    /** The cipher suites an OpenSSL cipher string selects, as BoringSSL expands it. */
    static List<String> ciphers(Directive d, String spec) throws ConfigException {
        long ctx = 0;
        long ssl = 0;
        try {
            ctx = SSLContext.make(SSL.SSL_PROTOCOL_ALL, SSL.SSL_MODE_SERVER);
            SSLContext.setCipherSuite(ctx, spec, false);
            ssl = SSL.newSSL(ctx, true);
            String[] names = SSL.getCiphers(ssl);
            if (names == null || names.length == 0) {
                throw new IllegalArgumentException("it selects no cipher");
            }
            return List.of(names);
        } catch (Exception e) {
            String why = e.getMessage() != null && e.getMessage().contains("NO_CIPHER_MATCH")
                    ? "no cipher matches it" : e.getMessage();
            if (d == null) {
                throw new IllegalStateException("the default cipher string \"" + spec + "\": " + why, e);
            }
            throw d.error("invalid cipher string \"%s\" in \"%s\": %s", spec, d.name(), why);
        } finally {
            if (ssl != 0) {
                SSL.freeSSL(ssl);
            }
            if (ctx != 0) {
                SSLContext.free(ctx);
            }
        }
    }

    static int verifyDepth(Scope scope, String prefix, TlsFiles files) throws ConfigException {
        Directive d = scope.effectiveFirst(prefix + "verify_depth");
        files.note(d);
        if (d == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(d.arg(0));
            if (n >= 0 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw d.error("invalid value \"%s\" in \"%s\" directive: a depth from 0 to 100", d.arg(0), d.name());
    }

    static long time(Scope scope, String name, long dflt, TlsFiles files) throws ConfigException {
        Directive d = scope.effectiveFirst(name);
        files.note(d);
        return d == null ? dflt : Values.timeMs(d, d.arg(0));
    }

    /**
     * Applies ciphers, protocols and conf commands to a builder. {@code <prefix>conf_command} is
     * OpenSSL's SSL_CONF_cmd, which BoringSSL lacks: the commands that map onto a BoringSSL setting
     * (Groups/Curves, CipherString, MinProtocol/MaxProtocol) are applied, others are an error.
     */
    static void apply(SslContextBuilder b, Scope scope, String prefix, String defaultCiphers, TlsFiles files)
            throws ConfigException {
        Directive cipherDirective = scope.effectiveFirst(prefix + "ciphers");
        files.note(cipherDirective);
        String spec = cipherDirective == null ? defaultCiphers : cipherDirective.arg(0);
        List<String> protocols = new ArrayList<>(protocols(scope, prefix, files));
        for (Directive c : scope.effective(prefix + "conf_command")) {
            files.note(c);
            String value = c.arg(1);
            switch (c.arg(0)) {
                case "Groups", "Curves" -> b.option(OpenSslContextOption.GROUPS, value.split(":"));
                case "CipherString" -> {
                    spec = value;
                    cipherDirective = c;
                }
                case "MinProtocol", "MaxProtocol" -> {
                    int bound = KNOWN_PROTOCOLS.indexOf(value);
                    if (bound < 0) {
                        throw c.error("invalid value \"%s\" for \"%s\" in \"%s\"", value, c.arg(0), c.name());
                    }
                    boolean min = c.arg(0).startsWith("Min");
                    protocols.removeIf(p -> min ? KNOWN_PROTOCOLS.indexOf(p) < bound : KNOWN_PROTOCOLS.indexOf(p) > bound);
                    if (protocols.isEmpty()) {
                        throw c.error("\"%s %s\" leaves no protocol to offer", c.arg(0), value);
                    }
                }
                case "Ciphersuites" -> throw c.error("\"%s Ciphersuites\" is not supported: BoringSSL always offers"
                        + " its fixed TLSv1.3 cipher suites", c.name());
                default -> throw c.error("\"%s %s\" is not supported: BoringSSL has no SSL_CONF_cmd; supported are"
                        + " Groups, Curves, CipherString, MinProtocol and MaxProtocol", c.name(), c.arg(0));
            }
        }
        b.protocols(protocols);
        List<String> suites = new ArrayList<>(ciphers(cipherDirective, spec));
        if (protocols.contains("TLSv1.3")) {
            // BoringSSL always offers its TLSv1.3 suites and the cipher string cannot select them; Netty
            // turns TLSv1.3 off unless they are listed, so list them.
            suites.addAll(TLS13_SUITES);
        }
        b.ciphers(suites);
    }
}
