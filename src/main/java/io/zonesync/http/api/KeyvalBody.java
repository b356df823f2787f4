package io.zonesync.http.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a keyval POST or PATCH: {@code {"key":"value", ...}}, where a value may also be a
 * number (stored as its text, as NGINX Plus does), {@code null} (PATCH: delete the key), or from API
 * version 5 an object {@code {"value":"v","expire":ms}}.
 *
 * <p>Text that is not JSON at all is 415 JsonError; JSON of the wrong shape (not an object, no key,
 * booleans, lists, nested objects other than value/expire) is 400 KeyvalFormatError.
 */
final class KeyvalBody {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * One pair of the body. {@code value} null with {@code delete} false means "keep the value"
     * (a PATCH that only sets expire); {@code expireMs} 0 means none was given.
     */
    record Item(String key, String value, boolean delete, long expireMs) {
    }

    private KeyvalBody() {
    }

    static List<Item> parse(byte[] body, int version, boolean patch) throws ApiError {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ApiError.json("the request body is empty, a JSON object is expected");
            }
            if (first != JsonToken.START_OBJECT) {
                throw ApiError.format("invalid JSON: the body must be a JSON object of keys, not " + describe(first));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                items.add(item(p, key, p.nextToken(), version, patch));
            }
            if (p.nextToken() != null) {
                throw ApiError.json("invalid JSON: unexpected data after the object at offset " + offset(p));
            }
        } catch (JsonProcessingException e) {
            throw ApiError.json("invalid JSON at offset " + offset(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiError.json("invalid JSON: " + firstLine(e.getMessage()));
        }
        if (items.isEmpty()) {
            throw ApiError.format("key required");
        }
        for (Item i : items) {
            if (i.key().isEmpty()) {
                throw ApiError.format("key required");
            }
        }
        return items;
    }

    private static Item item(JsonParser p, String key, JsonToken t, int version, boolean patch)
            throws IOException, ApiError {
        switch (t) {
            case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT:
                return new Item(key, p.getText(), false, 0);
            case VALUE_NULL:
                if (!patch) {
                    throw ApiError.format("invalid value null for key \"" + key + "\", a string is expected "
                            + "(null deletes a key only with PATCH)");
                }
                return new Item(key, null, true, 0);
            case START_OBJECT:
                if (version < 5) {
                    throw ApiError.format("nested object or list for key \"" + key + "\" (value objects with "
                            + "\"expire\" need API version 5 or later)");
                }
                return valueObject(p, key, patch);
            case START_ARRAY:
                throw ApiError.format("nested object or list for key \"" + key + "\"");
            default:
                throw ApiError.format("invalid value " + describe(t) + " for key \"" + key + "\", a string is expected");
        }
    }

    private static Item valueObject(JsonParser p, String key, boolean patch) throws IOException, ApiError {
        String value = null;
        long expire = 0;
        boolean sawExpire = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "value" -> {
                    if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT
                            && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        throw ApiError.format("invalid \"value\" " + describe(t) + " for key \"" + key
                                + "\", a string is expected");
                    }
                    value = p.getText();
                }
                case "expire" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT || !p.getNumberType().equals(JsonParser.NumberType.INT)
                            && !p.getNumberType().equals(JsonParser.NumberType.LONG) || p.getLongValue() <= 0) {
                        throw ApiError.format("invalid \"expire\" " + describe(t, p) + " for key \"" + key
                                + "\", it must be a positive integer of milliseconds");
                    }
                    expire = p.getLongValue();
                    sawExpire = true;
                }
                default -> throw ApiError.format("unknown parameter \"" + field + "\" for key \"" + key
                        + "\", only \"value\" and \"expire\" are allowed");
            }
        }
        if (value == null && (!patch || !sawExpire)) {
            throw ApiError.format("key \"" + key + "\" has no \"value\"");
        }
        return new Item(key, value, false, expire);
    }

    private static String describe(JsonToken t, JsonParser p) throws IOException {
        return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT ? p.getText() : describe(t);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static long offset(JsonParser p) {
        return offset(p.currentTokenLocation());
    }

    private static long offset(JsonLocation at) {
        return at == null ? -1 : at.getByteOffset();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
