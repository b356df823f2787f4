package io.zonesync.http.proxycache;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** proxy_cache_lock's locks: one holder per key, waiters run at release, takeover after the lock age. */
class CacheLocksTest {
    private final MutableClock clock = new MutableClock(1_000_000);
    private final CacheLocks locks = new CacheLocks(clock);

    @Test
    void oneHolderAndItsWaitersRunAtRelease() {
        CacheLocks.Held first = locks.acquire("k", 5000);
        assertThat(first).isNotNull();
        assertThat(locks.acquire("k", 5000)).isNull();
        assertThat(locks.acquire("other", 5000)).isNotNull();
        List<String> ran = new ArrayList<>();
        assertThat(locks.await("k", () -> ran.add("w1"))).isTrue();
        assertThat(locks.await("k", () -> ran.add("w2"))).isTrue();
        assertThat(ran).isEmpty();
        locks.release("k", first);
        assertThat(ran).containsExactly("w1", "w2");
        assertThat(locks.held("k")).isFalse();
        assertThat(locks.await("k", () -> ran.add("late"))).isFalse();
        locks.release("k", first); // twice is harmless
        assertThat(ran).containsExactly("w1", "w2");
    }

    @Test
    void aLockOlderThanTheAgeIsTakenOverWithItsWaiters() {
        CacheLocks.Held first = locks.acquire("k", 5000);
        assertThat(locks.expires("k", 5000)).isEqualTo(1_005_000);
        List<String> ran = new ArrayList<>();
        locks.await("k", () -> ran.add("w"));
        clock.advance(4999);
        assertThat(locks.acquire("k", 5000)).isNull();
        clock.advance(1);
        CacheLocks.Held second = locks.acquire("k", 5000);
        assertThat(second).isNotNull().isNotSameAs(first);
        locks.release("k", first); // the old holder no longer releases it
        assertThat(ran).isEmpty();
        assertThat(locks.held("k")).isTrue();
        locks.release("k", second);
        assertThat(ran).containsExactly("w");
        assertThat(locks.expires("k", 5000)).isEqualTo(-1);
    }
}
