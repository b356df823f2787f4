package io.zonesync.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Keeps the lines of an {@link ErrorLogRoute} out of the main error logs: they have logs of their own. */
final class NotRoutedFilter extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent event) {
        return ErrorLogRoute.of(event) == null ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
