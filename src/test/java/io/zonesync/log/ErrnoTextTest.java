package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.zonesync.net.Transport;
import io.zonesync.testing.HeldPort;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrnoTextTest {

    @Test
    void aRefusedDialOnEitherTransportReadsAsNginxWritesIt() throws IOException {
        try (HeldPort nobody = new HeldPort()) {
            assertRefusedDialsRead(nobody.port());
        }
    }

    private static void assertRefusedDialsRead(int port) {
        for (Transport t : new Transport[] {Transport.create(1, "errno-test"), Transport.nio(1, "errno-test")}) {
            try (t) {
                InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
                ChannelFuture f = new Bootstrap().group(t.group()).channel(t.clientChannel(to))
                        .handler(new ChannelInboundHandlerAdapter()).connect(to).awaitUninterruptibly();
                assertThat(f.isSuccess()).isFalse();
                assertThat(ErrnoText.connectFailed("127.0.0.1:" + port, f.cause()))
                        .isEqualTo("connect() to 127.0.0.1:" + port + " failed (111: Connection refused)");
            }
        }
    }

    @Test
    void theNativeTransportsErrnoIsKept() {
        IOException wrapped = new IOException("connect to peer",
                new IOException("finishConnect(..) failed with error(-113): No route to host: /10.0.0.2:12345"));
        assertThat(ErrnoText.ofSocket(wrapped)).isEqualTo("113: No route to host");
    }

    @Test
    void javasWordsForTheCommonErrorsGetTheirNumbers() {
        assertThat(ErrnoText.ofSocket(new ConnectException("Connection refused"))).isEqualTo("111: Connection refused");
        assertThat(ErrnoText.ofSocket(new IOException("Connection reset by peer"))).isEqualTo("104: Connection reset by peer");
        assertThat(ErrnoText.ofSocket(new IOException("Broken pipe"))).isEqualTo("32: Broken pipe");
        assertThat(ErrnoText.ofSocket(new IOException("Network is unreachable"))).isEqualTo("101: Network is unreachable");
        assertThat(ErrnoText.ofSocket(new IOException("Too many open files"))).isEqualTo("24: Too many open files");
        assertThat(ErrnoText.ofSocket(new ConnectTimeoutException("connection timed out after 5000 ms: /10.0.0.2:1")))
                .isEqualTo("110: Connection timed out");
    }

    @Test
    void anythingElseKeepsItsOwnMessage() {
        assertThat(ErrnoText.ofSocket(new IOException("something odd"))).isEqualTo("something odd");
        assertThat(ErrnoText.ofSocket(new IOException())).isEqualTo("IOException");
        assertThat(ErrnoText.of(new NoSuchFileException("/x"))).isEqualTo("2: No such file or directory");
    }
}
