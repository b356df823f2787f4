package io.zonesync.net.dns;

import java.net.InetAddress;
import java.util.Objects;

/** One address record of a name: the address, and for how many seconds the answer may be kept. */
public record TtlAddress(InetAddress address, long ttlSeconds) {
    public TtlAddress {
        Objects.requireNonNull(address, "address");
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("TTL " + ttlSeconds + " s of " + address.getHostAddress()
                    + " is negative");
        }
    }
}
