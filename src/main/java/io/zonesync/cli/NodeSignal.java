package io.zonesync.cli;

import java.util.Optional;

/**
 * What {@code -s} can ask of a running node, and the POSIX signal that carries it (the same as
 * nginx's). Java cannot catch SIGQUIT (the JVM keeps it for thread dumps, with or without
 * {@code -Xrs}), so bin/zonesync catches it and passes it on as SIGUSR2, which the node takes as
 * {@link #QUIT} as well.
 */
public enum NodeSignal {
    STOP("stop", "TERM", 15),
    QUIT("quit", "QUIT", 3),
    RELOAD("reload", "HUP", 1),
    REOPEN("reopen", "USR1", 10);

    private final String command;
    private final String signalName;
    private final int signalNumber;

    NodeSignal(String command, String signalName, int signalNumber) {
        this.command = command;
        this.signalName = signalName;
        this.signalNumber = signalNumber;
    }

    /** The word after {@code -s}. */
    public String command() {
        return command;
    }

    /** The signal's name without {@code SIG}, as {@code kill -s} takes it. */
    public String signalName() {
        return signalName;
    }

    /** The signal's number on Linux. */
    public int signalNumber() {
        return signalNumber;
    }

    public static Optional<NodeSignal> byCommand(String command) {
        for (NodeSignal s : values()) {
            if (s.command.equals(command)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
