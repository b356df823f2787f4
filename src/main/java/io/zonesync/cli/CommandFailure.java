package io.zonesync.cli;

import io.zonesync.log.Severity;

/** A step of the command line failed; the message is logged at the given level, as nginx would. */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final Severity severity;

    CommandFailure(Severity severity, String message) {
        super(message);
        this.severity = severity;
    }

    Severity severity() {
        return severity;
    }
}
