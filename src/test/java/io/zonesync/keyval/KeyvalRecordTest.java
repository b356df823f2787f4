package io.zonesync.keyval;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.zone.Stamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyvalRecordTest {

    @Test
    void aPairRecordHoldsItsFieldsKeyAndValue() {
        byte[] r = KeyvalRecord.of("clé", "välue", 1234, new Stamp(-5, 77));
        assertThat(KeyvalRecord.key(r)).isEqualTo("clé");
        assertThat(KeyvalRecord.value(r)).isEqualTo("välue");
        assertThat(KeyvalRecord.keyLength(r)).isEqualTo(4);
        assertThat(KeyvalRecord.valueLength(r)).isEqualTo(6);
        assertThat(r).hasSize(KeyvalRecord.KEY + 10);
        assertThat(KeyvalRecord.expireAt(r)).isEqualTo(1234);
        assertThat(KeyvalRecord.stamp(r)).isEqualTo(new Stamp(-5, 77));
        assertThat(KeyvalRecord.isTombstone(r)).isFalse();
        assertThat(KeyvalRecord.keyBytes(r)).isEqualTo("clé".getBytes(StandardCharsets.UTF_8));
        assertThat(KeyvalRecord.valueBytes(r)).isEqualTo("välue".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTombstoneHasNoValueAndAnEmptyValueIsNotATombstone() {
        byte[] t = KeyvalRecord.of("k", (String) null, 0, new Stamp(1, 2));
        assertThat(KeyvalRecord.isTombstone(t)).isTrue();
        assertThat(KeyvalRecord.value(t)).isNull();
        assertThat(KeyvalRecord.valueBytes(t)).isNull();
        assertThat(KeyvalRecord.key(t)).isEqualTo("k");
        assertThat(KeyvalRecord.liveAt(t, 0)).isFalse();
        byte[] empty = KeyvalRecord.of("k", "", 0, new Stamp(1, 2));
        assertThat(KeyvalRecord.isTombstone(empty)).isFalse();
        assertThat(KeyvalRecord.value(empty)).isEmpty();
    }

    @Test
    void lifetimeAndStampOrder() {
        byte[] r = KeyvalRecord.of("k", "v", 100, new Stamp(10, 2));
        assertThat(KeyvalRecord.liveAt(r, 99)).isTrue();
        assertThat(KeyvalRecord.liveAt(r, 100)).isFalse();
        assertThat(KeyvalRecord.expiredAt(r, 100)).isTrue();
        assertThat(KeyvalRecord.expiredAt(KeyvalRecord.of("k", "v", 0, Stamp.ZERO), Long.MAX_VALUE)).isFalse();
        assertThat(KeyvalRecord.isOlderThan(r, new Stamp(10, 3))).isTrue();
        assertThat(KeyvalRecord.isOlderThan(r, new Stamp(10, 2))).isFalse();
        assertThat(KeyvalRecord.isOlderThan(r, new Stamp(-1, 0))).as("unsigned hlc").isTrue();
        List<byte[]> rs = new ArrayList<>(List.of(KeyvalRecord.of("a", "v", 0, new Stamp(-1, 0)), r,
                KeyvalRecord.of("b", "v", 0, new Stamp(10, 1))));
        rs.sort(KeyvalRecord.BY_STAMP);
        assertThat(rs).extracting(KeyvalRecord::key).containsExactly("b", "k", "a");
    }

    @Test
    void keysCompareAndHashByTheirUtf8Form() {
        for (String k : List.of("", "a", "abc", "ключ", "k\uD83D\uDD11", "\u00ff")) {
            byte[] r = KeyvalRecord.of(k, "v", 0, Stamp.ZERO);
            assertThat(KeyvalRecord.keyEquals(r, k)).as(k).isTrue();
            assertThat(KeyvalRecord.keyEquals(r, k + "x")).isFalse();
            assertThat(KeyvalRecord.utf8(k)).isEqualTo(k.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(KeyvalRecord.keyEquals(KeyvalRecord.of("\u00ff", "v", 0, Stamp.ZERO), "\u00c3\u00bf"))
                .as("the two chars whose Latin-1 bytes are ÿ's UTF-8").isFalse();
        assertThat(KeyvalRecord.hash("abc")).isEqualTo("abc".hashCode());
        assertThat(KeyvalRecord.hash("\uD800")).isEqualTo(KeyvalRecord.hash("\uFFFD"));
        for (String k : List.of("", "abc", "ключ", "k\uD83D\uDD11", "\u00ff", "\uD800x")) {
            int fromBytes = KeyvalRecord.hash(KeyvalRecord.utf8(k));
            assertThat(KeyvalRecord.hash(k)).as(k).isEqualTo(fromBytes);
            assertThat(KeyvalRecord.hash(k, KeyvalRecord.utf8Length(k))).as("a local write's hash of " + k)
                    .isEqualTo(fromBytes);
        }
        List<byte[]> rs = new ArrayList<>(List.of(KeyvalRecord.of("\uFFFF", "", 0, Stamp.ZERO),
                KeyvalRecord.of("\uD83D\uDD11", "", 0, Stamp.ZERO), KeyvalRecord.of("b", "", 0, Stamp.ZERO)));
        rs.sort(KeyvalRecord.BY_KEY);
        assertThat(rs).extracting(KeyvalRecord::key).as("code point order").containsExactly("b", "\uFFFF",
                "\uD83D\uDD11");
    }
}
