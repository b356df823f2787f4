package io.zonesync.http.authjwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A verified token's JOSE header and claims as JSON objects, and how a parameter of either reads
 * as a variable: a string as it is, a number or boolean as written, an array as its elements
 * joined with commas, an object as compact JSON; a missing parameter or {@code null} is not found.
 */
record JwtToken(ObjectNode header, ObjectNode claims) {

    /** The header parameter at this path of names from the top level, or null. */
    String header(List<String> path) {
        return text(at(header, path));
    }

    /** The claim at this path of names from the top level, or null. */
    String claim(List<String> path) {
        return text(at(claims, path));
    }

    private static JsonNode at(ObjectNode root, List<String> path) {
        JsonNode node = root;
        for (String name : path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(name);
        }
        return node;
    }

    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode element : node) {
                String t = text(element);
                parts.add(t == null ? "" : t);
            }
            return String.join(",", parts);
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
