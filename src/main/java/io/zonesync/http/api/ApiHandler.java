package io.zonesync.http.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.upstream.UpstreamGroup;
import io.zonesync.keyval.KeyvalZone;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.dns.ResolverZones;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The NGINX Plus API ({@code location /api { api [write=on]; }}) as a pure function of the request
 * and the node's {@link ApiState}: versions 1 to 9, {@code /N/}, {@code /N/nginx},
 * {@code /N/http/keyvals[/zone]}, {@code /N/http/limit_reqs[/zone]} (6+), {@code /N/http/limit_conns[/zone]}
 * and {@code /N/stream/limit_conns[/zone]} (6+, {@link LimitConnApi}), {@code /N/http/caches[/zone]}
 * ({@link CachesApi}),
 * {@code /N/connections}, {@code /N/http/requests}, {@code /N/processes} ({@link CountersApi}),
 * {@code /N/workers[/id]} (9, {@link WorkersApi}),
 * {@code /N/http/server_zones[/name]}, {@code /N/http/location_zones[/name]},
 * {@code /N/stream/server_zones[/name]} ({@link StatusZonesApi}),
 * {@code /N/http/upstreams[/name[/servers[/id]]]}, {@code /N/stream/upstreams[/name[/servers[/id]]]},
 * {@code /N/stream/keyvals[/zone]}, {@code /N/stream/zone_sync/[nodes]} and {@code /N/resolvers[/zone]}
 * (5+, {@link ResolversApi}); {@code /} lists the versions
 * and {@code /openapi.yaml} is the API's own description ({@link OpenApiDocument}).
 *
 * <p>Checks in order: version ({@code UnknownVersion}), write methods without {@code write=on}
 * ({@code MethodDisabled}), path ({@code PathNotFound}, {@code KeyvalNotFound}), method
 * ({@code MethodNotSupported}), body size (413), then the endpoint. Errors use nginx's envelope,
 * with {@code path} and {@code method} (empty) added in versions 1 to 3. Codes beyond NGINX Plus's:
 * {@code KeyvalZoneFull} (413, the pair does not fit the zone's size), {@code KeyvalTooLarge} (413, a sync
 * zone's pair larger than one sync record can carry), {@code RequestEntityTooLarge}
 * (413, body over the limit), {@code MethodNotSupported} (405) and {@code StateFileError} (500,
 * the change could not be saved). Nothing a client sends makes {@link #handle} throw.
 */
public final class ApiHandler {
    /** The API versions served; 9 is current. */
    public static final int MAX_VERSION = 9;
    /** nginx's client_body_buffer_size on 64-bit platforms, the body the API reads by default. */
    public static final int DEFAULT_MAX_BODY = 16 * 1024;
    static final String HREF = "https://nginx.org/en/docs/http/ngx_http_api_module.html";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read when the class loads, so that a build without the document fails at start, not per request. */
    private static final ApiResponse DOCUMENT = OpenApiDocument.response();
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ApiState state;
    private final Clock clock;
    private final int maxBody;

    public ApiHandler(ApiState state, Clock clock, int maxBodyBytes) {
        this.state = Objects.requireNonNull(state);
        this.clock = Objects.requireNonNull(clock);
        this.maxBody = maxBodyBytes;
    }

    public ApiHandler(ApiState state) {
        this(state, Clock.systemUTC(), DEFAULT_MAX_BODY);
    }

    /** The node state this API reads, for the reports that show the same figures (metrics). */
    public ApiState state() {
        return state;
    }

    /** The largest body accepted; the HTTP layer need not read more than one byte past it. */
    public int maxBodyBytes() {
        return maxBody;
    }

    public ApiResponse handle(ApiRequest request) {
        int version = 0;
        try {
            List<String> segments = segments(request.path());
            if (segments.isEmpty()) {
                requireRead(request);
                return ok(versions());
            }
            if (segments.size() == 1 && segments.get(0).equals(OpenApiDocument.NAME)) {
                requireRead(request);
                return DOCUMENT;
            }
            version = version(segments.get(0));
            if (version == 0) {
                throw ApiError.unknownVersion();
            }
            if (!isRead(request.method()) && !request.writeEnabled()) {
                throw ApiError.methodDisabled();
            }
            return route(request, version, segments.subList(1, segments.size()), query(request.rawQuery()));
        } catch (ApiError e) {
            return error(e, version, request.requestId());
        } catch (RuntimeException e) {
            return error(new ApiError(500, "InternalError", "internal error: " + e), version, request.requestId());
        }
    }

    /**
     * Whether handling {@code request} may wait for a disk or for other slow work: false only for a
     * write (POST, PATCH, DELETE) to an existing keyval zone without a state file, which changes
     * memory alone (its replication only queues the key for the links), so the HTTP layer may
     * answer it on the thread that read it.
     */
    public boolean mayBlock(ApiRequest request) {
        String method = request.method();
        if (!request.writeEnabled() || !(method.equals("POST") || method.equals("PATCH") || method.equals("DELETE"))) {
            return true;
        }
        List<String> segments = segments(request.path());
        if (segments.size() != 4 || !segments.get(2).equals("keyvals")) {
            return true;
        }
        int version = version(segments.get(0));
        Map<String, KeyvalZone> zones = null;
        if (version > 0 && segments.get(1).equals("http")) {
            zones = state.httpKeyvalZones();
        } else if (version >= 2 && segments.get(1).equals("stream")) {
            zones = state.streamKeyvalZones();
        }
        KeyvalZone zone = zones == null ? null : zones.get(segments.get(3));
        return zone == null || zone.hasStateFile();
    }

    private ApiResponse route(ApiRequest request, int version, List<String> path, Map<String, String> query)
            throws ApiError {
        ConnectionStats connections = state.connections();
        ResolverZones resolvers = version >= 5 ? state.resolvers() : null;
        if (path.isEmpty()) {
            requireRead(request);
            List<String> endpoints = new ArrayList<>(connections == null ? List.of("nginx", "http", "stream")
                    : List.of("nginx", "processes", "connections", "http", "stream"));
            if (resolvers != null) {
                endpoints.add("resolvers");
            }
            if (connections != null) {
                endpoints.add("ssl");
            }
            if (connections != null && version >= 9) {
                endpoints.add("workers");
            }
            return ok(endpoints);
        }
        String first = path.get(0);
        if (resolvers != null && first.equals("resolvers")) {
            return ResolversApi.handle(request, path, query, resolvers);
        }
        if (connections != null && path.size() == 1 && first.equals("connections")) {
            return CountersApi.connections(request, connections, query);
        }
        if (connections != null && path.size() == 1 && first.equals("ssl")) {
            return CountersApi.ssl(request, connections, query, version);
        }
        if (connections != null && version >= 9 && first.equals("workers")) {
            return WorkersApi.handle(request, path, query, connections, state.nginx().pid());
        }
        if (connections != null && path.size() == 1 && first.equals("processes")) {
            return CountersApi.processes(request);
        }
        if (connections != null && path.size() == 2 && first.equals("http") && path.get(1).equals("requests")) {
            return CountersApi.requests(request, connections, query);
        }
        if (first.equals("nginx") && path.size() == 1) {
            requireRead(request);
            return ok(nginx(query, request.serverAddress()));
        }
        if (first.equals("http")) {
            if (version >= 6 && path.size() >= 2 && path.get(1).equals("limit_reqs")) {
                return LimitReqApi.handle(request, path, query, state.httpLimitReqZones());
            }
            if (version >= 6 && path.size() >= 2 && path.get(1).equals("limit_conns")) {
                return LimitConnApi.handle(request, path, query, state.httpLimitConns());
            }
            if (path.size() >= 2 && path.get(1).equals("caches")) {
                return CachesApi.handle(request, path, query, state.httpCaches());
            }
            StatusZones statusZones = state.statusZones();
            if (statusZones != null && path.size() >= 2
                    && (path.get(1).equals("server_zones") || path.get(1).equals("location_zones"))) {
                return StatusZonesApi.handle(request, path, query, statusZones, version);
            }
            if (path.size() >= 2 && path.get(1).equals("upstreams")) {
                return upstreams(request, version, path, query, state.httpUpstreams(), UpstreamApi.Block.HTTP);
            }
            List<String> endpoints = new ArrayList<>();
            if (connections != null) {
                endpoints.add("requests");
            }
            if (statusZones != null) {
                endpoints.add("server_zones");
                endpoints.add("location_zones");
            }
            // caches and limit_conns are listed when the configuration has some, as upstreams are
            if (path.size() == 1 && !state.httpCaches().isEmpty()) {
                endpoints.add("caches");
            }
            if (version >= 6 && path.size() == 1 && !state.httpLimitConns().isEmpty()) {
                endpoints.add("limit_conns");
            }
            if (version >= 6) {
                endpoints.add("limit_reqs");
            }
            endpoints.add("keyvals");
            // only /N/http lists its endpoints; the groups are not looked up for a keyval request
            if (path.size() == 1 && !state.httpUpstreams().isEmpty()) {
                endpoints.add("upstreams");
            }
            return section(request, version, path, query, state.httpKeyvalZones(), endpoints);
        }
        if (first.equals("stream")) {
            List<String> endpoints = new ArrayList<>();
            Map<String, Map<String, Object>> streamZones = state.streamServerZones();
            if (streamZones != null) {
                endpoints.add("server_zones");
            }
            if (version >= 6 && path.size() == 1 && !state.streamLimitConns().isEmpty()) {
                endpoints.add("limit_conns");
            }
            if (version >= 2) {
                endpoints.add("keyvals");
            }
            if (streamZones != null && path.size() >= 2 && path.get(1).equals("server_zones")) {
                return StatusZonesApi.stream(request, path, query, state, streamZones, version);
            }
            if (version >= 6 && path.size() >= 2 && path.get(1).equals("limit_conns")) {
                return LimitConnApi.handle(request, path, query, state.streamLimitConns());
            }
            Map<String, UpstreamGroup> upstreams = state.streamUpstreams();
            if (path.size() >= 2 && path.get(1).equals("upstreams")) {
                return upstreams(request, version, path, query, upstreams, UpstreamApi.Block.STREAM);
            }
            if (!upstreams.isEmpty()) {
                endpoints.add("upstreams");
            }
            Object zoneSync = version >= 3 ? state.streamZoneSync() : null;
            if (zoneSync != null) {
                endpoints.add("zone_sync");
            }
            if (path.size() == 2 && path.get(1).equals("zone_sync") && zoneSync != null) {
                requireRead(request);
                return ok(zoneSync);
            }
            if (path.size() == 3 && path.get(1).equals("zone_sync") && path.get(2).equals("nodes") && zoneSync != null) {
                requireRead(request);
                return ok(state.streamZoneSyncNodes());
            }
            if (path.size() == 3 && path.get(1).equals("zone_sync") && path.get(2).equals("zones") && zoneSync != null) {
                requireRead(request);
                return ok(state.streamZoneSyncZones());
            }
            return section(request, version, path, query, version >= 2 ? state.streamKeyvalZones() : null, endpoints);
        }
        throw ApiError.pathNotFound();
    }

    /**
     * {@code /N/http/upstreams[/name[/servers[/id]]]} and the same under {@code stream}: GET; DELETE
     * on a group resets its statistics; POST, PATCH and DELETE change its servers
     * ({@link UpstreamServersApi}).
     */
    private ApiResponse upstreams(ApiRequest request, int version, List<String> path, Map<String, String> query,
            Map<String, UpstreamGroup> upstreams, UpstreamApi.Block block) throws ApiError {
        if (path.size() == 2) {
            requireRead(request);
            return ok(UpstreamApi.all(upstreams, query, block, version));
        }
        UpstreamGroup group = upstreams.get(path.get(2));
        if (group == null) {
            throw UpstreamApi.notFound();
        }
        if (path.size() > 5 || path.size() >= 4 && !path.get(3).equals("servers")) {
            throw ApiError.pathNotFound();
        }
        if (path.size() == 4) {
            switch (request.method()) {
                case "GET", "HEAD" -> {
                    return ok(UpstreamServersApi.list(group, block));
                }
                case "POST" -> {
                    return ApiResponse.json(201, write(UpstreamServersApi.post(group, body(request), block)));
                }
                default -> throw ApiError.methodNotSupported();
            }
        }
        if (path.size() == 5) {
            String id = path.get(4);
            switch (request.method()) {
                case "GET", "HEAD" -> {
                    return ok(UpstreamServersApi.get(group, id, block));
                }
                case "PATCH" -> {
                    return ok(UpstreamServersApi.patch(group, id, body(request), block));
                }
                case "DELETE" -> {
                    return ok(UpstreamServersApi.delete(group, id, block));
                }
                default -> throw ApiError.methodNotSupported();
            }
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ok(UpstreamApi.one(group, query, block, version));
            }
            case "DELETE" -> {
                group.resetStatistics();
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    /** {@code /N/http/...} or {@code /N/stream/...}; {@code zones} null when keyvals do not exist in this version. */
    private ApiResponse section(ApiRequest request, int version, List<String> path, Map<String, String> query,
            Map<String, KeyvalZone> zones, List<String> endpoints) throws ApiError {
        if (path.size() == 1) {
            requireRead(request);
            return ok(endpoints);
        }
        if (zones == null || !path.get(1).equals("keyvals") || path.size() > 3) {
            throw ApiError.pathNotFound();
        }
        if (path.size() == 2) {
            requireRead(request);
            return ok(KeyvalApi.all(zones, query));
        }
        String name = path.get(2);
        KeyvalZone zone = zones.get(name);
        if (zone == null) {
            throw KeyvalApi.zoneNotFound(name);
        }
        switch (request.method()) {
            case "GET", "HEAD" -> {
                return ok(KeyvalApi.get(zone, query));
            }
            case "POST" -> {
                KeyvalApi.post(zone, body(request), version);
                return ApiResponse.empty(201);
            }
            case "PATCH" -> {
                KeyvalApi.patch(zone, body(request), version);
                return ApiResponse.empty(204);
            }
            case "DELETE" -> {
                KeyvalApi.delete(zone);
                return ApiResponse.empty(204);
            }
            default -> throw ApiError.methodNotSupported();
        }
    }

    private byte[] body(ApiRequest request) throws ApiError {
        byte[] body = request.body();
        if (body == null) {
            throw new ApiError(400, "BodyReadError", "reading request body failed");
        }
        int limit = request.bodyLimit() > 0 ? request.bodyLimit() : maxBody;
        if (body.length > limit) {
            throw new ApiError(413, "RequestEntityTooLarge", "request body is too large: " + body.length
                    + " bytes, the limit is " + limit + " bytes (client_body_buffer_size)");
        }
        return body;
    }

    private Map<String, Object> nginx(Map<String, String> query, String address) {
        NginxInfo info = state.nginx();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("version", info.version());
        all.put("build", info.build());
        all.put("address", address);
        all.put("generation", info.generation());
        all.put("load_timestamp", ISO_MILLIS.format(info.loadTimestamp()));
        all.put("timestamp", ISO_MILLIS.format(Instant.ofEpochMilli(clock.millis())));
        all.put("pid", info.pid());
        all.put("ppid", info.ppid());
        return keepFields(all, query.get("fields"));
    }

    /**
     * {@code ?fields=a,b}: keeps only the named top-level fields of {@code body} (all of them when
     * {@code fields} is null; none when it is empty), as NGINX Plus does; returns {@code body}.
     */
    static <M extends Map<String, ?>> M keepFields(M body, String fields) {
        if (fields != null) {
            body.keySet().retainAll(Arrays.asList(fields.split(",")));
        }
        return body;
    }

    private static List<Integer> versions() {
        List<Integer> out = new ArrayList<>();
        for (int v = 1; v <= MAX_VERSION; v++) {
            out.add(v);
        }
        return out;
    }

    private static boolean isRead(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }

    private static void requireRead(ApiRequest request) throws ApiError {
        if (!isRead(request.method())) {
            throw request.writeEnabled() ? ApiError.methodNotSupported() : ApiError.methodDisabled();
        }
    }

    /** 1..9, or 0 when the segment is not a served version. */
    private static int version(String segment) {
        if (segment.length() != 1 || segment.charAt(0) < '1' || segment.charAt(0) > '0' + MAX_VERSION) {
            return 0;
        }
        return segment.charAt(0) - '0';
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path == null) {
            return out;
        }
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(decode(s));
            }
        }
        return out;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String name = decode(eq < 0 ? part : part.substring(0, eq));
            out.putIfAbsent(name, eq < 0 ? "" : decode(part.substring(eq + 1)));
        }
        return out;
    }

    /** Percent-decoding as nginx's: {@code +} stays a plus; a malformed escape leaves the text as it is. */
    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    static ApiResponse okJson(Object body) throws ApiError {
        return ok(body);
    }

    private static ApiResponse ok(Object body) throws ApiError {
        return ApiResponse.json(200, write(body));
    }

    private static byte[] write(Object body) throws ApiError {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(500, "InternalError", "cannot write the response: " + e.getOriginalMessage());
        }
    }

    private static ApiResponse error(ApiError e, int version, String requestId) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        if (version >= 1 && version <= 3) {
            envelope.put("path", "");
            envelope.put("method", "");
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("status", e.status());
        error.put("text", e.text());
        error.put("code", e.code());
        envelope.put("error", error);
        envelope.put("request_id", requestId == null ? "" : requestId);
        envelope.put("href", HREF);
        try {
            return ApiResponse.json(e.status(), JSON.writeValueAsBytes(envelope));
        } catch (JsonProcessingException impossible) {
            return ApiResponse.empty(500);
        }
    }
}
