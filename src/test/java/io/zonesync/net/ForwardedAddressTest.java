package io.zonesync.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.net.AddressText;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** X-Forwarded-For is walked as nginx walks it: right to left, through trusted proxies, over several lines. */
class ForwardedAddressTest {
    private static final TrustedAddresses TRUSTED = trusted("10.0.0.0/8", "2001:db8::/32", "127.0.0.1");
    private static final SocketAddress PEER = new InetSocketAddress("127.0.0.1", 5555);

    private static TrustedAddresses trusted(String... networks) {
        List<TrustedAddresses.Network> list = new java.util.ArrayList<>();
        for (String n : networks) {
            io.zonesync.net.IpNetwork net = io.zonesync.net.IpNetwork.parse(n);
            list.add(new TrustedAddresses.Network(net.address(), net.prefixLength()));
        }
        return new TrustedAddresses(list, false);
    }

    private static String find(boolean recursive, String... lines) {
        return text(ForwardedAddress.find(PEER, List.of(lines), TRUSTED, recursive));
    }

    private static String text(SocketAddress a) {
        return a == null ? "declined" : AddressText.hostPort(a);
    }

    @Test
    void withoutRecursionTheLastAddressIsTheClient() {
        assertThat(find(false, "192.0.2.1, 10.0.0.1")).isEqualTo("10.0.0.1:0");
        assertThat(find(false, "10.0.0.1, 192.0.2.1")).isEqualTo("192.0.2.1:0");
        assertThat(find(false, "192.0.2.1", "10.0.0.1")).isEqualTo("10.0.0.1:0");
        assertThat(find(false, "192.0.2.1,  ")).isEqualTo("192.0.2.1:0");
    }

    @Test
    void withRecursionTrustedProxiesAreSkipped() {
        assertThat(find(true, "192.0.2.1, 10.0.0.1, 10.0.0.2")).isEqualTo("192.0.2.1:0");
        assertThat(find(true, "198.51.100.1, 192.0.2.1, 10.0.0.1")).isEqualTo("192.0.2.1:0");
        assertThat(find(true, "10.0.0.3, 10.0.0.1")).isEqualTo("10.0.0.3:0");
        assertThat(find(true, "192.0.2.1", "10.0.0.1, 10.0.0.2")).isEqualTo("192.0.2.1:0");
        assertThat(find(true, "192.0.2.1", "bogus, 10.0.0.3")).isEqualTo("10.0.0.3:0");
        assertThat(find(true, "bogus", "10.0.0.3")).isEqualTo("10.0.0.3:0");
    }

    @Test
    void ipv6AndPortsAreUnderstood() {
        assertThat(find(true, "2001:db8::1")).isEqualTo("[2001:db8::1]:0");
        assertThat(find(true, "192.0.2.9, 2001:db8::5")).isEqualTo("192.0.2.9:0");
        assertThat(find(false, "[2001:db8::1]:8080")).isEqualTo("[2001:db8::1]:8080");
        assertThat(find(false, "192.0.2.7:1234")).isEqualTo("192.0.2.7:1234");
        assertThat(find(false, "::ffff:192.0.2.1")).isEqualTo("[::ffff:192.0.2.1]:0");
    }

    @Test
    void invalidValuesAreIgnored() {
        for (String bad : List.of("bogus", "192.0.2.7:0", "192.0.2.7:65536", "[2001:db8::1]", "1.2.3", "256.1.1.1",
                "10.0.0.1/8", "localhost", "", ",", " 192.0.2.1")) {
            assertThat(find(true, bad)).as(bad).isEqualTo("declined");
        }
        assertThat(find(true, "192.0.2.5, bogus")).isEqualTo("declined");
        assertThat(find(true, "bogus, 10.0.0.1")).isEqualTo("10.0.0.1:0");
    }

    @Test
    void anUntrustedPeerIsNotBelieved() {
        assertThat(text(ForwardedAddress.find(new InetSocketAddress("192.0.2.50", 1), List.of("10.0.0.1"), TRUSTED,
                true))).isEqualTo("declined");
        assertThat(text(ForwardedAddress.find(new io.netty.channel.unix.DomainSocketAddress("/tmp/s"),
                List.of("10.0.0.1"), new TrustedAddresses(List.of(), true), true))).isEqualTo("10.0.0.1:0");
    }
}
