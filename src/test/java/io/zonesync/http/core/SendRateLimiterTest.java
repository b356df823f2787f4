package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limit_rate's pacing on its own, on a channel whose clock the test moves. */
class SendRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();
    private final SendRateLimiter limiter = new SendRateLimiter(nanos::get);
    private final EmbeddedChannel ch = new EmbeddedChannel(limiter);

    @TempDir
    Path dir;

    private long drained() {
        long n = 0;
        Object m;
        while ((m = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) m;
            n += b.readableBytes();
            b.release();
        }
        return n;
    }

    private void advance(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void bytesGoAtTheRateAfterTheFreeStartAsNginxCountsThem() {
        ch.freezeTime();
        limiter.start(10_000, 5_000);
        ChannelFuture last = ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[40_000]));
        // at once: rate * (0 + 1 s) + after = 15,000
        assertThat(drained()).isEqualTo(15_000);
        assertThat(last.isDone()).isFalse();
        assertThat(ch.isWritable()).isTrue(); // 25,000 waiting, under the high water mark
        advance(1000);
        assertThat(drained()).isEqualTo(10_000);
        advance(1500);
        assertThat(drained()).isEqualTo(15_000);
        assertThat(last.isSuccess()).isTrue();
    }

    @Test
    void aFileGoesOutAPieceAtATimeAndItsPromiseCompletesAtTheEnd() throws IOException {
        ch.freezeTime();
        Path file = Files.write(dir.resolve("f"), new byte[50_000]);
        limiter.start(20_000, 0);
        FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
        ChannelFuture done = ch.writeAndFlush(new DefaultFileRegion(fc, 0, 50_000));
        assertThat(drained()).isEqualTo(20_000);
        advance(1000);
        assertThat(drained()).isEqualTo(20_000);
        assertThat(done.isDone()).isFalse();
        advance(1000);
        assertThat(drained()).isEqualTo(10_000);
        assertThat(done.isSuccess()).isTrue();
        assertThat(fc.isOpen()).isFalse();
    }

    @Test
    void aBacklogOverTheHighWaterMarkMakesTheChannelUnwritableUntilItDrains() {
        ch.freezeTime();
        limiter.start(1_000, 0);
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[SendRateLimiter.HIGH_WATER + 1_000 + 10]));
        assertThat(drained()).isEqualTo(1_000);
        assertThat(ch.isWritable()).isFalse();
        advance(11_000);
        assertThat(drained()).isEqualTo(11_000);
        assertThat(ch.isWritable()).isTrue();
    }

    @Test
    void stoppedItPassesEverythingThrough() {
        limiter.start(1_000, 0);
        limiter.stop();
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[100_000]));
        assertThat(drained()).isEqualTo(100_000);
    }
}
