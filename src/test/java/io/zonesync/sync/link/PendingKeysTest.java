package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
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

    @Test
    void keysWhoseHashesCollideAreEachQueuedOnceAndLeaveInOrder() {
        // "Aa" and "BB" have the same String hash, and so do all their concatenations
        PendingKeys<String> keys = new PendingKeys<>();
        List<String> colliding = List.of("AaAa", "AaBB", "BBAa", "BBBB");
        for (String k : colliding) {
            assertThat(keys.add(k, 0)).isTrue();
        }
        for (String k : colliding) {
            assertThat(keys.add(k, 1)).isFalse();
        }
        assertThat(keys.poll().key()).isEqualTo("AaAa");
        assertThat(keys.add("AaAa", 2)).isTrue(); // queued again behind the others
        assertThat(keys.add("BBBB", 2)).isFalse(); // still found after the removal in front of it
        List<String> out = new ArrayList<>();
        for (PendingKeys.Entry<String> e; (e = keys.poll()) != null; ) {
            out.add(e.key());
        }
        assertThat(out).containsExactly("AaBB", "BBAa", "BBBB", "AaAa");
    }

    @Test
    void agreesWithAnInsertionOrderedMapThroughGrowthRemovalsAndAnEmptiedBurst() {
        PendingKeys<Integer> keys = new PendingKeys<>();
        Map<Integer, Long> model = new LinkedHashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            // bursts of adds (the ring and the set grow, wrap and shrink back when emptied), then drains
            boolean adding = (step / 5_000) % 2 == 0 ? random.nextInt(10) < 8 : random.nextInt(10) < 2;
            if (adding) {
                int key = random.nextInt(4_000);
                boolean fresh = !model.containsKey(key);
                if (fresh) {
                    model.put(key, (long) step);
                }
                assertThat(keys.add(key, step)).isEqualTo(fresh);
            } else {
                PendingKeys.Entry<Integer> e = keys.poll();
                Map.Entry<Integer, Long> expected = model.entrySet().stream().findFirst().orElse(null);
                if (expected == null) {
                    assertThat(e).isNull();
                } else {
                    assertThat(e).isEqualTo(new PendingKeys.Entry<>(expected.getKey(), expected.getValue()));
                    model.remove(expected.getKey());
                }
            }
            assertThat(keys.size()).isEqualTo(model.size());
            assertThat(keys.oldestQueuedAt())
                    .isEqualTo(model.isEmpty() ? Long.MAX_VALUE : model.values().iterator().next());
        }
    }

    @Test
    void clearForgetsEveryKey() {
        PendingKeys<Integer> keys = new PendingKeys<>();
        for (int i = 0; i < 5_000; i++) {
            keys.add(i, i);
        }
        keys.clear();
        assertThat(keys.isEmpty()).isTrue();
        assertThat(keys.poll()).isNull();
        assertThat(keys.add(42, 1)).isTrue();
        assertThat(keys.poll()).isEqualTo(new PendingKeys.Entry<>(42, 1L));
    }
}
