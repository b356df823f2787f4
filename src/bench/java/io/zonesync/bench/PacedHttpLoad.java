package io.zonesync.bench;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load for the process benchmarks (bench/e2e, bench/scale), paced by a {@link System#nanoTime}
 * schedule: request i is due at start + i / rate and goes out on keep-alive connection i mod C
 * (each its own thread, parked until the request is due), so a late answer delays the requests
 * after it on that connection and is charged to them, never hidden.
 *
 * <pre>
 * write HOST:PORT ZONE RATE SECONDS FIRST CONNECTIONS OUT
 *     POST /api/9/http/keyvals/ZONE {"w&lt;FIRST+i&gt;": 32 bytes}; OUT gets "index due-nanos answered-nanos status"
 * fill HOST:PORT ZONE KEYS BATCH
 *     POST keys j0 .. j(KEYS-1) in bodies of BATCH pairs, one connection, as fast as the node answers
 * get RATE SECONDS CONNECTIONS HOST:PORT/PATH...
 *     GET the targets in turn; prints per target the 200s and the rest, over the whole run (from the
 *     first request due to the last answer) and over its steady part (requests sent from 2 s after
 *     the start to 1 s before the scheduled end), and the rate actually sent in that part: a server
 *     slower than the schedule makes the run finish late (finished_late) and the sent rate fall
 * </pre>
 * Times are CLOCK_MONOTONIC nanoseconds, comparable with {@link ArrivalLog}'s in the nodes.
 */
public final class PacedHttpLoad {
    private static final String VALUE = "v".repeat(32);

    private PacedHttpLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> write(args[1], args[2], Double.parseDouble(args[3]), Double.parseDouble(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]), Path.of(args[7]));
            case "fill" -> fill(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "get" -> get(Double.parseDouble(args[1]), Double.parseDouble(args[2]), Integer.parseInt(args[3]),
                    List.of(args).subList(4, args.length));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void write(String target, String zone, double rate, double seconds, int first, int connections,
            Path out) throws Exception {
        int n = (int) Math.round(rate * seconds);
        long[] answered = new long[n];
        int[] status = new int[n];
        long start = System.nanoTime() + 200_000_000L;
        double period = 1e9 / rate;
        run(connections, n, start, period, (conn, i) -> {
            byte[] body = ("{\"w" + (first + i) + "\":\"" + VALUE + "\"}").getBytes(StandardCharsets.US_ASCII);
            status[i] = conn.exchange("POST", "/api/9/http/keyvals/" + zone, body);
            answered[i] = System.nanoTime();
        }, List.of(target));
        int bad = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            for (int i = 0; i < n; i++) {
                w.write((first + i) + " " + (start + (long) (i * period)) + " " + answered[i] + " " + status[i] + "\n");
                if (status[i] != 201) {
                    bad++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "wrote %d keys w%d..w%d at %.0f/s on %d connections to %s, %d not 201%n",
                n, first, first + n - 1, rate, connections, target, bad);
    }

    private static void fill(String target, String zone, int keys, int batch) throws IOException {
        long t0 = System.nanoTime();
        try (Conn conn = new Conn(target)) {
            for (int from = 0; from < keys; from += batch) {
                StringBuilder body = new StringBuilder("{");
                for (int k = from; k < Math.min(keys, from + batch); k++) {
                    body.append(k == from ? "" : ",").append("\"j").append(k).append("\":\"").append(VALUE).append('"');
                }
                int s = conn.exchange("POST", "/api/9/http/keyvals/" + zone,
                        body.append('}').toString().getBytes(StandardCharsets.US_ASCII));
                if (s != 201) {
                    throw new IOException("POST of keys from j" + from + " answered " + s);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "filled %d keys in %.2f s (%.0f keys/s)%n", keys, secs, keys / secs);
    }

    private static void get(double rate, double seconds, int connections, List<String> targets) throws Exception {
        int n = (int) Math.round(rate * seconds);
        int t = targets.size();
        AtomicLongArray ok = new AtomicLongArray(t);
        AtomicLongArray other = new AtomicLongArray(t);
        AtomicLongArray steadyOk = new AtomicLongArray(t);
        AtomicLongArray steadyAll = new AtomicLongArray(t);
        long start = System.nanoTime() + 200_000_000L;
        double period = 1e9 / rate;
        long steadyFrom = start + 2_000_000_000L;
        long steadyTo = start + (long) ((seconds - 1) * 1e9);
        List<String> hosts = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (String target : targets) {
            int slash = target.indexOf('/');
            hosts.add(target.substring(0, slash));
            paths.add(target.substring(slash));
        }
        // connection j serves target j mod t; request i goes to target i mod t
        run(connections * t, n, start, period, (conn, i) -> {
            int k = i % t;
            long sent = System.nanoTime();
            int s = conn.exchange("GET", paths.get(k), null);
            (s == 200 ? ok : other).incrementAndGet(k);
            if (sent >= steadyFrom && sent < steadyTo) {
                steadyAll.incrementAndGet(k);
                if (s == 200) {
                    steadyOk.incrementAndGet(k);
                }
            }
        }, hosts);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double late = elapsed - seconds;
        double steadySecs = (steadyTo - steadyFrom) / 1e9;
        long okSum = 0;
        long steadySum = 0;
        for (int k = 0; k < t; k++) {
            System.out.printf(Locale.ROOT, "RESULT get.target%d.ok %d count%nRESULT get.target%d.other %d count%n"
                    + "RESULT get.target%d.steady_ok_rps %.2f r/s%n", k + 1, ok.get(k), k + 1, other.get(k), k + 1,
                    steadyOk.get(k) / steadySecs);
            okSum += ok.get(k);
            steadySum += steadyOk.get(k);
        }
        long steadyAllSum = 0;
        for (int k = 0; k < t; k++) {
            steadyAllSum += steadyAll.get(k);
        }
        System.out.printf(Locale.ROOT, "RESULT get.offered_rps %.2f r/s%nRESULT get.ok %d count%nRESULT get.seconds %.3f s%n"
                + "RESULT get.ok_rps %.2f r/s%nRESULT get.steady_sent_rps %.2f r/s%nRESULT get.steady_ok_rps %.2f r/s%n"
                + "RESULT get.finished_late %.3f s%n",
                rate, okSum, elapsed, okSum / elapsed, steadyAllSum / steadySecs, steadySum / steadySecs, late);
    }

    private interface Request {
        void send(Conn conn, int i) throws IOException;
    }

    /** Sends requests 0..n-1, request i when due on connection i mod connections (to host i mod hosts). */
    private static void run(int connections, int n, long start, double period, Request request, List<String> hosts)
            throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            Conn conn = new Conn(hosts.get(c % hosts.size()));
            Thread thread = new Thread(() -> {
                try (conn) {
                    for (int i = first; i < n; i += connections) {
                        long due = start + (long) (i * period);
                        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        request.send(conn, i);
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "load-" + c);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a connection failed", failures.get(0));
        }
    }

    /** One keep-alive HTTP/1.1 connection, opened again when the server closes it. */
    private static final class Conn implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Conn(String target) {
            int colon = target.lastIndexOf(':');
            host = target.substring(0, colon);
            port = Integer.parseInt(target.substring(colon + 1));
        }

        int exchange(String method, String path, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 5000);
                in = new BufferedInputStream(socket.getInputStream(), 16384);
                out = socket.getOutputStream();
            }
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            byte[] h = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            if (body == null) {
                out.write(h);
            } else {
                byte[] all = new byte[h.length + body.length];
                System.arraycopy(h, 0, all, 0, h.length);
                System.arraycopy(body, 0, all, h.length, body.length);
                out.write(all);
            }
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean close = false;
            for (String l = line(); !l.isEmpty(); l = line()) {
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(l.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                } else if (lower.startsWith("transfer-encoding:")) {
                    throw new IOException("chunked answers are not read here: " + l);
                }
            }
            if (length < 0 && status != 204 && status != 304) {
                throw new IOException("answer without Content-Length: " + statusLine);
            }
            for (long left = Math.max(0, length); left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
            if (close) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed by " + host + ":" + port);
                }
                if (c != '\r') {
                    s.append((char) c);
                }
            }
            return s.toString();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }
}
