package io.zonesync.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Writes each warning about the configuration once: the warnings a thread logs while it reads a
 * configuration ({@link #reading}) are written unless this read or the configuration in effect
 * already gave them. So a file that is checked and then compiled, or reloaded unchanged, does not
 * repeat its warnings, while a warning a reload brings is written. A read that is only to signal
 * the running node ({@link #holding}) writes none: the node gave them when it read the same file.
 * Warnings logged by other threads, or outside a read, pass as they are.
 */
public final class ConfigWarnings extends TurboFilter {
    private final Object lock = new Object();
    /** The warnings of the configuration in effect. */
    private Set<String> given = Set.of();
    /** The warnings of the read under way, null when none is. */
    private Set<String> current;
    private Thread reader;
    private boolean hold;
    private int held;

    /** The calling thread starts reading a configuration. */
    public void reading() {
        begin(false);
    }

    /** The calling thread reads a configuration only to signal the node: its warnings are not written. */
    public void holding() {
        begin(true);
    }

    private void begin(boolean holdAll) {
        synchronized (lock) {
            current = new HashSet<>();
            reader = Thread.currentThread();
            hold = holdAll;
            held = 0;
        }
    }

    /**
     * The configuration read is in effect: its warnings are the ones given from now on.
     *
     * @return how many of its warnings were not written because the previous configuration gave them
     */
    public int tookEffect() {
        synchronized (lock) {
            int n = held;
            if (current != null) {
                given = Set.copyOf(current);
            }
            end();
            return n;
        }
    }

    /** The configuration read did not take effect: the given warnings stay those of the one in effect. */
    public void dropped() {
        synchronized (lock) {
            end();
        }
    }

    private void end() {
        current = null;
        reader = null;
        held = 0;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != Level.WARN || format == null) {
            return FilterReply.NEUTRAL;
        }
        synchronized (lock) {
            if (current == null || reader != Thread.currentThread()) {
                return FilterReply.NEUTRAL;
            }
            if (hold) {
                return FilterReply.DENY;
            }
            String message = MessageFormatter.arrayFormat(format, params).getMessage();
            if (!current.add(message)) {
                return FilterReply.DENY;
            }
            if (given.contains(message)) {
                held++;
                return FilterReply.DENY;
            }
            return FilterReply.NEUTRAL;
        }
    }
}
