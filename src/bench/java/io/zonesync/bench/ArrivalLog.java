package io.zonesync.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link ArrivalAgent} records inside a node: for keys {@code w<index>} the
 * {@link System#nanoTime} (CLOCK_MONOTONIC, shared by every process on the machine) of their first
 * arrival, written as "index nanos" lines to OUTPUT when the JVM exits; for keys {@code j<index>}
 * only a count, and when it reaches {@code -Dzonesync.arrivals.join=N} the file OUTPUT.whole is
 * written at once with "first-arrival-epoch-ms whole-epoch-ms" (the joining node's clock stops
 * there). Other keys are ignored. {@code -Dzonesync.arrivals.max} bounds the indexes (400000).
 */
public final class ArrivalLog {
    private static final long[] TIMES = new long[Integer.getInteger("zonesync.arrivals.max", 400_000)];
    private static final long JOIN_TARGET = Long.getLong("zonesync.arrivals.join", 0);
    private static final AtomicLong JOINED = new AtomicLong();
    private static volatile long joinFirstMs;
    private static volatile Path output;

    private ArrivalLog() {
    }

    static void start(String path) {
        output = Path.of(path);
        Runtime.getRuntime().addShutdownHook(new Thread(ArrivalLog::dump, "arrival-log-dump"));
    }

    public static void arrived(String key) {
        if (key.length() < 2) {
            return;
        }
        char kind = key.charAt(0);
        if (kind == 'w') {
            long now = System.nanoTime();
            int index = index(key);
            if (index >= 0 && index < TIMES.length && TIMES[index] == 0) {
                TIMES[index] = now;
            }
        } else if (kind == 'j' && JOIN_TARGET > 0) {
            long n = JOINED.incrementAndGet();
            if (n == 1) {
                joinFirstMs = System.currentTimeMillis();
            }
            if (n == JOIN_TARGET) {
                write(Path.of(output + ".whole"), joinFirstMs + " " + System.currentTimeMillis() + "\n");
            }
        }
    }

    private static int index(String key) {
        int value = 0;
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9' || value > (Integer.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void dump() {
        Path tmp = Path.of(output + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp)) {
            for (int i = 0; i < TIMES.length; i++) {
                if (TIMES[i] != 0) {
                    out.write(i + " " + TIMES[i] + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.move(tmp, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
