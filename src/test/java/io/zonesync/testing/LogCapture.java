package io.zonesync.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what the node logs while a test runs, to assert on the lines an operator would read. */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** Every formatted message so far, with its level. */
    public List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        }
    }

    public boolean contains(String fragment) {
        return lines().stream().anyMatch(l -> l.contains(fragment));
    }

    public long count(String fragment) {
        return lines().stream().filter(l -> l.contains(fragment)).count();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
