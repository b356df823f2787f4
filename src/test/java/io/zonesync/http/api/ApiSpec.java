package io.zonesync.http.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates API responses against the NGINX Plus API spec (shared/reference/nginx-plus-api.yaml,
 * Swagger 2.0, version 9). Responses of version 9 operations the spec defines are validated as
 * interactions (status, content type, body schema). Responses the spec has no operation for (the
 * version list, versions 1 to 8, methods the spec does not define, 500) are validated against the
 * definition that fits: errors against NginxError, other versions' bodies through the same path in
 * version 9. Only the version list ({@code /api/}) is outside the spec entirely; its shape is
 * asserted by the tests.
 */
final class ApiSpec {
    static {
        // The parser logs the whole spec at DEBUG; keep test output readable (no logback-test.xml is ours to add).
        for (String name : new String[] {"io.swagger", "com.atlassian", "com.github.fge"}) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    static final Path FILE = locate();
    private static final OpenAPI API = parse();
    private static final OpenApiInteractionValidator INTERACTIONS = OpenApiInteractionValidator.createFor(API).build();
    private static final SchemaValidator SCHEMAS = new SchemaValidator(API, new MessageResolver());
    private static final Pattern VERSIONED = Pattern.compile("^/?([1-9])(/.*)?$");

    private ApiSpec() {
    }

    /**
     * The spec: {@code -Dzonesync.apiSpec}, else {@code ../shared/reference/nginx-plus-api.yaml}
     * from the repository root, else the same relative path from each directory above it (a git
     * worktree may sit deeper than the clone CI makes). Fails loudly if absent.
     */
    private static Path locate() {
        String override = System.getProperty("zonesync.apiSpec");
        if (override != null) {
            return Path.of(override);
        }
        List<Path> tried = new ArrayList<>();
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = root; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/reference/nginx-plus-api.yaml").normalize();
            tried.add(candidate);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the NGINX Plus API spec is missing: none of " + tried + " exists; clone "
                + "the repository with shared/ beside it or set -Dzonesync.apiSpec=FILE");
    }

    private static OpenAPI parse() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenAPIParser().readLocation(FILE.toUri().toString(), null, options).getOpenAPI();
        if (api == null || api.getPaths() == null || api.getPaths().isEmpty()) {
            throw new IllegalStateException("cannot parse the NGINX Plus API spec " + FILE);
        }
        return api;
    }

    /** Throws AssertionError when the response to {@code method path} does not match the spec. */
    static void check(String method, String path, ApiResponse response) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        Matcher m = VERSIONED.matcher(path == null ? "" : path);
        ValidationReport report;
        if (!m.matches()) {
            if (response.status() >= 400) {
                checkError(response); // an unknown version
            }
            return; // the version list, asserted by the tests
        }
        String rest = m.group(2) == null || m.group(2).isEmpty() ? "/" : m.group(2);
        int version = m.group(1).charAt(0) - '0';
        if (version <= 3 && response.status() >= 400) {
            response = withoutOldEnvelopeFields(response);
            body = new String(response.body(), StandardCharsets.UTF_8);
        }
        // HEAD is GET without the body (RFC 9110); the spec lists GET only.
        Request.Method httpMethod = method("HEAD".equals(method) ? "GET" : method);
        boolean defined = httpMethod != null && response.status() != 500
                && INTERACTIONS.validateResponse("/api/9" + rest, httpMethod, toSimple(response)).getMessages()
                        .stream().noneMatch(msg -> msg.getKey().contains("operation.notAllowed")
                                || msg.getKey().contains("path.missing"));
        if (defined) {
            report = INTERACTIONS.validateResponse("/api/9" + rest, httpMethod, toSimple(response));
        } else if (response.status() >= 400) {
            report = schema(body, "NginxError");
        } else {
            throw new AssertionError("no spec operation for " + method + " " + path + " answering " + response.status());
        }
        if (report.hasErrors()) {
            throw new AssertionError("response to " + method + " " + path + " (" + response.status() + " " + body
                    + ") does not match " + FILE + ":\n" + report.getMessages());
        }
    }

    /** Validates an error body against NginxError, for responses outside any spec path. */
    static void checkError(ApiResponse response) {
        if (new String(response.body(), StandardCharsets.UTF_8).startsWith("{\"path\":")) {
            response = withoutOldEnvelopeFields(response);
        }
        ValidationReport report = schema(new String(response.body(), StandardCharsets.UTF_8), "NginxError");
        if (report.hasErrors()) {
            throw new AssertionError("error body " + new String(response.body(), StandardCharsets.UTF_8)
                    + " does not match NginxError: " + report.getMessages());
        }
    }

    /**
     * Versions 1 to 3 define {@code path} and {@code method} in the error object (the v9 spec
     * dropped them): check they are strings, then validate the rest against v9's NginxError.
     */
    private static ApiResponse withoutOldEnvelopeFields(ApiResponse r) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode n =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(r.body());
            if (!n.path("path").isTextual() || !n.path("method").isTextual()) {
                throw new AssertionError("a version 1-3 error must carry \"path\" and \"method\": " + n);
            }
            n.remove("path");
            n.remove("method");
            return new ApiResponse(r.status(), r.headers(), json.writeValueAsBytes(n));
        } catch (java.io.IOException | ClassCastException e) {
            throw new AssertionError("error body is not a JSON object: " + e);
        }
    }

    static ValidationReport schema(String json, String definition) {
        Schema<?> schema = new Schema<>().$ref("#/components/schemas/" + definition);
        return SCHEMAS.validate(json, schema, "response.body");
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
