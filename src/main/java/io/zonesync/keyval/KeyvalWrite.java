package io.zonesync.keyval;

import java.util.Objects;

/**
 * One pair to write. {@code expireMs} is a per-key lifetime in ms from now (the API's
 * {@code expire}); 0 means the zone's timeout applies (or none if the zone has none).
 */
public record KeyvalWrite(String key, String value, long expireMs) {
    public KeyvalWrite {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public static KeyvalWrite of(String key, String value) {
        return new KeyvalWrite(key, value, 0);
    }
}
