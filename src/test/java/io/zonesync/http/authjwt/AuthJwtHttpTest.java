package io.zonesync.http.authjwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import io.zonesync.access.HttpAccessFeature;
import io.zonesync.http.core.HttpRuntime;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * auth_jwt end to end: a server on a real socket with a JWK set file (relative to the
 * configuration's directory), tokens in the Authorization header and in a cookie, the challenge
 * NGINX Plus sends, the claim variables in response headers, auth_jwt_require, the leeway, and the
 * combinations with allow/deny and auth_basic under satisfy and with limit_except.
 */
class AuthJwtHttpTest {
    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private Tokens.SigningKey rsa;
    private Tokens.SigningKey ec;
    private HttpRuntime runtime;
    private int port;

    @BeforeEach
    void start() throws Exception {
        rsa = Tokens.rsa("rsa-1");
        ec = Tokens.ec("ec-1", Curve.P_256);
        Files.writeString(dir.resolve("keys.json"), "{\"keys\":[" + rsa.published().toJSONString() + ","
                + ec.published().toJSONString() + "]}");
        Files.writeString(dir.resolve("users"), "basic:{PLAIN}secret\n");
        Files.writeString(dir.resolve("empty.json"), "{\"keys\":[]}");
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.writeString(www.resolve("f.txt"), "file\n");
        AuthJwtModule jwt = new AuthJwtModule();
        HttpAccessFeature access = new HttpAccessFeature();
        runtime = HttpRuntime.start(TestConfigs.compile("""
                http {
                    access_log off;
                    auth_jwt_claim_set $email info e-mail;
                    auth_jwt_claim_set $roles roles;
                    auth_jwt_header_set $kid kid;
                    map $jwt_claim_role $is_admin { admin 1; default 0; }
                    auth_jwt_key_file keys.json;
                    server {
                        listen 127.0.0.1:0;
                        location /api/ {
                            auth_jwt "closed site"; alias %1$s/;
                            add_header X-Sub $jwt_claim_sub; add_header X-Email $email;
                            add_header X-Roles $roles; add_header X-Kid $kid;
                        }
                        location /cookie/ { auth_jwt "cookie site" token=$cookie_auth; alias %1$s/; }
                        location /admin/ { auth_jwt "admins"; auth_jwt_require $is_admin error=403; alias %1$s/; }
                        location /role/ { auth_jwt "roles"; auth_jwt_require $jwt_claim_role; alias %1$s/; }
                        location /leeway/ { auth_jwt "late"; auth_jwt_leeway 1h; alias %1$s/; }
                        location /any/ { satisfy any; allow 127.0.0.1; deny all; auth_jwt "any"; alias %1$s/; }
                        location /anydeny/ { satisfy any; deny all; auth_jwt "any"; alias %1$s/; }
                        location /alldeny/ { deny all; auth_jwt "all"; alias %1$s/; }
                        location /both/ {
                            auth_basic "basic"; auth_basic_user_file users;
                            auth_jwt "both" token=$cookie_jwt; alias %1$s/;
                        }
                        location /write/ { limit_except GET { auth_jwt "writers"; } alias %1$s/; }
                        location /fetched/ {
                            auth_jwt "fetched"; auth_jwt_key_file empty.json; auth_jwt_key_request /_jwks; alias %1$s/;
                        }
                        location /cached/ {
                            auth_jwt "cached"; auth_jwt_key_file empty.json; auth_jwt_key_request /_jwks_changing;
                            auth_jwt_key_cache 1h; alias %1$s/;
                        }
                        location /uncached/ {
                            auth_jwt "uncached"; auth_jwt_key_file empty.json; auth_jwt_key_request /_jwks_changing;
                            alias %1$s/;
                        }
                        location /broken/ { auth_jwt "broken"; auth_jwt_key_request /_nothing; alias %1$s/; }
                        location /byname/ { auth_jwt "byname"; auth_jwt_key_file $arg_set.json; alias %1$s/; }
                        location = /_jwks { internal; alias %2$s/keys.json; }
                        location = /_jwks_changing { internal; alias %2$s/changing.json; }
                        location = /_nothing { internal; return 404; }
                    }
                }
                """.formatted(www, dir), dir, List.of(access, jwt), access, jwt));
        port = runtime.boundPort("127.0.0.1:0");
    }

    @AfterEach
    void stop() {
        runtime.shutdownNow();
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private String token(String claims) throws Exception {
        return rsa.sign(JWSAlgorithm.RS256, "rsa-1", claims);
    }

    private String valid() throws Exception {
        return token("{\"sub\":\"alice\",\"exp\":" + (now() + 3600) + ",\"roles\":[\"dev\",\"ops\"],"
                + "\"info\":{\"e-mail\":\"alice@example.com\"}}");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void aValidBearerTokenGetsInAndItsClaimsAreVariables() throws Exception {
        HttpResponse<String> r = get("/api/f.txt", "Authorization", bearer(valid()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("file\n");
        assertThat(r.headers().firstValue("X-Sub")).hasValue("alice");
        assertThat(r.headers().firstValue("X-Email")).hasValue("alice@example.com");
        assertThat(r.headers().firstValue("X-Roles")).hasValue("dev,ops");
        assertThat(r.headers().firstValue("X-Kid")).hasValue("rsa-1");
        String es = ec.sign(JWSAlgorithm.ES256, "ec-1", "{\"sub\":\"bob\"}");
        HttpResponse<String> byEc = get("/api/f.txt", "Authorization", bearer(es));
        assertThat(byEc.statusCode()).isEqualTo(200);
        assertThat(byEc.headers().firstValue("X-Sub")).hasValue("bob");
    }

    @Test
    void noTokenIsAChallengeWithTheRealm() throws Exception {
        HttpResponse<String> r = get("/api/f.txt");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"closed site\"");
        assertThat(r.headers().firstValue("X-Sub")).isEmpty();
        assertThat(get("/api/f.txt", "Authorization", "Basic YTpi").headers().allValues("WWW-Authenticate"))
                .containsExactly("Bearer realm=\"closed site\"");
    }

    @Test
    void badTokensAreRefusedAsInvalidAndLoggedAtInfo() throws Exception {
        try (LogCapture log = new LogCapture("io.zonesync.http.authjwt")) {
            String expired = token("{\"sub\":\"alice\",\"exp\":" + (now() - 600) + "}");
            String early = token("{\"sub\":\"alice\",\"nbf\":" + (now() + 600) + "}");
            String otherKey = Tokens.rsa("rsa-1").sign(JWSAlgorithm.RS256, "rsa-1", "{\"sub\":\"mallory\"}");
            String unknownKid = rsa.sign(JWSAlgorithm.RS256, "rsa-2", "{\"sub\":\"alice\"}");
            for (String bad : List.of(expired, early, otherKey, unknownKid, Tokens.unsigned("{\"sub\":\"a\"}"),
                    "not-a-token")) {
                HttpResponse<String> r = get("/api/f.txt", "Authorization", bearer(bad));
                assertThat(r.statusCode()).as(bad).isEqualTo(401);
                assertThat(r.headers().allValues("WWW-Authenticate"))
                        .containsExactly("Bearer realm=\"closed site\", error=\"invalid_token\"");
            }
            assertThat(log.lines()).anyMatch(l -> l.startsWith("info JWT is rejected: the token has expired, client: "
                    + "127.0.0.1, server: ") && l.contains("request: \"GET /api/f.txt HTTP/1.1\""));
            assertThat(log.lines()).anyMatch(l -> l.startsWith("info JWT is rejected: the token is not yet valid"));
            assertThat(log.lines()).anyMatch(l -> l.startsWith("info JWT is rejected: signature verification failed"));
            assertThat(log.lines()).anyMatch(l -> l.startsWith("info JWT is rejected: no key with kid \"rsa-2\""));
            get("/api/f.txt");
            assertThat(log.lines()).anyMatch(l -> l.startsWith("info JWT is not found, client: "));
        }
    }

    @Test
    void theTokenVariableReadsACookie() throws Exception {
        assertThat(get("/cookie/f.txt", "Cookie", "auth=" + valid()).statusCode()).isEqualTo(200);
        HttpResponse<String> header = get("/cookie/f.txt", "Authorization", bearer(valid()));
        assertThat(header.statusCode()).as("the header is not looked at").isEqualTo(401);
        assertThat(header.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"cookie site\"");
    }

    @Test
    void requireGivesItsStatusWhenAValueIsEmptyOrZero() throws Exception {
        String admin = token("{\"sub\":\"root\",\"role\":\"admin\"}");
        String user = token("{\"sub\":\"joe\",\"role\":\"user\"}");
        String zero = token("{\"sub\":\"joe\",\"role\":\"0\"}");
        String none = token("{\"sub\":\"joe\"}");
        assertThat(get("/admin/f.txt", "Authorization", bearer(admin)).statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = get("/admin/f.txt", "Authorization", bearer(user));
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(get("/role/f.txt", "Authorization", bearer(user)).statusCode()).isEqualTo(200);
        for (String t : List.of(zero, none)) {
            HttpResponse<String> r = get("/role/f.txt", "Authorization", bearer(t));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().allValues("WWW-Authenticate"))
                    .containsExactly("Bearer realm=\"roles\", error=\"invalid_token\"");
        }
    }

    @Test
    void theLeewayAdmitsALateToken() throws Exception {
        String expired = token("{\"sub\":\"alice\",\"exp\":" + (now() - 600) + "}");
        assertThat(get("/leeway/f.txt", "Authorization", bearer(expired)).statusCode()).isEqualTo(200);
        String longExpired = token("{\"sub\":\"alice\",\"exp\":" + (now() - 7200) + "}");
        assertThat(get("/leeway/f.txt", "Authorization", bearer(longExpired)).statusCode()).isEqualTo(401);
    }

    @Test
    void satisfyAnyLetsEitherCheckSuffice() throws Exception {
        assertThat(get("/any/f.txt").statusCode()).as("allowed address, no token").isEqualTo(200);
        assertThat(get("/anydeny/f.txt", "Authorization", bearer(valid())).statusCode()).isEqualTo(200);
        HttpResponse<String> neither = get("/anydeny/f.txt");
        assertThat(neither.statusCode()).as("a 401 wins over the 403").isEqualTo(401);
        assertThat(neither.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"any\"");
        assertThat(get("/alldeny/f.txt", "Authorization", bearer(valid())).statusCode())
                .as("satisfy all: deny stands").isEqualTo(403);
    }

    @Test
    void satisfyAllWantsBasicCredentialsAndTheToken() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("basic:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(get("/both/f.txt", "Authorization", basic, "Cookie", "jwt=" + valid()).statusCode()).isEqualTo(200);
        HttpResponse<String> noToken = get("/both/f.txt", "Authorization", basic);
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"both\"");
        HttpResponse<String> noBasic = get("/both/f.txt", "Cookie", "jwt=" + valid());
        assertThat(noBasic.statusCode()).isEqualTo(401);
        assertThat(noBasic.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"basic\"");
    }

    @Test
    void limitExceptAsksForATokenFromTheMethodsItDoesNotFree() throws Exception {
        assertThat(get("/write/f.txt").statusCode()).isEqualTo(200);
        assertThat(send("HEAD", "/write/f.txt").statusCode()).isEqualTo(200);
        HttpResponse<String> post = send("POST", "/write/f.txt");
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(post.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"writers\"");
        assertThat(send("POST", "/write/f.txt", "Authorization", bearer(valid())).statusCode())
                .as("past the check, static files refuse POST").isEqualTo(405);
    }

    @Test
    void keysFromASubrequestVerifyTokens() throws Exception {
        assertThat(get("/fetched/f.txt", "Authorization", bearer(valid())).statusCode()).isEqualTo(200);
        assertThat(get("/fetched/f.txt", "Authorization", bearer("x.y.z")).statusCode()).isEqualTo(401);
        assertThat(get("/fetched/f.txt").statusCode()).isEqualTo(401);
    }

    /** auth_jwt_key_cache keeps what a request fetched; without it every request fetches again. */
    @Test
    void theKeyCacheKeepsFetchedKeys() throws Exception {
        Files.writeString(dir.resolve("changing.json"), "{\"keys\":[" + rsa.published().toJSONString() + "]}");
        assertThat(get("/cached/f.txt", "Authorization", bearer(valid())).statusCode()).isEqualTo(200);
        Files.writeString(dir.resolve("changing.json"), "{\"keys\":[" + ec.published().toJSONString() + "]}");
        assertThat(get("/cached/f.txt", "Authorization", bearer(valid())).statusCode()).as("cached").isEqualTo(200);
        assertThat(get("/uncached/f.txt", "Authorization", bearer(valid())).statusCode()).as("fetched again")
                .isEqualTo(401);
    }

    /** A key request that answers no key set is an internal error, logged. */
    @Test
    void aFailedKeyRequestIs500() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            assertThat(get("/broken/f.txt", "Authorization", bearer(valid())).statusCode()).isEqualTo(500);
            assertThat(logs.contains("auth_jwt_key_request subrequest answered 404")).isTrue();
        }
    }

    /** A key file named by variables is read per request; one that is not there is an internal error. */
    @Test
    void aKeyFileNamedByVariables() throws Exception {
        assertThat(get("/byname/f.txt?set=keys", "Authorization", bearer(valid())).statusCode()).isEqualTo(200);
        assertThat(get("/byname/f.txt?set=missing", "Authorization", bearer(valid())).statusCode()).isEqualTo(500);
    }
}
