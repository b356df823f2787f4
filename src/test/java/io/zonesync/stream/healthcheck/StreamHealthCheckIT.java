package io.zonesync.stream.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonesync.stream.UdpEcho;
import io.zonesync.testing.InJvmNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream health checks against real TCP and UDP backends that die, hang (take the check and never
 * answer) or answer the wrong content: while a server is unhealthy no session goes to it (the
 * access log's {@code $upstream_addr} names every server a session tried), and it comes back once
 * it answers well again. Passive failure accounting is off ({@code max_fails=0}), so only the
 * checks move servers.
 */
class StreamHealthCheckIT {
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeMe = new ArrayList<>();
    private InJvmNode node;

    enum Mode { OK, WRONG, HANG }

    /** What a backend answers a check ("PING"): "PONG", "NOPE", or nothing. Everything else gets its name. */
    private interface Backend extends AutoCloseable {
        String address();

        void set(Mode m);

        void die() throws IOException;

        void revive() throws IOException;

        int clients();
    }

    private final class TcpBackend implements Backend {
        final String name;
        final int port;
        final AtomicInteger clients = new AtomicInteger();
        volatile Mode mode = Mode.OK;
        private volatile ServerSocket server;
        private final List<Socket> open = new ArrayList<>();

        TcpBackend(String name) throws IOException {
            this.name = name;
            this.port = listen(0);
            closeMe.add(this);
        }

        private int listen(int at) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), at));
            server = s;
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket c = s.accept();
                        synchronized (open) {
                            open.add(c);
                        }
                        Thread h = new Thread(() -> serve(c), "tcp-backend-" + name);
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tcp-backend-accept-" + name);
            t.setDaemon(true);
            t.start();
            return s.getLocalPort();
        }

        private void serve(Socket c) {
            try (c) {
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                OutputStream out = c.getOutputStream();
                if (line.equals("PING")) {
                    Mode m = mode;
                    if (m == Mode.HANG) {
                        in.read(); // until the checker gives up
                        return;
                    }
                    out.write((m == Mode.OK ? "PONG\r\n" : "NOPE\r\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    clients.incrementAndGet();
                    out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            } catch (IOException e) {
                // the other side went away
            }
        }

        @Override
        public String address() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void set(Mode m) {
            mode = m;
        }

        @Override
        public void die() throws IOException {
            server.close();
        }

        @Override
        public void revive() throws IOException {
            listen(port);
        }

        @Override
        public int clients() {
            return clients.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (open) {
                for (Socket s : open) {
                    s.close();
                }
            }
        }
    }

    private final class UdpBackend implements Backend {
        final String name;
        final int port;
        final AtomicInteger clients = new AtomicInteger();
        volatile Mode mode = Mode.OK;
        private volatile DatagramSocket socket;

        UdpBackend(String name) throws IOException {
            this.name = name;
            this.port = listen(0);
            closeMe.add(this);
        }

        private int listen(int at) throws IOException {
            DatagramSocket s = new DatagramSocket(null);
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), at));
            socket = s;
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (!s.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        s.receive(p);
                        String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
                        String answer;
                        if (text.equals("PING\r\n")) {
                            Mode m = mode;
                            if (m == Mode.HANG) {
                                continue;
                            }
                            answer = m == Mode.OK ? "PONG" : "NOPE";
                        } else if (text.equals(new String(StreamProbe.DEFAULT_UDP_SEND, StandardCharsets.US_ASCII))) {
                            continue;
                        } else {
                            clients.incrementAndGet();
                            answer = name;
                        }
                        byte[] out = answer.getBytes(StandardCharsets.ISO_8859_1);
                        s.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "udp-backend-" + name);
            t.setDaemon(true);
            t.start();
            return s.getLocalPort();
        }

        @Override
        public String address() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void set(Mode m) {
            mode = m;
        }

        @Override
        public void die() {
            socket.close();
        }

        @Override
        public void revive() throws IOException {
            listen(port);
        }

        @Override
        public int clients() {
            return clients.get();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeMe.size() - 1; i >= 0; i--) {
            closeMe.get(i).close();
        }
    }

    private void start(String listen, Backend good, Backend bad, String stream, String check) throws Exception {
        node = InJvmNode.start(dir, conf(listen, good, bad, stream, check));
        closeMe.add(node);
    }

    private static String conf(String listen, Backend good, Backend bad, String stream, String check) {
        return """
                events { }
                stream {
                    log_format u "$upstream_addr";
                    match pong { send "PING\\r\\n"; expect ~ "^PONG"; }
                    match pong_literal { send "\\x50ING\\r\\n"; expect "PONG"; }
                    upstream b { zone b 64k; server %s max_fails=0; server %s max_fails=0; }
                    %s
                    server { listen 127.0.0.1:0%s; proxy_pass b; access_log logs/s.log u; health_check %s; }
                }
                """.formatted(good.address(), bad.address(), stream, listen, check);
    }

    private int port() {
        return ((InetSocketAddress) node.node.streamAddresses().values().iterator().next()).getPort();
    }

    /** One TCP session through the proxy: the name of the server that answered. */
    private String tcpSession() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return line == null ? "(closed)" : line;
        }
    }

    private String udpSession() throws IOException {
        return UdpEcho.exchange("127.0.0.1", port(), "hello", 1);
    }

    private interface Session {
        String run() throws IOException;
    }

    /** How many access log lines there are now. */
    private int logged() throws IOException {
        Path log = dir.resolve("logs/s.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    /**
     * Ten sessions in a row all answered by "good" and logging no other server tried: with two
     * servers in round robin, a server still in the rotation would have been tried.
     */
    private boolean onlyGood(Session session, Backend bad) throws IOException {
        int from = logged();
        for (int i = 0; i < 10; i++) {
            if (!session.run().equals("good")) {
                return false;
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> logged() >= from + 10);
        List<String> lines = Files.readAllLines(dir.resolve("logs/s.log"));
        return lines.subList(from, lines.size()).stream().noneMatch(l -> l.contains(bad.address()));
    }

    private void outAndBack(Session session, Backend good, Backend bad, IoAction breakIt, IoAction repair)
            throws Exception {
        List<String> both = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            both.add(session.run());
            return both.contains("good") && both.contains("bad");
        });
        breakIt.run();
        await().atMost(Duration.ofSeconds(10)).until(() -> onlyGood(session, bad));
        int before = bad.clients();
        for (int i = 0; i < 10; i++) {
            assertThat(session.run()).isEqualTo("good");
        }
        assertThat(bad.clients()).as("no session reached the unhealthy server").isEqualTo(before);
        repair.run();
        await().atMost(Duration.ofSeconds(10)).until(() -> session.run().equals("bad"));
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    void aTcpServerThatDiesFailsTheConnectCheckAndComesBackWhenItListensAgain() throws Exception {
        TcpBackend good = new TcpBackend("good");
        TcpBackend bad = new TcpBackend("bad");
        start("", good, bad, "", "interval=200ms passes=2");
        outAndBack(this::tcpSession, good, bad, bad::die, bad::revive);
    }

    @Test
    void aTcpServerAnsweringTheWrongContentIsOutUntilItMatchesAgain() throws Exception {
        TcpBackend good = new TcpBackend("good");
        TcpBackend bad = new TcpBackend("bad");
        start("", good, bad, "", "interval=200ms match=pong");
        outAndBack(this::tcpSession, good, bad, () -> bad.set(Mode.WRONG), () -> bad.set(Mode.OK));
    }

    @Test
    void aLiteralExpectWithHexEscapesIsMatchedToo() throws Exception {
        TcpBackend good = new TcpBackend("good");
        TcpBackend bad = new TcpBackend("bad");
        start("", good, bad, "", "interval=200ms match=pong_literal");
        outAndBack(this::tcpSession, good, bad, () -> bad.set(Mode.WRONG), () -> bad.set(Mode.OK));
    }

    @Test
    void aTcpServerThatHangsIsOutAfterTheHealthCheckTimeout() throws Exception {
        TcpBackend good = new TcpBackend("good");
        TcpBackend bad = new TcpBackend("bad");
        start("", good, bad, "health_check_timeout 300ms;", "interval=200ms match=pong fails=2");
        outAndBack(this::tcpSession, good, bad, () -> bad.set(Mode.HANG), () -> bad.set(Mode.OK));
    }

    @Test
    void theZoneKeepsHealthAcrossAReloadWithMandatoryPersistent() throws Exception {
        TcpBackend good = new TcpBackend("good");
        TcpBackend bad = new TcpBackend("bad");
        bad.set(Mode.WRONG);
        String check = "interval=200ms match=pong mandatory persistent";
        start("", good, bad, "", check);
        await().atMost(Duration.ofSeconds(10)).until(() -> onlyGood(this::tcpSession, bad));
        await().atMost(Duration.ofSeconds(10)).until(() -> good.clients() > 0);
        node.reload(conf("", good, bad, "", check));
        for (int i = 0; i < 10; i++) {
            assertThat(tcpSession()).as("healthy before the reload: up at once; the other one checking")
                    .isEqualTo("good");
        }
        assertThat(bad.clients()).isZero();
        bad.set(Mode.OK);
        await().atMost(Duration.ofSeconds(10)).until(() -> tcpSession().equals("bad"));
    }

    @Test
    void aUdpServerAnsweringWrongOrNotAtAllIsOutUntilItMatchesAgain() throws Exception {
        UdpBackend good = new UdpBackend("good");
        UdpBackend bad = new UdpBackend("bad");
        start(" udp", good, bad, "health_check_timeout 300ms; proxy_responses 1; proxy_timeout 2s;",
                "udp interval=200ms match=pong");
        outAndBack(this::udpSession, good, bad, () -> bad.set(Mode.WRONG), () -> bad.set(Mode.OK));
        outAndBack(this::udpSession, good, bad, () -> bad.set(Mode.HANG), () -> bad.set(Mode.OK));
    }

    @Test
    void aUdpCheckWithoutMatchFailsWhenTheServerRefusesTheDatagram() throws Exception {
        UdpBackend good = new UdpBackend("good");
        UdpBackend bad = new UdpBackend("bad");
        start(" udp", good, bad, "health_check_timeout 300ms; proxy_responses 1; proxy_timeout 2s;",
                "udp interval=200ms");
        outAndBack(this::udpSession, good, bad, bad::die, bad::revive);
    }
}
