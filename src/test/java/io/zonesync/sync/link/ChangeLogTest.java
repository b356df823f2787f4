package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ChangeLogTest {

    /** The next key {@code c} owes, or null: a batch of one. */
    private static <K> K poll(ChangeLog<K>.Cursor c) {
        @SuppressWarnings("unchecked")
        K[] one = (K[]) new Object[1];
        return c.poll(one, new long[1]) == 0 ? null : one[0];
    }

    private static <K> List<K> drain(ChangeLog<K>.Cursor c) {
        List<K> out = new ArrayList<>();
        for (K k; (k = poll(c)) != null; ) {
            out.add(k);
        }
        return out;
    }

    @Test
    void nothingIsLoggedWhileNoLinkFollowsTheLog() {
        ChangeLog<String> log = new ChangeLog<>();
        assertThat(log.append("a", 1)).isFalse();
        assertThat(log.size()).isZero();
        ChangeLog<String>.Cursor c = log.follow();
        assertThat(poll(c)).as("a change before the link followed is in its snapshot").isNull();
    }

    @Test
    void aKeyChangedManyTimesBeforeAnyLinkReadsItIsLoggedOnceInFirstChangeOrder() {
        ChangeLog<String> log = new ChangeLog<>();
        ChangeLog<String>.Cursor c = log.follow();
        for (int i = 0; i < 10; i++) {
            log.append("a", 0);
        }
        log.append("b", 0);
        assertThat(log.append("a", 0)).isFalse();
        assertThat(c.backlog()).isEqualTo(2);
        assertThat(drain(c)).containsExactly("a", "b");
        assertThat(c.backlog()).isZero();
    }

    @Test
    void everyCursorReadsOneSharedEntryPerKeyHoweverManyLinksThereAre() {
        ChangeLog<Integer> log = new ChangeLog<>();
        List<ChangeLog<Integer>.Cursor> links = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            links.add(log.follow());
        }
        for (int k = 0; k < 10_000; k++) {
            log.append(k, k);
        }
        assertThat(log.size()).as("one entry per key, not one per key per link").isEqualTo(10_000);
        for (ChangeLog<Integer>.Cursor c : links) {
            assertThat(c.backlog()).isEqualTo(10_000);
        }
        for (ChangeLog<Integer>.Cursor c : links) {
            assertThat(drain(c)).hasSize(10_000).startsWith(0, 1, 2).endsWith(9_999);
        }
        assertThat(log.size()).as("read by every link: let go").isZero();
    }

    @Test
    void aKeyChangedAfterOneLinkSentItIsLoggedAgainForThatLink() {
        ChangeLog<String> log = new ChangeLog<>();
        ChangeLog<String>.Cursor fast = log.follow();
        ChangeLog<String>.Cursor slow = log.follow();
        log.append("a", 100);
        assertThat(poll(fast)).isEqualTo("a");
        assertThat(log.append("a", 200)).as("fast sent the old value: it owes the new one").isTrue();
        assertThat(log.append("a", 300)).as("not yet read by anyone").isFalse();
        String[] keys = new String[4];
        long[] times = new long[4];
        assertThat(fast.poll(keys, times)).isEqualTo(1);
        assertThat(keys[0]).isEqualTo("a");
        assertThat(times[0]).as("owed since its second change").isEqualTo(200);
        assertThat(slow.oldestAt()).as("slow owes a since its first change").isEqualTo(100);
        assertThat(drain(slow)).as("slow meets the key twice; sent twice, never missed").containsExactly("a", "a");
        assertThat(log.size()).isZero();
    }

    @Test
    void aBatchTakesTheOldestKeysWithTheirTimesUpToItsLengthAndTheLimit() {
        ChangeLog<String> log = new ChangeLog<>();
        ChangeLog<String>.Cursor c = log.follow();
        for (int i = 0; i < 5; i++) {
            log.append("k" + i, 10 + i);
        }
        String[] keys = new String[3];
        long[] times = new long[3];
        assertThat(c.poll(keys, times)).isEqualTo(3);
        assertThat(keys).containsExactly("k0", "k1", "k2");
        assertThat(times).containsExactly(10, 11, 12);
        assertThat(log.size()).as("the entries the only link passed are let go").isEqualTo(2);
        assertThat(c.oldestAt()).isEqualTo(13);
        c.stopHere();
        log.append("k5", 15);
        assertThat(c.poll(keys, times)).as("no further than the limit").isEqualTo(2);
        assertThat(keys[0]).isEqualTo("k3");
        assertThat(keys[1]).isEqualTo("k4");
        assertThat(c.poll(keys, times)).isZero();
        assertThat(c.backlog()).isZero();
    }

    @Test
    void aKeyThatNeverStopsChangingIsStillReadWithinOnePassOfTheLog() {
        ChangeLog<Integer> log = new ChangeLog<>();
        ChangeLog<Integer>.Cursor c = log.follow();
        log.append(0, 0);
        for (int k = 1; k <= 100; k++) {
            log.append(k, k);
        }
        List<Integer> read = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            log.append(0, 1_000 + i); // key 0 changes before every read
            read.add(poll(c));
        }
        assertThat(read.get(0)).as("the hot key keeps its place: it is not pushed behind later keys").isZero();
    }

    @Test
    void makingRoomKeepsOnlyTheFirstOfTwoEntriesOfAKeyNoCursorStandsBetween() {
        ChangeLog<Integer> log = new ChangeLog<>();
        ChangeLog<Integer>.Cursor stuck = log.follow();
        ChangeLog<Integer>.Cursor moving = log.follow();
        // moving reads each round and key 0 is changed again each time: without compaction the
        // log would hold one entry of key 0 per round for the stuck cursor
        for (int round = 0; round < 10_000; round++) {
            log.append(0, round);
            log.append(round + 1, round);
            drain(moving);
        }
        assertThat(log.size()).as("without compaction: 20,001").isLessThan(15_000);
        List<Integer> read = drain(stuck);
        assertThat(new HashSet<>(read)).hasSize(10_001);
        assertThat(read.stream().filter(k -> k == 0).count()).as("key 0, sent once a round without compaction")
                .isLessThan(5_000);
        assertThat(stuck.oldestAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLinkThatStopsReadsOnlyWhatWasLoggedBeforeItStopped() {
        ChangeLog<String> log = new ChangeLog<>();
        ChangeLog<String>.Cursor quitting = log.follow();
        ChangeLog<String>.Cursor staying = log.follow();
        log.append("a", 0);
        quitting.stopHere();
        log.append("b", 0);
        assertThat(quitting.backlog()).isEqualTo(1);
        assertThat(drain(quitting)).containsExactly("a");
        assertThat(drain(staying)).containsExactly("a", "b");
    }

    @Test
    void closingTheSlowestCursorLetsGoOfWhatOnlyItOwed() {
        ChangeLog<Integer> log = new ChangeLog<>();
        ChangeLog<Integer>.Cursor gone = log.follow();
        ChangeLog<Integer>.Cursor live = log.follow();
        for (int k = 0; k < 5_000; k++) {
            log.append(k, k);
        }
        drain(live);
        assertThat(log.size()).isEqualTo(5_000);
        gone.close();
        assertThat(log.size()).isZero();
        assertThat(poll(gone)).isNull();
        log.append(7, 1);
        assertThat(drain(live)).containsExactly(7);
        live.close();
        assertThat(log.append(8, 2)).as("no link left").isFalse();
    }

    @Test
    void keysWhoseHashesCollideAreEachLoggedOnceAndLeaveInOrder() {
        // "Aa" and "BB" have the same String hash, and so do all their concatenations
        ChangeLog<String> log = new ChangeLog<>();
        ChangeLog<String>.Cursor c = log.follow();
        ChangeLog<String>.Cursor other = log.follow();
        List<String> colliding = List.of("AaAa", "AaBB", "BBAa", "BBBB");
        for (String k : colliding) {
            assertThat(log.append(k, 0)).isTrue();
        }
        for (String k : colliding) {
            assertThat(log.append(k, 1)).isFalse();
        }
        assertThat(poll(c)).isEqualTo("AaAa");
        assertThat(poll(other)).isEqualTo("AaAa"); // both passed it: its entry leaves the index
        assertThat(log.append("AaAa", 2)).isTrue(); // logged again behind the others
        assertThat(log.append("BBBB", 2)).isFalse(); // still found after the removal in front of it
        assertThat(drain(c)).containsExactly("AaBB", "BBAa", "BBBB", "AaAa");
    }

    /**
     * Against a model of what each link owes: a key is owed from its first change after the link
     * followed or last read it, until the link reads it. Random links follow, read, stop and
     * close while writers change keys; every link drained at the end owes nothing, no link's
     * oldest change is ever later than what it really owes longest, and the log never holds more
     * than a few times one entry per key per link, however many writes.
     */
    @Test
    void agreesWithAModelOfWhatEachLinkOwesThroughGrowthCompactionAndClosing() {
        ChangeLog<Integer> log = new ChangeLog<>();
        Map<ChangeLog<Integer>.Cursor, Map<Integer, Long>> owed = new HashMap<>();
        Random random = new Random(11);
        int keys = 1_000;
        for (int step = 0; step < 200_000; step++) {
            int action = random.nextInt(1_000);
            List<ChangeLog<Integer>.Cursor> open = new ArrayList<>(owed.keySet());
            if (open.isEmpty() || action < 3 && open.size() < 6) {
                owed.put(log.follow(), new HashMap<>());
            } else if (action >= 3 && action < 6 && open.size() > 1) {
                ChangeLog<Integer>.Cursor c = open.get(random.nextInt(open.size()));
                c.close();
                owed.remove(c);
            } else if ((step / 10_000) % 2 == 0 ? action < 700 : action < 300) {
                int key = random.nextInt(keys);
                log.append(key, step);
                for (Map<Integer, Long> o : owed.values()) {
                    o.putIfAbsent(key, (long) step);
                }
            } else {
                ChangeLog<Integer>.Cursor c = open.get(random.nextInt(open.size()));
                Integer k = poll(c);
                if (k == null) {
                    assertThat(owed.get(c)).isEmpty();
                } else {
                    owed.get(c).remove(k);
                }
            }
            for (Map.Entry<ChangeLog<Integer>.Cursor, Map<Integer, Long>> e : owed.entrySet()) {
                if (step % 97 != 0) {
                    break;
                }
                long oldest = e.getValue().values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                assertThat(e.getKey().oldestAt()).isLessThanOrEqualTo(oldest);
                assertThat(e.getKey().backlog()).isGreaterThanOrEqualTo(e.getValue().size());
            }
            // compaction leaves at most one entry per key per gap between cursors, and the arrays
            // double only when that fills more than half of them
            assertThat(log.size()).isLessThanOrEqualTo(4 * keys * 7);
        }
        for (Map.Entry<ChangeLog<Integer>.Cursor, Map<Integer, Long>> e : owed.entrySet()) {
            for (Integer k : drain(e.getKey())) {
                e.getValue().remove(k);
            }
            assertThat(e.getValue()).isEmpty();
        }
        assertThat(log.size()).isZero();
    }

    @Test
    void concurrentWritersAndOneReaderLoseNoKey() throws Exception {
        ChangeLog<Integer> log = new ChangeLog<>();
        ChangeLog<Integer>.Cursor c = log.follow();
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
                    log.append(base + i, 0);
                    log.append(base + i, 0);
                }
            });
            t.start();
            threads.add(t);
        }
        Set<Integer> seen = new HashSet<>();
        start.countDown();
        boolean writing = true;
        while (writing || c.backlog() > 0) {
            writing = threads.stream().anyMatch(Thread::isAlive);
            seen.addAll(drain(c));
        }
        assertThat(seen).hasSize(writers * perWriter);
    }
}
