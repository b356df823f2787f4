package io.zonesync.keyval;

import java.util.Locale;

/** How a keyval zone matches the {@code keyval} variable's key against its stored keys. */
public enum KeyvalType {
    /** Exact, case-sensitive match (the default). */
    STRING,
    /** Keys are IPv4/IPv6 addresses or CIDR networks; the longest network containing the value wins. */
    IP,
    /** The longest stored key that is a prefix of the value wins. */
    PREFIX;

    /** The name as written in {@code type=}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a {@code type=} value, or null if there is none of that name. */
    public static KeyvalType fromConfigName(String name) {
        for (KeyvalType t : values()) {
            if (t.configName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
