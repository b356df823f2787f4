package io.zonesync.http.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.zonesync.testing.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Validates API responses against the project's OpenAPI document, {@code doc/api/openapi.yaml} in
 * the project directory (the file the build packages and the API serves). A response to an
 * operation the document defines is validated as an interaction: status, content type and body
 * schema. Responses no operation can list (a method the path does not offer, a path that does not
 * exist, a 500 InternalError from any path) must be NginxError bodies. Errors of versions 1 to 3
 * must carry {@code path} and {@code method}; other errors must not.
 */
final class ApiSpec {
    static {
        // The parser logs the whole document at DEBUG; keep test output readable (no logback-test.xml is ours to add).
        for (String name : new String[] {"io.swagger", "com.atlassian", "com.github.fge"}) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** The document, relative to the project directory (Maven runs tests there). */
    static final Path FILE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().resolve("doc/api/openapi.yaml");
    private static final OpenAPI API = parse();
    private static final OpenApiInteractionValidator INTERACTIONS = OpenApiInteractionValidator.createFor(API).build();
    private static final SchemaValidator SCHEMAS = new SchemaValidator(API, new MessageResolver());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OLD_ENVELOPE_VERSIONS = Set.of("1", "2", "3");

    private ApiSpec() {
    }

    /** The paths the document lists, as written there ({@code /{version}/nginx}). */
    static Set<String> paths() {
        return API.getPaths().keySet();
    }

    private static OpenAPI parse() {
        if (!Files.isRegularFile(FILE)) {
            throw new IllegalStateException("the API's OpenAPI document " + FILE + " is missing");
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIParser().readLocation(FILE.toUri().toString(), null, options);
        OpenAPI api = result.getOpenAPI();
        if (api == null || api.getPaths() == null || api.getPaths().isEmpty()
                || result.getMessages() != null && !result.getMessages().isEmpty()) {
            throw new IllegalStateException("cannot parse the OpenAPI document " + FILE + ": " + result.getMessages());
        }
        return api;
    }

    /** Sends {@code method path?query} without a body to {@code handler} and checks the answer against the document. */
    static ApiResponse call(ApiHandler handler, String method, String path, String query, boolean write) {
        ApiResponse r = handler.handle(new ApiRequest(method, path, query, new byte[0],
                "0123456789abcdef0123456789abcdef", write));
        check(method, path, r);
        return r;
    }

    /** A response's body as text. */
    static String body(ApiResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /**
     * Throws AssertionError when the response to {@code method path} does not match the document;
     * {@code path} is relative to the API location ({@code /9/nginx}), as the handler sees it.
     */
    static void check(String method, String path, ApiResponse response) {
        List<String> segments = segments(path);
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.status() >= 400) {
            checkEnvelopeVersion(segments, response);
        }
        String apiPath = "/api/" + String.join("/", segments)
                + (path != null && path.endsWith("/") && !segments.isEmpty() ? "/" : "");
        // HEAD is GET without the body (RFC 9110); the document lists GET only.
        Request.Method httpMethod = method("HEAD".equals(method) ? "GET" : method);
        ValidationReport report = httpMethod == null ? null
                : INTERACTIONS.validateResponse(apiPath, httpMethod, toSimple(response));
        boolean listed = report != null && report.getMessages().stream().noneMatch(m ->
                m.getKey().endsWith("path.missing") || m.getKey().endsWith("operation.notAllowed")
                        || response.status() == 500 && m.getKey().endsWith("status.unknown"));
        if (!listed) {
            if (response.status() < 400) {
                throw new AssertionError("no operation in " + FILE + " for " + method + " " + path + " answering "
                        + response.status());
            }
            report = schema(body, "NginxError");
        }
        if (report.hasErrors()) {
            throw new AssertionError("response to " + method + " " + path + " (" + response.status() + " " + body
                    + ") does not match " + FILE + ":\n" + report.getMessages());
        }
    }

    /**
     * Sends {@code method uri} ({@code body} or none) to a node through {@code http} and {@link #check}s
     * the answer: the API path is what follows the location's {@code /api} in {@code uri} (after
     * {@code /ro}, {@code /bulk} or none), without its query.
     */
    static HttpResponse<String> send(Http http, String method, String uri, String body) {
        HttpResponse<String> r = http.send(method, uri, body);
        String apiPath = uri.replaceFirst("^(/ro|/bulk)?/api", "").replaceFirst("\\?.*$", "");
        Map<String, String> headers = r.headers().firstValue("content-type").map(t -> Map.of("Content-Type", t))
                .orElse(Map.of());
        check(method, apiPath, new ApiResponse(r.statusCode(), headers, r.body().getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    /** GET of {@code /api} + {@code path} through {@link #send}, which must answer 200: its JSON body. */
    static JsonNode getJson(Http http, String path) throws IOException {
        HttpResponse<String> r = send(http, "GET", "/api" + path, null);
        if (r.statusCode() != 200) {
            throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Validates an error body against NginxError, for responses to any request. */
    static void checkError(ApiResponse response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        ValidationReport report = schema(body, "NginxError");
        if (report.hasErrors()) {
            throw new AssertionError("error body " + body + " does not match NginxError: " + report.getMessages());
        }
    }

    /** Versions 1 to 3 add {@code path} and {@code method} to the envelope; others must not. */
    private static void checkEnvelopeVersion(List<String> segments, ApiResponse r) {
        boolean old = !segments.isEmpty() && OLD_ENVELOPE_VERSIONS.contains(segments.get(0));
        JsonNode n;
        try {
            n = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("error body is not JSON: " + e);
        }
        if (n == null || n.has("path") != old || n.has("method") != old) {
            throw new AssertionError("an error of " + (old ? "versions 1-3 must" : "versions after 3 must not")
                    + " carry \"path\" and \"method\": " + n);
        }
    }

    static ValidationReport schema(String json, String definition) {
        Schema<?> schema = new Schema<>().$ref("#/components/schemas/" + definition);
        return SCHEMAS.validate(json, schema, "response.body");
    }

    /** The path's segments as the handler reads them: empty segments ({@code //}) do not count. */
    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path != null) {
            for (String s : path.split("/")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static SimpleResponse toSimple(ApiResponse r) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(r.status());
        r.headers().forEach(b::withHeader);
        if (r.body().length > 0) {
            b.withBody(new String(r.body(), StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private static Request.Method method(String m) {
        try {
            return Request.Method.valueOf(m);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
