package io.zonesync.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.zonesync.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl_prefer_server_ciphers}: a TLS 1.2 client offering the server's two ciphers in the
 * opposite order gets its own first choice by default and with {@code off}, the server's with {@code on}.
 */
class CipherPreferenceTest {
    private static final String SERVER_ORDER = "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256";
    private static final String[] CLIENT_ORDER = {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"};

    @TempDir
    Path dir;
    private TestPki pki;

    @BeforeEach
    void setUp() {
        pki = TestPki.ca("prefer-ca");
    }

    @Test
    void theClientsOrderWinsUnlessTheServerPrefersItsOwn() throws Exception {
        assertThat(negotiate("")).isEqualTo(CLIENT_ORDER[0]);
        assertThat(negotiate("ssl_prefer_server_ciphers off;")).isEqualTo(CLIENT_ORDER[0]);
        assertThat(negotiate("ssl_prefer_server_ciphers on;")).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void aServerChosenByNameKeepsItsOwnPreference() throws Exception {
        ServerTls off = serverTls("");
        ServerTls on = serverTls("ssl_prefer_server_ciphers on;");
        ListenerTls listener = ListenerTls.of(off, Map.of("on.example", on));
        io.netty.channel.embedded.EmbeddedChannel server = new io.netty.channel.embedded.EmbeddedChannel();
        listener.install(server, new io.zonesync.net.HandshakeCounters());
        SSLEngine client = client();
        javax.net.ssl.SSLParameters p = client.getSSLParameters();
        p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName("on.example")));
        client.setSSLParameters(p);
        client.beginHandshake();
        // the client's hello goes in; the SNI handler then makes the chosen server's engine
        ByteBuffer out = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        server.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(out));
        io.netty.handler.ssl.SslHandler chosen = server.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        assertThat(chosen).isNotNull();
        assertThat(io.netty.internal.tcnative.SSL.getOptions(
                ((io.netty.handler.ssl.ReferenceCountedOpenSslEngine) chosen.engine()).sslPointer())
                & io.netty.internal.tcnative.SSL.SSL_OP_CIPHER_SERVER_PREFERENCE).isNotZero();
        server.finishAndReleaseAll();
    }

    private String negotiate(String directive) throws Exception {
        SSLEngine server = serverTls(directive).newEngineHandler(ByteBufAllocator.DEFAULT).engine();
        SSLEngine client = client();
        handshake(client, server);
        return client.getSession().getCipherSuite();
    }

    private ServerTls serverTls(String directive) {
        return TlsTestServers.stream(dir, pki, "ssl_protocols TLSv1.2; ssl_ciphers " + SERVER_ORDER + "; " + directive);
    }

    private SSLEngine client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.ca.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLEngine e = ctx.createSSLEngine("127.0.0.1", 443);
        e.setUseClientMode(true);
        e.setEnabledProtocols(new String[] {"TLSv1.2"});
        e.setEnabledCipherSuites(CLIENT_ORDER);
        return e;
    }

    /** Runs both engines' handshake against each other in memory. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        client.beginHandshake();
        server.beginHandshake();
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer sink = ByteBuffer.allocate(1 << 16);
        for (int round = 0; round < 100; round++) {
            if (done(client) && done(server)) {
                return;
            }
            step(client, empty, toServer, toClient, sink);
            step(server, empty, toClient, toServer, sink);
        }
        throw new AssertionError("handshake did not finish: " + client.getHandshakeStatus() + " / "
                + server.getHandshakeStatus());
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus s = e.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer sink)
            throws Exception {
        in.flip();
        while (in.hasRemaining()) {
            int before = in.remaining();
            e.unwrap(in, sink);
            runTasks(e);
            sink.clear();
            if (in.remaining() == before) {
                break;
            }
        }
        in.compact();
        for (int i = 0; i < 4 && e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            e.wrap(empty, out);
            runTasks(e);
        }
    }

    private static void runTasks(SSLEngine e) {
        for (Runnable t = e.getDelegatedTask(); t != null; t = e.getDelegatedTask()) {
            t.run();
        }
    }
}
