package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.net.Transport;
import io.zonesync.testing.HeldPort;
import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads in the error log about the cluster: a peer that goes down is one line and
 * then a summary a minute, not an error per retry; its return says how long it was away; clients
 * that probe the sync port are summarised too. The engine's wall clock is the test's, so that a
 * minute passes at once.
 */
class ClusterLogIT {
    private static final Pattern REPEATED = Pattern.compile("\\(repeated (\\d+) times in the last 60s\\)$");

    private Transport transport;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private final LogCapture logs = new LogCapture();
    private final MutableClock wall = new MutableClock(System.currentTimeMillis());

    @BeforeEach
    void setUp() {
        transport = Transport.create(2, "test-log");
        Awaitility.setDefaultTimeout(Duration.ofSeconds(20));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeMe) {
            c.close();
        }
        transport.shutdown();
        logs.close();
    }

    private <T extends AutoCloseable> T track(T c) {
        closeMe.add(c);
        return c;
    }

    private static String fastRetries(String conf) {
        return conf.replace("zone_sync_connect_retry_interval 100ms", "zone_sync_connect_retry_interval 10ms");
    }

    private List<String> linesWith(String fragment) {
        return logs.lines().stream().filter(l -> l.contains(fragment)).toList();
    }

    @Test
    void aDeadPeerIsOneErrorInNginxsWordsThenASummaryAMinuteNotAnErrorPerRetry() throws Exception {
        HeldPort nobody = track(new HeldPort());
        String dead = "127.0.0.1:" + nobody.port();
        track(new EngineNode(transport, fastRetries(EngineNode.conf(0, List.of(nobody.port()), "")), wall, "one"))
                .start();
        String down = "zone_sync: peer " + dead + " is down: connect() to " + dead + " failed (111: Connection refused)";
        await().until(() -> logs.contains(down));
        // about 50 more attempts in the next 500 ms, all counted, none written
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> linesWith("peer " + dead).size() == 1);
        assertThat(linesWith("peer " + dead)).containsExactly("error " + down);

        wall.advance(60_000);
        await().until(() -> linesWith("peer " + dead).size() == 2);
        String summary = linesWith("peer " + dead).get(1);
        assertThat(summary).startsWith("error " + down + " (repeated ");
        Matcher m = REPEATED.matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThan(10);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> linesWith("peer " + dead).size() == 2);
    }

    @Test
    void aPeerThatComesBackIsOneLineSayingHowLongItWasAway() throws Exception {
        EngineNode first = new EngineNode(transport, EngineNode.conf(0, List.of(), ""), "one").start();
        int port = first.syncPort();
        String b = "127.0.0.1:" + port;
        EngineNode a = track(new EngineNode(transport, fastRetries(EngineNode.conf(0, List.of(), "")), wall,
                "one")).start();
        // b lists a before a dials: a node refused as unlisted stops dialling
        first.reload(EngineNode.conf(0, List.of(port, a.syncPort()), ""));
        a.reload(fastRetries(EngineNode.conf(0, List.of(port), "")));
        await().until(() -> a.online() == 1);
        first.close();
        await().until(() -> logs.contains("zone_sync: disconnected from " + b + " (connection closed by peer)"));
        await().until(() -> logs.contains("zone_sync: peer " + b + " is down: connect() to " + b + " failed"));
        wall.advance(42_000);
        // back at the address it had: the port the kernel gave it first
        track(new EngineNode(transport, EngineNode.conf(port, List.of(port, a.syncPort()), ""), "one")).start();
        await().until(() -> a.online() == 1);
        Pattern back = Pattern.compile("notice zone_sync: peer " + Pattern.quote(b)
                + " is back after 42s \\(\\d+ failed attempts?\\)");
        await().until(() -> logs.lines().stream().anyMatch(l -> back.matcher(l).matches()));
        assertThat(linesWith("peer " + b + " is back")).hasSize(1);
        assertThat(linesWith("peer " + b + " is down")).as("one line for the outage, not one per retry").hasSize(1);
    }

    @Test
    void clientsThatCloseBeforeTheirHelloAreOneInfoLineThenACount() throws Exception {
        EngineNode a = track(new EngineNode(transport, EngineNode.conf(0, List.of(), ""), wall, "one"))
                .start();
        for (int i = 0; i < 5; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", a.syncPort()));
                probe.shutdownOutput(); // as a health check does: connect, and go
                InputStream in = probe.getInputStream();
                while (in.read() >= 0) {
                    // the node's HELLO, then its close
                }
            }
        }
        await().until(() -> a.cluster.allLinks().isEmpty());
        String closed = "zone_sync: client closed connection while waiting for HELLO, client: 127.0.0.1:";
        assertThat(linesWith(closed)).hasSize(1).allMatch(l -> l.startsWith("info ")
                && l.endsWith(", server: 127.0.0.1:" + a.syncPort()));
        assertThat(logs.lines()).noneMatch(l -> l.startsWith("error"));

        wall.advance(60_000);
        await().until(() -> linesWith(closed).size() == 2);
        assertThat(linesWith(closed).get(1)).startsWith("info ").endsWith("(repeated 4 times in the last 60s)");
    }
}
