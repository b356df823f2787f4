package io.zonesync.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.zonesync.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class ConfigWarningsTest {
    private static final Logger LOG = LoggerFactory.getLogger("test.configwarnings");
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ConfigWarnings warnings = new ConfigWarnings();
    private final LogCapture logs = new LogCapture("test.configwarnings");

    @BeforeEach
    void install() {
        warnings.setContext(context);
        warnings.start();
        context.addTurboFilter(warnings);
    }

    @AfterEach
    void remove() {
        context.getTurboFilterList().remove(warnings);
        logs.close();
    }

    @Test
    void aReadThatCompilesTwiceWarnsOnceAndTheNextReadOnlyOfWhatIsNew() {
        warnings.reading();
        LOG.warn("low address bits of {} are meaningless", "10.0.0.1/8");
        LOG.warn("low address bits of {} are meaningless", "10.0.0.1/8");
        assertThat(warnings.tookEffect()).isZero();
        warnings.reading();
        LOG.warn("low address bits of {} are meaningless", "10.0.0.1/8");
        LOG.warn("a new one");
        LOG.error("errors are not held back");
        LOG.error("errors are not held back");
        assertThat(warnings.tookEffect()).isEqualTo(1);
        assertThat(logs.lines()).containsExactly("warn low address bits of 10.0.0.1/8 are meaningless",
                "warn a new one", "error errors are not held back", "error errors are not held back");
    }

    @Test
    void aReadThatDidNotTakeEffectLeavesTheGivenWarningsAsTheyWere() {
        warnings.reading();
        LOG.warn("old");
        warnings.tookEffect();
        warnings.reading();
        LOG.warn("refused");
        warnings.dropped();
        warnings.reading();
        LOG.warn("old");
        LOG.warn("refused");
        assertThat(warnings.tookEffect()).isEqualTo(1);
        assertThat(logs.lines()).containsExactly("warn old", "warn refused", "warn refused");
    }

    @Test
    void holdingWritesNoWarningAndOtherThreadsAndOtherTimesPassAsTheyAre() throws Exception {
        warnings.holding();
        LOG.warn("from the signal process's read");
        Thread other = new Thread(() -> LOG.warn("from another thread"));
        other.start();
        other.join();
        warnings.dropped();
        LOG.warn("outside a read");
        LOG.warn("outside a read");
        assertThat(logs.lines()).containsExactly("warn from another thread", "warn outside a read",
                "warn outside a read");
    }
}
