package io.zonesync.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.internal.tcnative.CertificateVerifier;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.net.HandshakeCounters.Failure;
import io.zonesync.net.HandshakeCounters.Verify;
import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How a handshake's end is classed and counted: BoringSSL's reasons, our certificate check's verdicts. */
class HandshakeCountTest {
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path dir;
    /** One server's TLS for every test (its keys take a while to make). */
    private static ServerTls tls;

    @org.junit.jupiter.api.BeforeAll
    static void loadTheTlsLibrary() {
        // CertificateVerifier's codes are read from the library, which must be loaded first
        io.netty.handler.ssl.OpenSsl.ensureAvailability();
        tls = TlsTestServers.stream(dir, "");
    }

    private static SSLHandshakeException boring(String reason) {
        return new SSLHandshakeException("error:10000000:SSL routines:OPENSSL_internal:" + reason);
    }

    @Test
    void boringSslReasonsAreClassedAsNginxPlusCountsThem() {
        assertThat(HandshakeFailure.counted(boring("NO_SHARED_CIPHER"))).isEqualTo(Failure.NO_COMMON_CIPHER);
        assertThat(HandshakeFailure.counted(boring("UNSUPPORTED_PROTOCOL"))).isEqualTo(Failure.NO_COMMON_PROTOCOL);
        assertThat(HandshakeFailure.counted(boring("TLSV1_ALERT_PROTOCOL_VERSION")))
                .isEqualTo(Failure.NO_COMMON_PROTOCOL);
        assertThat(HandshakeFailure.counted(boring("SSLV3_ALERT_CERTIFICATE_UNKNOWN")))
                .isEqualTo(Failure.PEER_REJECTED_CERT);
        assertThat(HandshakeFailure.counted(boring("TLSV1_ALERT_UNKNOWN_CA"))).isEqualTo(Failure.PEER_REJECTED_CERT);
        assertThat(HandshakeFailure.counted(new javax.net.ssl.SSLException("x",
                new SslHandshakeTimeoutException("handshake timed out after 1000ms")))).isEqualTo(Failure.TIMEOUT);
        assertThat(HandshakeFailure.counted(new ClosedChannelException())).isEqualTo(Failure.OTHER);
        assertThat(HandshakeFailure.counted(boring("WRONG_VERSION_NUMBER"))).isEqualTo(Failure.OTHER);
    }

    @Test
    void refusedCertificatesAreClassedByTheirVerificationError() {
        assertThat(HandshakeFailure.verifyFailure(boring("PEER_DID_NOT_RETURN_A_CERTIFICATE"))).isEqualTo(Verify.NO_CERT);
        assertThat(HandshakeFailure.verifyFailure(boring("TLSV1_ALERT_CERTIFICATE_REQUIRED"))).as("the peer's alert")
                .isNull();
        assertThat(HandshakeFailure.verifyFailure(refused(CertificateVerifier.X509_V_ERR_CERT_HAS_EXPIRED)))
                .isEqualTo(Verify.EXPIRED_CERT);
        assertThat(HandshakeFailure.verifyFailure(refused(CertificateVerifier.X509_V_ERR_CERT_NOT_YET_VALID)))
                .isEqualTo(Verify.EXPIRED_CERT);
        assertThat(HandshakeFailure.verifyFailure(refused(CertificateVerifier.X509_V_ERR_CERT_REVOKED)))
                .isEqualTo(Verify.REVOKED_CERT);
        assertThat(HandshakeFailure.verifyFailure(refused(CertificateVerifier.X509_V_ERR_HOSTNAME_MISMATCH)))
                .isEqualTo(Verify.HOSTNAME_MISMATCH);
        assertThat(HandshakeFailure.verifyFailure(refused(
                CertificateVerifier.X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY))).isEqualTo(Verify.OTHER);
        assertThat(HandshakeFailure.verifyFailure(new javax.net.ssl.SSLException("x",
                new PeerCertificateCheck.PeerCertificateException(PeerCertificateCheck.NO_CERTIFICATE, null,
                        CertificateVerifier.X509_V_ERR_UNSPECIFIED)))).isEqualTo(Verify.NO_CERT);
        assertThat(HandshakeFailure.verifyFailure(boring("NO_SHARED_CIPHER"))).isNull();
    }

    private static Throwable refused(int code) {
        SSLHandshakeException e = new SSLHandshakeException("General OpenSslEngine problem");
        e.initCause(new PeerCertificateCheck.PeerCertificateException("refused", null, code));
        return e;
    }

    @Test
    void aFailureCountsInTheNodeAndTheServersZonesOnceThenTheCounterLeaves() {
        HandshakeCounters node = new HandshakeCounters();
        HandshakeCounters zone = new HandshakeCounters();
        ServerTls tls = tlsCountingInto(zone);
        EmbeddedChannel ch = new EmbeddedChannel(tls.counter(node));
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SslHandshakeTimeoutException("handshake timed out")));
        assertThat(ch.pipeline().get(HandshakeCount.class)).isNull();
        for (HandshakeCounters c : new HandshakeCounters[] {node, zone}) {
            HandshakeCounters.Report r = c.report();
            assertThat(r.handshakesFailed()).isEqualTo(1);
            assertThat(r.handshakeTimeout()).isEqualTo(1);
            assertThat(r.handshakes()).isZero();
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void noClientHelloBeforeTheNameChoiceIsAFailedHandshakeToo() {
        HandshakeCounters node = new HandshakeCounters();
        EmbeddedChannel ch = new EmbeddedChannel(tlsCountingInto(new HandshakeCounters()).counter(node));
        ch.pipeline().fireUserEventTriggered(new SniCompletionEvent(new SslHandshakeTimeoutException("timed out")));
        assertThat(node.report().handshakeTimeout()).isEqualTo(1);
        ch.pipeline().fireUserEventTriggered(new SniCompletionEvent("example.com"));
        assertThat(node.report().handshakesFailed()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void anHttpConnectionClosedBeforeItsFirstByteIsNoHandshake() {
        HandshakeCounters node = new HandshakeCounters();
        HandshakeCount silent = tlsCountingInto(new HandshakeCounters()).counter(node);
        EmbeddedChannel ch = new EmbeddedChannel(silent.firstByte(), silent);
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));
        assertThat(node.report().handshakesFailed()).isZero();
        ch.finishAndReleaseAll();

        HandshakeCount spoke = tlsCountingInto(new HandshakeCounters()).counter(node);
        ch = new EmbeddedChannel(spoke.firstByte(), spoke);
        ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {0x16}));
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new ClosedChannelException()));
        assertThat(node.report().handshakesFailed()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aHandshakeMadeAsAClientCountsInTheServersAndTheNodesFigures() {
        HandshakeCounters upstream = new HandshakeCounters();
        HandshakeCounters node = new HandshakeCounters();
        HandshakeCount.dialled(null, null, upstream, node);
        HandshakeCount.dialled(null, refused(CertificateVerifier.X509_V_ERR_HOSTNAME_MISMATCH), upstream, node);
        HandshakeCount.dialled(null, boring("TLSV1_ALERT_PROTOCOL_VERSION"), upstream, node);
        HandshakeCount.dialled(null, boring("SSLV3_ALERT_BAD_CERTIFICATE"), upstream, node);
        HandshakeCount.dialled(null, new javax.net.ssl.SSLException("x",
                new SslHandshakeTimeoutException("handshake timed out after 1000ms")), upstream, node);
        for (HandshakeCounters c : new HandshakeCounters[] {upstream, node}) {
            // handshakes, failed, reuses, no protocol, no cipher, timeout, rejected, no cert, expired, revoked,
            // hostname, other
            assertThat(c.report()).isEqualTo(new HandshakeCounters.Report(1, 4, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0));
        }
    }

    @Test
    void resetZeroesEveryFigure() {
        HandshakeCounters c = new HandshakeCounters();
        c.succeeded(true);
        c.failed(Failure.NO_COMMON_CIPHER);
        c.verifyFailed(Verify.REVOKED_CERT);
        assertThat(c.report()).isEqualTo(new HandshakeCounters.Report(1, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0));
        c.reset();
        assertThat(c.report()).isEqualTo(new HandshakeCounters.Report(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    private static ServerTls tlsCountingInto(HandshakeCounters zone) {
        return tls.countingInto(zone);
    }
}
