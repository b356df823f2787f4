package io.zonesync.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns POSIX signals into node requests: TERM and INT stop fast, QUIT and USR2 stop gracefully,
 * HUP reloads, USR1 reopens logs.
 *
 * <p>Measured on OpenJDK 17: {@code Signal.handle} refuses QUIT always (the JVM keeps it for
 * thread dumps), and with {@code -Xrs} it refuses HUP, INT and TERM as well. So the JVM must run
 * without {@code -Xrs}, and QUIT reaches the node only through bin/zonesync, which catches it and
 * sends USR2 instead. QUIT is still tried here, should a JVM ever allow it.
 *
 * <p>HUP, INT and TERM that were ignored when the JVM started (under {@code nohup}, or as a
 * background job of a script) stay ignored: HotSpot then accepts the handler, answers that the
 * old one was {@code SIG_IGN}, and installs nothing (USR1 and USR2 it installs either way). A
 * Java process cannot undo that, so those signals are reported for a warning; bin/zonesync starts
 * the JVM with the default dispositions.
 */
final class SignalListener {

    /** A signal as received, with what it asks for. */
    record Received(String name, int number, Request request) {
        String describe() {
            if (name.equals("USR2")) {
                // The launcher's stand-in for the QUIT the operator sent (Java cannot catch QUIT).
                return "signal 3 (SIGQUIT) received (passed on by the launcher as SIGUSR2)";
            }
            return "signal " + number + " (SIG" + name + ") received";
        }
    }

    /** What a signal asks the node to do. */
    enum Request { STOP, QUIT, RELOAD, REOPEN }

    /**
     * The signals that will not reach the node: those the JVM keeps for itself, and those that were
     * ignored when it started and that it leaves ignored.
     */
    record Uncaught(List<String> keptByJvm, List<String> ignoredAtStart) {
        Uncaught {
            keptByJvm = List.copyOf(keptByJvm);
            ignoredAtStart = List.copyOf(ignoredAtStart);
        }
    }

    /** Where signals come from: the JVM ({@link SignalListener#install}) or a test. */
    interface Source {
        /** Starts delivering to {@code sink}; returns the signals that will not be delivered. */
        Uncaught install(Consumer<Received> sink);
    }

    /** The signals HotSpot leaves ignored if they were ignored at its start. */
    private static final List<String> LEFT_IGNORED = List.of("HUP", "INT", "TERM");

    private static final String[][] MAPPING = {
        {"TERM", "STOP"}, {"INT", "STOP"}, {"QUIT", "QUIT"}, {"USR2", "QUIT"}, {"HUP", "RELOAD"}, {"USR1", "REOPEN"},
    };

    private SignalListener() {
    }

    /**
     * Installs the handlers; {@code sink} runs on the JVM's signal thread, so it should only hand
     * the request over. Returns the signals that will not be delivered.
     */
    static Uncaught install(Consumer<Received> sink) {
        List<String> refused = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String[] m : MAPPING) {
            Request request = Request.valueOf(m[1]);
            try {
                SignalHandler before = Signal.handle(new Signal(m[0]),
                        s -> sink.accept(new Received(s.getName(), s.getNumber(), request)));
                if (before == SignalHandler.SIG_IGN && LEFT_IGNORED.contains(m[0])) {
                    ignored.add(m[0]);
                }
            } catch (IllegalArgumentException refusedByJvm) {
                refused.add(m[0]);
            }
        }
        return new Uncaught(refused, ignored);
    }
}
