package io.zonesync.http.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One collection of named zones in the API ({@code /N/http/limit_reqs/}, {@code /N/resolvers/},
 * ...): GET of the collection lists every zone by name, in name order; GET of {@code .../{zone}}
 * shows one; DELETE of one resets it; {@code ?fields=} keeps the fields named
 * ({@link ApiHandler#keepFields}; empty: names only, as empty objects); an unknown zone is 404 with
 * the collection's error code.
 *
 * @param <Z> what the collection holds per zone
 */
final class ZoneCollection<Z> {
    private final Function<Z, Map<String, Object>> body;
    private final Consumer<Z> reset;
    private final String notFoundCode;
    private final Function<String, String> notFoundText;

    /**
     * @param body a zone's every field, in the order shown
     * @param reset what DELETE of a zone does
     * @param notFoundCode the error code of an unknown zone ({@code LimitReqNotFound})
     * @param notFoundText its error text, from the name asked for
     */
    ZoneCollection(Function<Z, Map<String, Object>> body, Consumer<Z> reset, String notFoundCode,
            Function<String, String> notFoundText) {
        this.body = body;
        this.reset = reset;
        this.notFoundCode = notFoundCode;
        this.notFoundText = notFoundText;
    }

    /** {@code path} is the collection's {@code depth} segments, then at most the zone's name. */
    ApiResponse handle(ApiRequest request, List<String> path, int depth, Map<String, String> query,
            Map<String, Z> zones) throws ApiError {
        String fields = query.get("fields");
        if (path.size() == depth) {
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                throw request.writeEnabled() ? ApiError.methodNotSupported() : ApiError.methodDisabled();
            }
            Map<String, Object> all = new TreeMap<>();
            zones.forEach((name, zone) -> all.put(name, ApiHandler.keepFields(body.apply(zone), fields)));
            return ApiHandler.okJson(all);
        }
        if (path.size() != depth + 1) {
            throw ApiError.pathNotFound();
        }
        String name = path.get(depth);
        Z zone = zones.get(name);
        if (zone == null) {
            throw new ApiError(404, notFoundCode, notFoundText.apply(name));
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ApiHandler.okJson(ApiHandler.keepFields(body.apply(zone), fields));
            }
            case "DELETE" -> {
                reset.accept(zone);
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }
}
