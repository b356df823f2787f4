package io.zonesync.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/** Lets through the events at least as severe as one error_log's level. */
final class SeverityFilter extends Filter<ILoggingEvent> {
    private final Severity threshold;

    SeverityFilter(Severity threshold) {
        this.threshold = threshold;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return Severity.of(event).atLeast(threshold) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
