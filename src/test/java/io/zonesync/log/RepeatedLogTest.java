package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.MutableClock;
import io.zonesync.testing.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RepeatedLogTest {
    private static final String LOGGER = "test.repeatedlog";
    private final LogCapture logs = new LogCapture(LOGGER);
    private final MutableClock clock = new MutableClock(1_000_000L);
    private final RepeatedLog log =
            new RepeatedLog(LoggerFactory.getLogger(LOGGER), Severity.ERROR, Duration.ofSeconds(60), clock);

    @AfterEach
    void close() {
        logs.close();
    }

    @Test
    void theFirstOccurrenceIsWrittenAndTheRestOfTheIntervalOnlyCounted() {
        assertThat(log.log("peer", "peer A is down")).isTrue();
        for (int i = 0; i < 57; i++) {
            clock.advance(1000);
            assertThat(log.log("peer", "peer A is down")).isFalse();
        }
        assertThat(logs.lines()).containsExactly("error peer A is down");
    }

    @Test
    void theNextOccurrenceAfterTheIntervalWritesOneSummaryWithTheCount() {
        log.log("peer", "first");
        for (int i = 0; i < 59; i++) {
            clock.advance(1000);
            log.log("peer", "try " + i);
        }
        clock.advance(1000);
        assertThat(log.log("peer", "latest")).isTrue();
        assertThat(logs.lines()).containsExactly("error first", "error latest (repeated 60 times in the last 60s)");
        clock.advance(1000);
        assertThat(log.log("peer", "again")).as("a new interval began with the summary").isFalse();
    }

    @Test
    void flushWritesTheCountOfABurstThatStoppedOnceItsIntervalIsOver() {
        log.log("probe", "client closed connection");
        log.log("probe", "client closed connection");
        log.log("probe", "client closed connection");
        log.flush();
        assertThat(logs.lines()).hasSize(1);
        clock.advance(60_000);
        log.flush();
        log.flush();
        assertThat(logs.lines()).containsExactly("error client closed connection",
                "error client closed connection (repeated 2 times in the last 60s)");
    }

    @Test
    void aKeyQuietForAWholeIntervalIsWrittenAfreshNotSummarised() {
        log.log("probe", "one");
        clock.advance(61_000);
        log.log("probe", "two");
        clock.advance(120_000);
        log.flush();
        log.log("probe", "three");
        assertThat(logs.lines()).containsExactly("error one", "error two", "error three");
    }

    @Test
    void keysAreCountedApart() {
        log.log("a", "peer A is down");
        log.log("b", "peer B is down");
        log.log("a", "peer A is down");
        assertThat(logs.lines()).containsExactly("error peer A is down", "error peer B is down");
    }

    @Test
    void forgetEndsARunAndSaysHowManyWentUnwritten() {
        log.log("peer", "down");
        log.log("peer", "down");
        log.log("peer", "down");
        assertThat(log.forget("peer")).isEqualTo(2);
        assertThat(log.forget("peer")).isZero();
        assertThat(log.log("peer", "down again")).isTrue();
        clock.advance(60_000);
        log.flush();
        assertThat(logs.lines()).containsExactly("error down", "error down again");
    }

    @Test
    void linesGoOutAtTheGivenSeverity() {
        RepeatedLog info = new RepeatedLog(LoggerFactory.getLogger(LOGGER), Severity.INFO, Duration.ofSeconds(1), clock);
        info.log("k", "probe");
        info.log("k", "probe");
        clock.advance(1000);
        info.flush();
        assertThat(logs.lines()).containsExactly("info probe", "info probe (repeated 1 time in the last 1s)");
    }
}
