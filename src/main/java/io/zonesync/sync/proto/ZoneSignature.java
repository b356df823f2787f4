package io.zonesync.sync.proto;

/**
 * A synced zone as the wire names it: its name, the type tag of what it holds and the codec version
 * of that type's payloads. Two nodes sync a zone only when the whole signature matches.
 */
public record ZoneSignature(String name, int typeTag, int codecVersion) {
    public ZoneSignature {
        Utf8.encode(name, "zone name", 1, Protocol.MAX_ZONE_NAME_BYTES);
        if (typeTag < 0 || typeTag > 0xFF) {
            throw new IllegalArgumentException("zone \"" + name + "\" type tag " + typeTag + " is outside 0..255");
        }
        if (codecVersion < 0 || codecVersion > 0xFFFF) {
            throw new IllegalArgumentException(
                    "zone \"" + name + "\" codec version " + codecVersion + " is outside 0..65535");
        }
    }

    /** True when the other signature is the same zone with the same type and codec version. */
    public boolean matches(ZoneSignature other) {
        return equals(other);
    }

    /** For logs: {@code "one" (type 1 v1)}; the engine does not name feature types. */
    @Override
    public String toString() {
        return "\"" + name + "\" (type " + typeTag + " v" + codecVersion + ")";
    }
}
