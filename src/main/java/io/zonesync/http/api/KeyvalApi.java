package io.zonesync.http.api;

import io.zonesync.keyval.KeyvalException;
import io.zonesync.keyval.KeyvalPair;
import io.zonesync.keyval.KeyvalWrite;
import io.zonesync.keyval.KeyvalZone;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code /N/http/keyvals/} and {@code /N/stream/keyvals/} endpoints over one map of zones.
 * Every write is all or nothing, and is appended to the zone's state file before it is answered 2xx.
 */
final class KeyvalApi {
    private KeyvalApi() {
    }

    /** {@code GET .../keyvals/}: every zone with its pairs, or with {@code ?fields=} empty only the names. */
    static Map<String, Object> all(Map<String, KeyvalZone> zones, Map<String, String> query) {
        boolean namesOnly = "".equals(query.get("fields"));
        Map<String, Object> out = new TreeMap<>();
        zones.forEach((name, zone) -> out.put(name, namesOnly ? Map.of() : pairs(zone)));
        return out;
    }

    /** {@code GET .../keyvals/{zone}[?key=k]}. */
    static Map<String, String> get(KeyvalZone zone, Map<String, String> query) throws ApiError {
        String key = query.get("key");
        if (key == null) {
            return pairs(zone);
        }
        String value = zone.get(key);
        if (value == null) {
            throw keyNotFound(zone, key);
        }
        return Map.of(key, value);
    }

    /** {@code POST}: one new pair, or several into an empty zone. */
    static void post(KeyvalZone zone, byte[] body, int version) throws ApiError {
        List<KeyvalBody.Item> items = KeyvalBody.parse(body, version, false);
        List<KeyvalWrite> writes = new ArrayList<>();
        for (KeyvalBody.Item i : items) {
            writes.add(new KeyvalWrite(i.key(), i.value(), i.expireMs()));
        }
        try {
            zone.insertAll(writes);
        } catch (KeyvalException e) {
            throw map(zone, e);
        }
        persist(zone);
    }

    /** {@code PATCH}: change one pair's value and/or expire, or delete it with null. */
    static void patch(KeyvalZone zone, byte[] body, int version) throws ApiError {
        List<KeyvalBody.Item> items = KeyvalBody.parse(body, version, true);
        if (items.size() > 1) {
            throw ApiError.format("only one key can be updated");
        }
        KeyvalBody.Item item = items.get(0);
        try {
            if (item.delete()) {
                if (!zone.remove(item.key())) {
                    throw keyNotFound(zone, item.key());
                }
            } else {
                zone.update(item.key(), item.value(), item.expireMs());
            }
        } catch (KeyvalException e) {
            throw map(zone, e);
        }
        persist(zone);
    }

    /** {@code DELETE}: empty the zone. */
    static void delete(KeyvalZone zone) throws ApiError {
        zone.clear();
        persist(zone);
    }

    static ApiError zoneNotFound(String name) {
        return new ApiError(404, "KeyvalNotFound", "keyval \"" + name + "\" not found");
    }

    private static ApiError keyNotFound(KeyvalZone zone, String key) {
        return new ApiError(404, "KeyvalKeyNotFound", "key \"" + key + "\" not found in keyval \"" + zone.name() + "\"");
    }

    private static Map<String, String> pairs(KeyvalZone zone) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyvalPair p : zone.pairs()) {
            out.put(p.key(), p.value());
        }
        return out;
    }

    private static void persist(KeyvalZone zone) throws ApiError {
        try {
            zone.persist();
        } catch (IOException e) {
            throw new ApiError(500, "StateFileError", "the change to keyval \"" + zone.name()
                    + "\" is in memory but its state file could not be saved: " + e.getMessage());
        }
    }

    private static ApiError map(KeyvalZone zone, KeyvalException e) {
        return switch (e.reason()) {
            case KEY_EXISTS -> new ApiError(409, "KeyvalKeyExists", e.getMessage());
            case KEY_NOT_FOUND -> keyNotFound(zone, e.key());
            case ZONE_FULL -> new ApiError(413, "KeyvalZoneFull", e.getMessage());
            case TOO_LARGE_TO_SYNC -> new ApiError(413, "KeyvalTooLarge", e.getMessage());
            case ZONE_NOT_EMPTY -> ApiError.format("only one key can be added, keyval \"" + zone.name()
                    + "\" is not empty");
            case INVALID_KEY, TIMEOUT_NOT_ENABLED, INVALID_EXPIRE -> ApiError.format(e.getMessage());
        };
    }
}
