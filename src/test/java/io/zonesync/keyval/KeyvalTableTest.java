package io.zonesync.keyval;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.zone.Stamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyvalTableTest {

    private static byte[] rec(String key, String value) {
        return KeyvalRecord.of(key, value, 0, new Stamp(1, 1));
    }

    /** 2^n distinct keys with one String hash: "Aa" and "BB" hash alike, and so do their concatenations. */
    private static List<String> colliding(int n) {
        List<String> keys = new ArrayList<>();
        for (int bits = 0; bits < 1 << n; bits++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            keys.add(b.toString());
        }
        return keys;
    }

    private static void assertHolds(KeyvalTable t, Map<String, String> model) {
        assertThat(t.size()).isEqualTo(model.size());
        model.forEach((k, v) -> assertThat(KeyvalRecord.value(t.get(k))).as(k).isEqualTo(v));
        Map<String, String> seen = new HashMap<>();
        t.forEach(r -> assertThat(seen.put(KeyvalRecord.key(r), KeyvalRecord.value(r))).isNull());
        assertThat(seen).isEqualTo(model);
    }

    @Test
    void putReplacesAndReturnsTheOldRecordRemoveReturnsIt() {
        KeyvalTable t = new KeyvalTable();
        byte[] a1 = rec("a", "1");
        assertThat(t.put("a", a1)).isNull();
        byte[] a2 = rec("a", "2");
        assertThat(t.put("a", a2)).isSameAs(a1);
        assertThat(t.get("a")).isSameAs(a2);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.get("b")).isNull();
        assertThat(t.remove("b")).isNull();
        assertThat(t.remove("a")).isSameAs(a2);
        assertThat(t.get("a")).isNull();
        assertThat(t.size()).isZero();
    }

    @Test
    void keysWithTheSameHashAreAllFoundAndRemovingOneInTheMiddleKeepsTheRestReachable() {
        List<String> keys = colliding(6); // 64 keys, one hash, one run
        assertThat(keys.get(0).hashCode()).isEqualTo(keys.get(63).hashCode());
        KeyvalTable t = new KeyvalTable();
        Map<String, String> model = new HashMap<>();
        for (String k : keys) {
            t.put(k, rec(k, "v" + k));
            model.put(k, "v" + k);
        }
        assertHolds(t, model);
        for (int i = 1; i < keys.size(); i += 3) {
            assertThat(t.remove(keys.get(i))).isNotNull();
            model.remove(keys.get(i));
            assertHolds(t, model);
        }
    }

    @Test
    void growsByDoublingAtThreeQuartersFull() {
        KeyvalTable t = new KeyvalTable();
        assertThat(t.capacity()).isEqualTo(16);
        for (int i = 0; i < 12; i++) {
            t.put("k" + i, rec("k" + i, "v"));
        }
        assertThat(t.capacity()).isEqualTo(16);
        t.put("k12", rec("k12", "v"));
        assertThat(t.capacity()).isEqualTo(32);
        Map<String, String> model = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            t.put("k" + i, rec("k" + i, "v" + i));
            model.put("k" + i, "v" + i);
        }
        assertThat(t.capacity()).isEqualTo(16_384);
        assertHolds(t, model);
    }

    @Test
    void randomPutsAndRemovesAgreeWithAHashMap() {
        Random random = new Random(16);
        KeyvalTable t = new KeyvalTable();
        Map<String, String> model = new HashMap<>();
        List<String> pool = new ArrayList<>(colliding(5)); // long runs that wrap round the table's end
        for (int i = 0; i < 200; i++) {
            pool.add("key-" + i);
        }
        for (int step = 0; step < 20_000; step++) {
            String k = pool.get(random.nextInt(pool.size()));
            if (random.nextInt(3) == 0) {
                byte[] r = t.remove(k);
                String old = model.remove(k);
                assertThat(r == null ? null : KeyvalRecord.value(r)).isEqualTo(old);
            } else {
                String v = Integer.toString(step);
                byte[] r = t.put(k, rec(k, v));
                String old = model.put(k, v);
                assertThat(r == null ? null : KeyvalRecord.value(r)).isEqualTo(old);
            }
            if (step % 1000 == 0) {
                assertHolds(t, model);
            }
        }
        assertHolds(t, model);
    }

    @Test
    void removeIfTakesEachMatchingRecordOnceAndLeavesTheOthersReachable() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            KeyvalTable t = new KeyvalTable();
            Map<String, String> model = new HashMap<>();
            List<String> keys = new ArrayList<>(colliding(3));
            for (int i = 0; i < 4 + random.nextInt(40); i++) {
                keys.add("k" + random.nextInt(1000));
            }
            for (String k : keys) {
                String v = random.nextBoolean() ? "drop" : "keep";
                t.put(k, rec(k, v));
                model.put(k, v);
            }
            Set<String> removed = new HashSet<>();
            t.removeIf(r -> KeyvalRecord.value(r).equals("drop"),
                    r -> assertThat(removed.add(KeyvalRecord.key(r))).as("removed once").isTrue());
            Set<String> dropped = new HashSet<>();
            model.forEach((k, v) -> {
                if (v.equals("drop")) {
                    dropped.add(k);
                }
            });
            assertThat(removed).isEqualTo(dropped);
            model.values().removeIf(v -> v.equals("drop"));
            assertHolds(t, model);
        }
    }

    @Test
    void nonAsciiKeysAreStoredAsUtf8AndFoundByTheirString() {
        KeyvalTable t = new KeyvalTable();
        List<String> keys = List.of("ключ", "clé", "鍵", "k\uD83D\uDD11", "a", "ä");
        for (String k : keys) {
            t.put(k, rec(k, k + "!"));
        }
        for (String k : keys) {
            byte[] r = t.get(k);
            assertThat(KeyvalRecord.key(r)).isEqualTo(k);
            assertThat(KeyvalRecord.keyLength(r)).isEqualTo(k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(KeyvalRecord.value(r)).isEqualTo(k + "!");
        }
        assertThat(t.get("cle")).isNull();
        assertThat(t.get("ключи")).isNull();
        assertThat(t.remove("鍵")).isNotNull();
        assertThat(t.get("鍵")).isNull();
        assertThat(t.size()).isEqualTo(keys.size() - 1);
    }

    @Test
    void aLoneSurrogateIsHeldAsTheReplacementCharacterItsUtf8FormCarries() {
        KeyvalTable t = new KeyvalTable();
        t.put("x\uD800", rec("x\uD800", "v"));
        assertThat(KeyvalRecord.key(t.get("x\uD800"))).isEqualTo("x\uFFFD");
        assertThat(t.get("x\uFFFD")).as("the same key once encoded").isNotNull();
        assertThat(t.get("x?")).isNull();
    }

    @Test
    void aSelectedCopyStaysAsItWasWhileTheTableChanges() {
        KeyvalTable t = new KeyvalTable();
        for (int i = 0; i < 100; i++) {
            t.put("k" + i, rec("k" + i, "old"));
        }
        byte[][] copy = t.select(null);
        byte[][] even = t.select(r -> KeyvalRecord.key(r).hashCode() % 2 == 0);
        for (int i = 0; i < 100; i++) {
            if (i % 2 == 0) {
                t.remove("k" + i);
            } else {
                t.put("k" + i, rec("k" + i, "new"));
            }
        }
        t.put("extra", rec("extra", "new"));
        assertThat(copy.length).isEqualTo(100);
        for (byte[] r : copy) {
            assertThat(KeyvalRecord.value(r)).isEqualTo("old");
        }
        assertThat(even.length).isPositive();
        for (byte[] r : even) {
            assertThat(KeyvalRecord.key(r).hashCode() % 2).isZero();
        }
        assertThat(t.size()).isEqualTo(51);
    }

    @Test
    void aKeyGivenAsItsUtf8BytesIsTheSameKeyAsItsString() {
        KeyvalTable t = new KeyvalTable();
        Map<String, String> model = new HashMap<>();
        List<String> keys = new ArrayList<>(colliding(4)); // one hash: the probe must compare the bytes
        keys.addAll(List.of("caf\u00e9", "\ud83d\ude00", "k"));
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            byte[] utf8 = KeyvalRecord.utf8(k);
            if (i % 2 == 0) {
                assertThat(t.put(utf8, KeyvalRecord.hash(utf8), rec(k, "bytes"))).isNull();
                assertThat(t.put(k, rec(k, "string"))).as("the String finds what the bytes stored").isNotNull();
                model.put(k, "string");
            } else {
                assertThat(t.put(k, rec(k, "string"))).isNull();
                assertThat(KeyvalRecord.value(t.get(utf8, KeyvalRecord.hash(utf8)))).isEqualTo("string");
                assertThat(t.put(utf8, KeyvalRecord.hash(utf8), rec(k, "bytes"))).isNotNull();
                model.put(k, "bytes");
            }
        }
        assertThat(t.get("Aa".getBytes(), KeyvalRecord.hash("Aa".getBytes()))).isNull();
        assertHolds(t, model);
    }
}
