package io.zonesync.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/**
 * How a message reaches the terminal while the node is starting or when a command such as
 * {@code -t} runs: {@code zonesync: [emerg] message}, as nginx prints it.
 */
final class ConsoleLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(96);
        line.append("zonesync: [").append(Severity.of(event).label()).append("] ")
                .append(event.getFormattedMessage()).append('\n');
        return line.toString(); // one line, as nginx; a cause's stack trace goes to the error log only
    }
}
