package io.zonesync.keyval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zonesync.testing.LogCapture;
import io.zonesync.testing.MutableClock;
import io.zonesync.zone.Stamp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyvalStateFileTest {
    private static final long T0 = 1_700_000_000_000L;
    private final MutableClock clock = new MutableClock(T0);
    private final TestStamps stamps = new TestStamps(clock, 7);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private KeyvalZone zone(long timeout, boolean sync) {
        return new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.STRING, timeout, sync, clock, stamps);
    }

    private KeyvalStateFile open(KeyvalZone z, Path file) throws Exception {
        return KeyvalStateFile.open(z, file, executor, 50, KeyvalStateFile.COMPACT_MIN_BYTES);
    }

    /** What a node restarted after kill -9 finds: the file as it is now, loaded into a new zone. */
    private KeyvalZone reloaded(Path file, long timeout, boolean sync) throws Exception {
        Path copy = dir.resolve("copy-" + System.nanoTime());
        Files.copy(file, copy);
        KeyvalZone back = zone(timeout, sync);
        open(back, copy);
        return back;
    }

    @Test
    void roundTripKeepsValuesExpiresStampsAndTombstones() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(60_000, true);
        KeyvalStateFile state = open(z, file);
        z.set("a", "1");
        z.set(new KeyvalWrite("b", "ü \"quoted\"", 5_000));
        z.set("gone", "x");
        z.remove("gone");
        z.persist();
        state.close();
        assertThat(Files.readAllBytes(file)).startsWith(KeyvalJournal.HEADER);

        clock.advance(1_000);
        KeyvalZone back = zone(60_000, true);
        open(back, file);
        assertThat(back.pairs()).containsExactlyElementsOf(z.pairs());
        assertThat(back.pairs()).contains(new KeyvalPair("a", "1", T0 + 60_000));
        assertThat(TestRecord.all(back)).hasSize(3);
        assertThat(TestRecord.of(back, "gone").isDelete()).isTrue();
        assertThat(TestRecord.of(back, "a").stamp()).isEqualTo(TestRecord.of(z, "a").stamp());
        assertThat(back.usedBytes()).isEqualTo(z.usedBytes());
    }

    @Test
    void everyWriteIsInTheFileWhenItReturnsWithoutCloseOrSync() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(0, false);
        KeyvalStateFile.open(z, file, executor, 3_600_000, KeyvalStateFile.COMPACT_MIN_BYTES);
        for (int i = 0; i < 200; i++) {
            z.set("k" + i, "v" + i);
        }
        z.update("k1", "changed", 0);
        z.remove("k2");
        z.insert(KeyvalWrite.of("new", "n"));
        z.transfer().applyRemote("remote", "r", 0, new Stamp(Stamp.hlc(T0 + 1000, 1), 2));
        z.remove("k3");
        z.set("k3", "back");
        KeyvalZone back = reloaded(file, 0, false);
        assertThat(back.pairs()).containsExactlyElementsOf(z.pairs());
        assertThat(back.get("k1")).isEqualTo("changed");
        assertThat(back.get("k2")).isNull();
        assertThat(back.get("k3")).isEqualTo("back");
        assertThat(back.get("remote")).isEqualTo("r");
        z.clear();
        assertThat(reloaded(file, 0, false).isEmpty()).isTrue();
    }

    @Test
    void expiredEntriesAreDroppedOnLoad() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(10_000, false);
        open(z, file);
        z.set(new KeyvalWrite("short", "v", 1_000));
        z.set("long", "v");
        z.persist();
        clock.advance(5_000);
        KeyvalZone back = zone(10_000, false);
        open(back, file);
        assertThat(back.pairs()).extracting(KeyvalPair::key).containsExactly("long");
    }

    @Test
    void missingFileIsAnEmptyZoneAndAnEmptyJournalAtOnce() throws Exception {
        KeyvalZone z = zone(0, false);
        open(z, dir.resolve("new.keyval"));
        assertThat(z.isEmpty()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("new.keyval"))).isEqualTo(KeyvalJournal.HEADER);
    }

    @Test
    void fileWithoutStampsOrExpireLoadsLikeNjsAndBecomesAJournal() throws Exception {
        Path file = dir.resolve("one.keyval");
        Files.writeString(file, "{\"k\":{\"value\":\"v\"}}");
        KeyvalZone z = zone(30_000, true);
        try (LogCapture log = new LogCapture(KeyvalStateFile.class.getName())) {
            open(z, file);
            assertThat(log.lines()).contains("notice keyval state file \"" + file
                    + "\" of zone \"one\" was JSON and is now a journal");
        }
        assertThat(z.pairs()).containsExactly(new KeyvalPair("k", "v", T0 + 30_000));
        assertThat(TestRecord.of(z, "k").stamp()).isEqualTo(Stamp.ZERO);
        assertThat(Files.readAllBytes(file)).startsWith(KeyvalJournal.HEADER);
        assertThat(reloaded(file, 30_000, true).pairs()).isEqualTo(z.pairs());
    }

    @Test
    void nginxPlusStateFileOfKeysAndStringValuesIsImported() throws Exception {
        Path file = dir.resolve("plus.keyval");
        String plus = "{\"10.0.0.1\":\"blocked\",\"user:42\":\"{\\\"role\\\":\\\"admin\\\"}\",\"empty\":\"\"}";
        Files.writeString(file, plus);
        KeyvalZone z = zone(60_000, true);
        open(z, file);
        assertThat(z.pairs()).containsExactly(
                new KeyvalPair("10.0.0.1", "blocked", T0 + 60_000),
                new KeyvalPair("empty", "", T0 + 60_000),
                new KeyvalPair("user:42", "{\"role\":\"admin\"}", T0 + 60_000));
        assertThat(reloaded(file, 60_000, true).pairs()).isEqualTo(z.pairs());
        Path second = dir.resolve("plus2.keyval");
        Files.writeString(second, plus);
        KeyvalZone untimed = zone(0, false);
        open(untimed, second);
        assertThat(untimed.get("10.0.0.1")).isEqualTo("blocked");
        assertThat(untimed.pairs().get(0).expireAtMs()).isZero();
    }

    private Path reloadedCopyOf(Path file) throws Exception {
        Path copy = dir.resolve("copy-" + System.nanoTime());
        Files.copy(file, copy);
        return copy;
    }

    @Test
    void corruptJsonNamesTheFileAndTheSpot() throws Exception {
        Path file = dir.resolve("bad.keyval");
        Files.writeString(file, "{\"k\":{\"value\":\"v\"},\n\"x\": ");
        assertThatThrownBy(() -> open(zone(0, false), file))
                .isInstanceOf(KeyvalStateFileException.class)
                .hasMessageStartingWith("state file \"" + file + "\" of keyval zone \"one\" is not valid JSON at line 2");
    }

    @Test
    void wrongShapesAreNamed() throws Exception {
        Path file = dir.resolve("bad.keyval");
        String[][] cases = {
            {"[1,2]", "must hold a JSON object of keys, not array"},
            {"{\"k\":true}", "has key \"k\" whose entry is neither a string nor an object"},
            {"{\"k\":{\"value\":3}}", "has key \"k\" without a string \"value\""},
            {"{\"k\":{\"value\":\"v\",\"expire\":\"soon\"}}", "has key \"k\" with invalid \"expire\" \"soon\""},
            {"{\"k\":{\"value\":\"v\",\"stamp\":[1]}}", "has key \"k\" with invalid \"stamp\" [1]"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThatThrownBy(() -> open(zone(0, false), file)).as(c[0])
                    .isInstanceOf(KeyvalStateFileException.class)
                    .hasMessage("state file \"" + file + "\" of keyval zone \"one\" " + c[1]);
        }
    }

    @Test
    void pairsThatDoNotFitOrDoNotMatchTheTypeAreRefused() throws Exception {
        Path file = dir.resolve("big.keyval");
        Files.writeString(file, "{\"k\":{\"value\":\"" + "x".repeat(40_000) + "\"}}");
        assertThatThrownBy(() -> open(zone(0, false), file))
                .hasMessageContaining("cannot be loaded: zone \"one\" of 32768 bytes is too small for the 40065 bytes");
        Files.writeString(file, "{\"not-ip\":{\"value\":\"v\"}}");
        KeyvalZone ip = new KeyvalZone("one", KeyvalZone.MIN_SIZE, KeyvalType.IP, 0, false, clock, stamps);
        assertThatThrownBy(() -> open(ip, file))
                .hasMessageContaining("invalid key format \"not-ip\"");
    }

    @Test
    void missingDirectoryIsAnErrorAtOpen() {
        Path file = dir.resolve("no/such/dir/one.keyval");
        assertThatThrownBy(() -> open(zone(0, false), file))
                .hasMessageContaining("cannot be written: directory \"" + dir.resolve("no/such/dir") + "\" does not exist");
    }

    /** A journal of keys k0..k(n-1) with values v0..; returns the offset where each record starts. */
    private long[] journalOf(Path file, int n) throws Exception {
        KeyvalZone z = zone(0, false);
        KeyvalStateFile state = open(z, file);
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = state.journalBytes();
            z.set("k" + i, "v" + i);
        }
        state.close();
        return offsets;
    }

    @Test
    void aTruncatedTailIsCutAtTheLastGoodRecordAndLogged() throws Exception {
        Path file = dir.resolve("one.keyval");
        long[] at = journalOf(file, 5);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 3)); // the last record torn by a power loss
        KeyvalZone back = zone(0, false);
        try (LogCapture log = new LogCapture(KeyvalStateFile.class.getName())) {
            open(back, file);
            assertThat(log.lines()).containsExactly("warn keyval state file \"" + file + "\" is truncated at offset "
                    + at[4] + ", the rest (" + (whole.length - 3 - at[4]) + " bytes) is ignored");
        }
        assertThat(back.pairs()).extracting(KeyvalPair::key).containsExactly("k0", "k1", "k2", "k3");
        assertThat(Files.size(file)).as("cut there, so that new records follow good ones").isEqualTo(at[4]);
        back.set("after", "x");
        assertThat(reloaded(file, 0, false).pairs()).extracting(KeyvalPair::key)
                .containsExactly("after", "k0", "k1", "k2", "k3");
    }

    @Test
    void aRecordFailingItsChecksumEndsTheReplayThereAndIsLogged() throws Exception {
        Path file = dir.resolve("one.keyval");
        long[] at = journalOf(file, 5);
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) at[2] + KeyvalJournal.FRAME_BYTES + KeyvalJournal.MIN_BODY_BYTES] ^= 0x20; // k2 becomes K2
        Files.write(file, bytes);
        KeyvalZone back = zone(0, false);
        try (LogCapture log = new LogCapture(KeyvalStateFile.class.getName())) {
            open(back, file);
            assertThat(log.lines()).containsExactly("error keyval state file \"" + file
                    + "\" is damaged (checksum mismatch) at offset " + at[2] + ", the rest ("
                    + (bytes.length - at[2]) + " bytes) is ignored");
        }
        assertThat(back.pairs()).extracting(KeyvalPair::key).containsExactly("k0", "k1");
    }

    @Test
    void compactionShrinksTheJournalToTheLiveDataAndKeepsWritesMadeMeanwhile() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = new KeyvalZone("one", 1 << 20, KeyvalType.STRING, 0, true, clock, stamps);
        KeyvalStateFile state = KeyvalStateFile.open(z, file, executor, 50, 16 * 1024);
        for (int i = 0; i < 100; i++) {
            z.set("k" + i, "first");
        }
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 100; i++) {
                z.set("k" + i, "round" + round);
            }
        }
        z.remove("k0");
        await().atMost(Duration.ofSeconds(10)).until(() -> state.journalBytes() <= 2 * z.usedBytes());
        assertThat(Files.size(file)).isLessThan(2 * z.usedBytes());
        KeyvalZone back = new KeyvalZone("one", 1 << 20, KeyvalType.STRING, 0, true, clock, stamps);
        open(back, reloadedCopyOf(file));
        assertThat(back.pairs()).isEqualTo(z.pairs());
        assertThat(back.get("k99")).isEqualTo("round49");
        assertThat(TestRecord.of(back, "k0").isDelete()).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void compactionWhileWritersKeepWritingLosesNothing() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = new KeyvalZone("one", 1 << 20, KeyvalType.STRING, 0, false, clock, stamps);
        KeyvalStateFile state = KeyvalStateFile.open(z, file, executor, 50, 4096);
        for (int i = 0; i < 20_000; i++) {
            z.set("k" + (i % 500), "v" + i);
            if (i % 1000 == 0) {
                state.compact(); // also on this thread, racing the background ones
            }
        }
        KeyvalZone back = new KeyvalZone("one", 1 << 20, KeyvalType.STRING, 0, false, clock, stamps);
        open(back, reloadedCopyOf(file));
        assertThat(back.pairs()).isEqualTo(z.pairs());
    }

    @Test
    void remoteChangesAreAppendedAsTheyArrive() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(0, true);
        open(z, file);
        for (int i = 0; i < 100; i++) {
            z.transfer().applyRemote("r" + i, "v", 0, new Stamp(Stamp.hlc(T0 + 1000, i), 2));
        }
        assertThat(reloaded(file, 0, true).get("r99")).isEqualTo("v");
    }

    @Test
    void closeLeavesAFileThatLoads() throws Exception {
        Path file = dir.resolve("one.keyval");
        KeyvalZone z = zone(0, false);
        KeyvalStateFile state = open(z, file);
        z.set("a", "1");
        state.close();
        z.set("b", "after close");
        KeyvalZone back = zone(0, false);
        open(back, file);
        assertThat(back.pairs()).extracting(KeyvalPair::key).containsExactly("a");
    }

    @Test
    void aFailedCompactionIsLoggedAndTriedAgainOnlyAfterMoreGrowth() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("one.keyval");
        KeyvalZone z = new KeyvalZone("one", 1 << 20, KeyvalType.STRING, 0, false, clock, stamps);
        KeyvalStateFile state = KeyvalStateFile.open(z, file, executor, 3_600_000, 4096);
        Files.delete(file);
        Files.delete(sub); // appends go on to the open file; a compaction cannot create its new one
        try (LogCapture log = new LogCapture(KeyvalStateFile.class.getName())) {
            int i = 0;
            while (log.count("compacting state file") == 0) {
                z.set("k", "v" + i++);
                executor.submit(() -> { }).get(); // whatever was queued before has run
            }
            assertThat(log.lines().get(0)).startsWith("error compacting state file \"" + file
                    + "\" of keyval zone \"one\" failed: java.nio.file.NoSuchFileException");
            long failedAt = state.journalBytes();
            while (true) {
                z.set("k", "v" + i++);
                executor.submit(() -> { }).get();
                if (state.journalBytes() > failedAt + 4096) {
                    break;
                }
                assertThat(log.count("compacting state file")).as("no retry before 4096 more bytes").isEqualTo(1);
            }
            assertThat(log.count("compacting state file")).isEqualTo(2);
        }
        assertThat(z.get("k")).startsWith("v");
    }
}
