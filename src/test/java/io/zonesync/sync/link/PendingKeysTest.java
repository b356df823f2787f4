package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PendingKeysTest {

    @Test
    void aKeyChangedManyTimesIsQueuedOnceInFirstChangeOrder() {
        PendingKeys<String> keys = new PendingKeys<>();
        for (int i = 0; i < 10; i++) {
            keys.add("a", 0);
        }
        keys.add("b", 0);
        keys.add("a", 0);
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.poll().key()).isEqualTo("a");
        assertThat(keys.poll().key()).isEqualTo("b");
        assertThat(keys.poll()).isNull();
        assertThat(keys.isEmpty()).isTrue();
    }

    @Test
    void aKeyChangedAgainAfterItWasTakenIsQueuedAgain() {
        PendingKeys<String> keys = new PendingKeys<>();
        keys.add("a", 0);
        assertThat(keys.poll().key()).isEqualTo("a");
        assertThat(keys.add("a", 0)).isTrue();
        assertThat(keys.poll().key()).isEqualTo("a");
    }

    @Test
    void aKeyKeepsTheTimeItWasFirstQueuedAndTheOldestIsTheHeads() {
        PendingKeys<String> keys = new PendingKeys<>();
        assertThat(keys.oldestQueuedAt()).isEqualTo(Long.MAX_VALUE);
        keys.add("a", 100);
        keys.add("b", 150);
        keys.add("a", 200);
        assertThat(keys.oldestQueuedAt()).isEqualTo(100);
        assertThat(keys.poll()).isEqualTo(new PendingKeys.Entry<>("a", 100));
        assertThat(keys.oldestQueuedAt()).isEqualTo(150);
        keys.add("a", 300);
        assertThat(keys.poll()).isEqualTo(new PendingKeys.Entry<>("b", 150));
        assertThat(keys.poll()).isEqualTo(new PendingKeys.Entry<>("a", 300));
        assertThat(keys.oldestQueuedAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void concurrentWritersAndOneSenderLoseNoKey() throws Exception {
        PendingKeys<Integer> keys = new PendingKeys<>();
        int writers = 4;
        int perWriter = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int base = w * perWriter;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perWriter; i++) {
                    keys.add(base + i, 0);
                    keys.add(base + i, 0);
                }
            });
            t.start();
            threads.add(t);
        }
        Set<Integer> seen = new HashSet<>();
        start.countDown();
        boolean writing = true;
        while (writing || !keys.isEmpty()) {
            writing = threads.stream().anyMatch(Thread::isAlive);
            PendingKeys.Entry<Integer> k;
            while ((k = keys.poll()) != null) {
                seen.add(k.key());
            }
        }
        assertThat(seen).hasSize(writers * perWriter);
    }
}
