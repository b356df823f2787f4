package io.zonesync.http.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The API's OpenAPI description, answered at {@code /openapi.yaml} of every API location. Its one
 * source is {@code doc/api/openapi.yaml} in the repository; the build packages it beside this class.
 */
final class OpenApiDocument {
    /** The path segment it is served at, under the API location. */
    static final String NAME = "openapi.yaml";
    /** RFC 9512's media type for YAML. */
    static final String MEDIA_TYPE = "application/yaml";
    private static final byte[] TEXT = load();

    private OpenApiDocument() {
    }

    static ApiResponse response() {
        return new ApiResponse(200, Map.of("Content-Type", MEDIA_TYPE), TEXT);
    }

    private static byte[] load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(NAME)) {
            if (in == null) {
                throw new IllegalStateException(NAME + " is not packaged beside " + OpenApiDocument.class.getName()
                        + "; the build copies it from doc/api");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged " + NAME, e);
        }
    }
}
