package io.zonesync.sync.discovery;

import io.zonesync.net.Endpoint;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One cluster node found in DNS: the address to dial, and the {@code zone_sync_server name:port
 * resolve} entry it came from.
 */
public record Member(InetSocketAddress address, Endpoint source) {
    public Member {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(source, "source");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("member address " + address + " is not resolved");
        }
    }

    /** {@code ip:port} ({@code [ip6]:port}), the same key static peers use. */
    public String key() {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    @Override
    public String toString() {
        return key() + " (" + source + ")";
    }
}
