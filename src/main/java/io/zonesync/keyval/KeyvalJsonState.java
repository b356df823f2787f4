package io.zonesync.keyval;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.zone.Stamp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a keyval state file written as JSON, which a node converts to its journal on first load:
 * a JSON object of keys whose entries are either
 * <ul>
 * <li>a string, the value, as NGINX Plus keeps its state files; or</li>
 * <li>an object {@code {"value":"v","expire":1767225600000,"stamp":[hlc,node]}}, as earlier
 * zonesync versions and njs shared dicts write: {@code expire} is absolute wall-clock ms,
 * {@code stamp} the write's {@link Stamp}, {@code "value":null} a tombstone.</li>
 * </ul>
 * An entry without {@code expire} in a zone with a timeout gets now + timeout; one without
 * {@code stamp} gets {@link Stamp#ZERO} (any peer's write wins over it).
 */
final class KeyvalJsonState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final KeyvalZone zone;

    KeyvalJsonState(Path file, KeyvalZone zone) {
        this.file = file;
        this.zone = zone;
    }

    /** The records of the file, or an exception naming the file, the zone and what is wrong. */
    List<byte[]> decode(byte[] bytes) throws KeyvalStateFileException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new KeyvalStateFileException(file, zone.name(), "is not valid JSON" + where + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new KeyvalStateFileException(file, zone.name(), "cannot be read: " + e, e);
        }
        if (root == null || root.isMissingNode()) {
            return List.of();
        }
        if (!root.isObject()) {
            throw corrupt("must hold a JSON object of keys, not " + root.getNodeType().toString().toLowerCase());
        }
        List<byte[]> out = new ArrayList<>();
        long now = zone.now();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            out.add(entry(f.getKey(), f.getValue(), now));
        }
        return out;
    }

    private byte[] entry(String key, JsonNode node, long now) throws KeyvalStateFileException {
        long zoneExpiry = zone.timeoutMs() > 0 ? now + zone.timeoutMs() : 0;
        if (node.isTextual()) {
            return KeyvalRecord.of(key, node.asText(), zoneExpiry, Stamp.ZERO);
        }
        if (!node.isObject()) {
            throw corrupt("has key \"" + key + "\" whose entry is neither a string nor an object");
        }
        JsonNode value = node.get("value");
        if (value == null || !(value.isTextual() || value.isNull())) {
            throw corrupt("has key \"" + key + "\" without a string \"value\"");
        }
        JsonNode expire = node.get("expire");
        long expireAt;
        if (expire == null) {
            expireAt = zoneExpiry;
        } else if (expire.canConvertToLong() && expire.isIntegralNumber() && expire.asLong() > 0) {
            expireAt = expire.asLong();
        } else {
            throw corrupt("has key \"" + key + "\" with invalid \"expire\" " + expire);
        }
        JsonNode stamp = node.get("stamp");
        Stamp s = Stamp.ZERO;
        if (stamp != null) {
            if (!stamp.isArray() || stamp.size() != 2 || !stamp.get(0).isIntegralNumber()
                    || !stamp.get(1).isIntegralNumber()) {
                throw corrupt("has key \"" + key + "\" with invalid \"stamp\" " + stamp);
            }
            s = new Stamp(stamp.get(0).asLong(), stamp.get(1).asLong());
        }
        return KeyvalRecord.of(key, value.isNull() ? null : value.asText(), expireAt, s);
    }

    private KeyvalStateFileException corrupt(String problem) {
        return new KeyvalStateFileException(file, zone.name(), problem, null);
    }
}
