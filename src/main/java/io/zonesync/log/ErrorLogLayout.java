package io.zonesync.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * An error_log line as nginx writes it: {@code 2026/11/22 02:19:25 [notice] 4711#23: message}, local
 * time, the process id and the id of the thread that logged. A cause's stack trace follows on the
 * next lines.
 */
final class ErrorLogLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private final long pid = ProcessHandle.current().pid();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        TIME.formatTo(event.getInstant(), line);
        line.append(" [").append(Severity.of(event).label()).append("] ")
                .append(pid).append('#').append(Thread.currentThread().getId()).append(": ")
                .append(event.getFormattedMessage()).append('\n');
        appendCause(line, event.getThrowableProxy());
        return line.toString();
    }

    static void appendCause(StringBuilder line, IThrowableProxy cause) {
        if (cause != null) {
            line.append(ThrowableProxyUtil.asString(cause)).append('\n');
        }
    }
}
