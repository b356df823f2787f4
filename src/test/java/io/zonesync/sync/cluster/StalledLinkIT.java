package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.zonesync.net.Transport;
import io.zonesync.sync.proto.FrameWriter;
import io.zonesync.sync.proto.Heartbeat;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Message;
import io.zonesync.sync.proto.ZoneSignature;
import io.zonesync.testing.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers that hold a link without letting it make progress: one that heartbeats but never reads
 * (the link is closed after zone_sync_timeout, and its socket with it though nothing more can be
 * written to it), and a connection that never says HELLO (closed after zone_sync_connect_timeout).
 */
class StalledLinkIT {
    private Transport transport;
    private EngineNode node;
    private int port;
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void setUp() {
        transport = Transport.create(1, "test-sync");
    }

    @AfterEach
    void tearDown() {
        if (node != null) {
            node.close();
        }
        transport.shutdown();
        logs.close();
    }

    private void start(String extra) throws Exception {
        // lists the fake peer's advertised address (nothing listens there), so its link is accepted
        node = new EngineNode(transport, EngineNode.conf(0, List.of(1), extra), "one").start();
        port = node.syncPort();
    }

    private static byte[] frame(Message m) {
        ByteBuf b = FrameWriter.encode(ByteBufAllocator.DEFAULT, m);
        try {
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    @Test
    void aPeerThatHeartbeatsButNeverReadsIsDroppedAfterTheTimeout() throws Exception {
        start(" zone_sync_timeout 1s;\n zone_sync_interval 100ms;\n");
        AtomicBoolean stop = new AtomicBoolean();
        try (Socket fake = new Socket()) {
            fake.setReceiveBufferSize(4096);
            fake.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = fake.getOutputStream();
            out.write(frame(Hello.of(0xFACEL, System.currentTimeMillis(), 65_536, 60_000, "127.0.0.1:1",
                    List.of(new ZoneSignature("one", 1, 1)))));
            Thread heartbeats = new Thread(() -> {
                byte[] beat = frame(Heartbeat.INSTANCE);
                while (!stop.get()) {
                    try {
                        out.write(beat);
                        Thread.sleep(200); // a peer's heartbeat period, not a wait for a condition
                    } catch (IOException | InterruptedException e) {
                        return; // the node closed the link
                    }
                }
            });
            heartbeats.start();
            await().until(() -> node.online() == 1);
            String value = "v".repeat(1000);
            for (int i = 0; i < 20_000; i++) {
                node.zone().put("key-" + i, value);
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> node.cluster.allLinks().isEmpty());
            assertThat(logs.contains("has taken nothing for zone_sync_timeout")).isTrue();
            stop.set(true);
            heartbeats.join(5000);
        }
    }

    @Test
    void aConnectionThatNeverSaysHelloIsClosedAfterTheConnectTimeout() throws Exception {
        start(" zone_sync_connect_timeout 300ms;\n zone_sync_timeout 60s;\n");
        try (Socket silent = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", port));
            silent.setSoTimeout(10_000); // far below zone_sync_timeout: a read still blocked then fails the test
            InputStream in = silent.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // the node's HELLO, then the ABORT, then the end of the stream
            }
        }
        await().until(() -> node.cluster.allLinks().isEmpty());
    }
}
