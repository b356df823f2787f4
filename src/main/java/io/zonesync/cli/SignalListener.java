package io.zonesync.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Turns POSIX signals into node requests: TERM and INT stop fast, QUIT and USR2 stop gracefully,
 * HUP reloads, USR1 reopens logs.
 *
 * <p>Measured on OpenJDK 17: {@code Signal.handle} refuses QUIT always (the JVM keeps it for
 * thread dumps), and with {@code -Xrs} it refuses HUP, INT and TERM as well. So the JVM must run
 * without {@code -Xrs}, and QUIT reaches the node only through bin/zonesync, which catches it and
 * sends USR2 instead. QUIT is still tried here, should a JVM ever allow it.
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

    /** Where signals come from: the JVM ({@link SignalListener#install}) or a test. */
    interface Source {
        /** Starts delivering to {@code sink}; returns the names of the signals that cannot be caught. */
        List<String> install(Consumer<Received> sink);
    }

    private static final String[][] MAPPING = {
        {"TERM", "STOP"}, {"INT", "STOP"}, {"QUIT", "QUIT"}, {"USR2", "QUIT"}, {"HUP", "RELOAD"}, {"USR1", "REOPEN"},
    };

    private SignalListener() {
    }

    /**
     * Installs the handlers; {@code sink} runs on the JVM's signal thread, so it should only hand
     * the request over. Returns the names of the signals that could not be caught.
     */
    static List<String> install(Consumer<Received> sink) {
        List<String> refused = new ArrayList<>();
        for (String[] m : MAPPING) {
            Request request = Request.valueOf(m[1]);
            try {
                Signal.handle(new Signal(m[0]), s -> sink.accept(new Received(s.getName(), s.getNumber(), request)));
            } catch (IllegalArgumentException refusedByJvm) {
                refused.add(m[0]);
            }
        }
        return refused;
    }
}
