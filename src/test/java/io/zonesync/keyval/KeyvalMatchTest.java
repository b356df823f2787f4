package io.zonesync.keyval;

import io.zonesync.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyvalMatchTest {
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestStamps stamps = new TestStamps(clock, 1);

    private KeyvalZone zone(KeyvalType type, long timeout) {
        return new KeyvalZone("m", KeyvalZone.MIN_SIZE, type, timeout, false, clock, stamps);
    }

    @Test
    void ipv4LongestMatch() throws Exception {
        KeyvalZone z = zone(KeyvalType.IP, 0);
        z.set("10.0.0.0/8", "ten");
        z.set("10.1.0.0/16", "ten-one");
        z.set("10.1.2.3", "host");
        z.set("0.0.0.0/0", "any");
        assertThat(z.lookup("10.1.2.3")).isEqualTo("host");
        assertThat(z.lookup("10.1.9.9")).isEqualTo("ten-one");
        assertThat(z.lookup("10.200.0.1")).isEqualTo("ten");
        assertThat(z.lookup("192.168.1.1")).isEqualTo("any");
        assertThat(z.lookup("10.1.0.0/24")).as("a network value matches networks containing it").isEqualTo("ten-one");
        assertThat(z.lookup("::1")).as("families do not mix").isNull();
        assertThat(z.lookup("not an address")).isNull();
        z.remove("10.1.0.0/16");
        assertThat(z.lookup("10.1.9.9")).isEqualTo("ten");
    }

    @Test
    void ipv6LongestMatch() throws Exception {
        KeyvalZone z = zone(KeyvalType.IP, 0);
        z.set("::1", "loopback");
        z.set("2001:db8::/32", "doc");
        z.set("2001:db8:1::/48", "doc-1");
        z.set("::ffff:10.0.0.0/104", "mapped");
        assertThat(z.lookup("::1")).isEqualTo("loopback");
        assertThat(z.lookup("0:0:0:0:0:0:0:1")).isEqualTo("loopback");
        assertThat(z.lookup("2001:db8:1:2::5")).isEqualTo("doc-1");
        assertThat(z.lookup("2001:DB8:2::5")).isEqualTo("doc");
        assertThat(z.lookup("2001:db9::1")).isNull();
        assertThat(z.lookup("::ffff:10.9.8.7")).isEqualTo("mapped");
        assertThat(z.lookup("10.9.8.7")).isNull();
    }

    @Test
    void ipZoneRefusesKeysThatAreNotAddresses() {
        KeyvalZone z = zone(KeyvalType.IP, 0);
        for (String bad : new String[] {"foo", "10.0.0", "10.0.0.256", "10.0.0.0/33", "1:2:3:4:5:6:7:8:9",
            "::1::2", "2001:db8::/129", "10.0.0.1/", "fe80::1%eth0", "example.com"}) {
            assertThatThrownBy(() -> z.set(bad, "v")).as(bad).isInstanceOf(KeyvalException.class)
                    .hasMessageContaining("invalid key format");
        }
    }

    @Test
    void sameNetworkSpelledTwoWays() throws Exception {
        KeyvalZone z = zone(KeyvalType.IP, 0);
        z.set("10.0.0.1/8", "a");
        z.set("10.0.0.0/8", "b");
        assertThat(z.lookup("10.2.3.4")).isIn("a", "b");
        z.remove("10.0.0.1/8");
        assertThat(z.lookup("10.2.3.4")).isEqualTo("b");
        z.remove("10.0.0.0/8");
        assertThat(z.lookup("10.2.3.4")).isNull();
    }

    @Test
    void expiredLongerMatchFallsBackToShorter() throws Exception {
        KeyvalZone z = zone(KeyvalType.IP, 10_000);
        z.set("10.0.0.0/8", "ten");
        z.set(new KeyvalWrite("10.1.0.0/16", "short-lived", 1_000));
        assertThat(z.lookup("10.1.1.1")).isEqualTo("short-lived");
        clock.advance(1_000);
        assertThat(z.lookup("10.1.1.1")).isEqualTo("ten");
    }

    @Test
    void prefixLongestMatch() throws Exception {
        KeyvalZone z = zone(KeyvalType.PREFIX, 0);
        z.set("/api", "api");
        z.set("/api/v2", "v2");
        z.set("/", "root");
        assertThat(z.lookup("/api/v2/users")).isEqualTo("v2");
        assertThat(z.lookup("/api/v1/users")).isEqualTo("api");
        assertThat(z.lookup("/static")).isEqualTo("root");
        assertThat(z.lookup("/api")).isEqualTo("api");
        assertThat(z.lookup("nothing")).isNull();
        assertThat(z.lookup("/API/v2")).as("case-sensitive").isEqualTo("root");
        z.remove("/api/v2");
        assertThat(z.lookup("/api/v2/users")).isEqualTo("api");
    }

    @Test
    void stringZoneMatchesExactly() throws Exception {
        KeyvalZone z = zone(KeyvalType.STRING, 0);
        z.set("abc", "1");
        assertThat(z.lookup("abc")).isEqualTo("1");
        assertThat(z.lookup("abcd")).isNull();
        assertThat(z.lookup("ABC")).isNull();
    }

    @Test
    void typeNames() {
        assertThat(KeyvalType.fromConfigName("ip")).isEqualTo(KeyvalType.IP);
        assertThat(KeyvalType.fromConfigName("IP")).isNull();
        assertThat(KeyvalType.PREFIX.configName()).isEqualTo("prefix");
    }
}
