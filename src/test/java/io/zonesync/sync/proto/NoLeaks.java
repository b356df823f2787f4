package io.zonesync.sync.proto;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Runs a test class with Netty's leak detector at PARANOID and fails the class if the detector
 * reports a leak. The detector only notices a leak after the buffer is garbage collected, so this
 * is the net behind the exact refCnt assertions the tests make, not a replacement for them.
 */
final class NoLeaks implements BeforeAllCallback, AfterAllCallback {
    private ResourceLeakDetector.Level before;
    private ListAppender<ILoggingEvent> appender;
    private Logger logger;

    @Override
    public void beforeAll(ExtensionContext context) {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
        appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            for (int round = 0; round < 3; round++) {
                System.gc();
                // The detector reports collected leaks when the next buffer is tracked.
                for (int i = 0; i < 64; i++) {
                    release(UnpooledByteBufAllocator.DEFAULT.buffer(8));
                    release(PooledByteBufAllocator.DEFAULT.buffer(8));
                    release(UnpooledByteBufAllocator.DEFAULT.directBuffer(8));
                }
            }
            List<String> leaks = appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("LEAK"))
                    .collect(Collectors.toList());
            if (!leaks.isEmpty()) {
                throw new AssertionError("ByteBuf leaks reported:\n" + String.join("\n", leaks));
            }
        } finally {
            logger.detachAppender(appender);
            ResourceLeakDetector.setLevel(before);
        }
    }

    private static void release(ByteBuf b) {
        b.release();
    }
}
