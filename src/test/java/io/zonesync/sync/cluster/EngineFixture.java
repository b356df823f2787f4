package io.zonesync.sync.cluster;

import io.zonesync.net.Transport;
import io.zonesync.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an engine IT holds for one test (register it with {@code @RegisterExtension}): a transport
 * for its engines, a capture of the log, Awaitility waiting up to 30 s, and what the test started,
 * closed last first when it ends.
 */
final class EngineFixture implements BeforeEachCallback, AfterEachCallback {
    Transport transport;
    LogCapture logs;
    private final List<AutoCloseable> started = new ArrayList<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        transport = Transport.create(2, "test-sync");
        logs = new LogCapture();
        Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
        transport.shutdown();
        logs.close();
        Awaitility.reset();
    }

    /** Closes {@code c} when the test ends. */
    <T extends AutoCloseable> T track(T c) {
        started.add(c);
        return c;
    }

    /** The test closes {@code c} itself. */
    void untrack(AutoCloseable c) {
        started.remove(c);
    }
}
