package io.zonesync.http.authjwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.zonesync.access.HttpAccessFeature;
import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration errors of the auth_jwt directives, each at its FILE:LINE. */
class AuthJwtConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void keys() throws Exception {
        Files.writeString(dir.resolve("good.json"), "{\"keys\":[" + Tokens.hmac("k", 256).published().toJSONString()
                + "]}");
        Files.writeString(dir.resolve("single.jwk"), Tokens.rsa("r").published().toJSONString());
        Files.writeString(dir.resolve("broken.json"), "{\"keys\":[{\"kty\":\"RSA\",");
        Files.writeString(dir.resolve("badkey.json"), "{\"keys\":[{\"kty\":\"oct\",\"k\":\"\"}]}");
        Files.writeString(dir.resolve("nokeys.json"), "{\"kty\":\"RSA\"}");
    }

    private ConfigException error(String directive) {
        AuthJwtModule jwt = new AuthJwtModule();
        return catchThrowableOfType(() -> TestConfigs.compile("http {\n server { listen 127.0.0.1:0;\n"
                + "  location / {\n   " + directive + "\n  }\n }\n}\n", dir, List.of(jwt), jwt),
                ConfigException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "auth_jwt_key_request '';|invalid value \"\" in \"auth_jwt_key_request\" directive",
        "auth_jwt_key_cache soon;|invalid value \"soon\" in \"auth_jwt_key_cache\" directive",
        "auth_jwt_type encrypted;|\"auth_jwt_type encrypted\" is not supported: only signed tokens (JWS) are",
        "auth_jwt_type nested;|\"auth_jwt_type nested\" is not supported: only signed tokens (JWS) are",
        "auth_jwt_type plain;|invalid value \"plain\" in \"auth_jwt_type\" directive",
        "auth_jwt_leeway soon;|invalid value \"soon\" in \"auth_jwt_leeway\" directive",
        "auth_jwt zone realm=x;|invalid parameter \"realm=x\"",
        "auth_jwt zone token=cookie;|invalid variable name \"cookie\"",
        "auth_jwt zone token=$nope;|unknown \"nope\" variable",
        "auth_jwt_require ok;|value \"ok\" of \"auth_jwt_require\" must start with a variable",
        "auth_jwt_require $arg_a error=402;|invalid error code \"402\"",
        "auth_jwt_require error=403;|invalid number of arguments in \"auth_jwt_require\" directive",
        "auth_jwt zone; auth_jwt_require $nope;|unknown \"nope\" variable",
        "auth_jwt_key_file missing.json;|open() \"DIR/missing.json\" failed (2: No such file or directory)",
        "auth_jwt zone; auth_jwt_key_file $nope.json;|unknown \"nope\" variable",
        "auth_jwt_key_file badkey.json;|unusable key 1 in \"DIR/badkey.json\": the \"k\" of an oct key is empty",
    })
    void errorsNameTheDirectiveAndItsLine(String directive, String message) {
        ConfigException e = error(directive);
        assertThat(e).isNotNull();
        assertThat(e.detail()).isEqualTo(message.replace("DIR", dir.toString()));
        assertThat(e.where().line()).isEqualTo(4);
    }

    @Test
    void aBrokenKeyFileIsAnErrorEvenWhereNoTokenIsChecked() {
        ConfigException e = error("auth_jwt off; auth_jwt_key_file broken.json;");
        assertThat(e.detail()).startsWith("invalid JSON Web Key set in \"" + dir.resolve("broken.json") + "\": ");
        assertThat(e.where().line()).isEqualTo(4);
        assertThat(error("auth_jwt_key_file nokeys.json;").detail())
                .startsWith("invalid JSON Web Key set in \"" + dir.resolve("nokeys.json") + "\": ");
    }

    @Test
    void claimAndHeaderVariablesAreCheckedAtHttpLevel() {
        AuthJwtModule jwt = new AuthJwtModule();
        ConfigException dup = catchThrowableOfType(() -> TestConfigs.compile("http {\n"
                + " auth_jwt_claim_set $uri sub;\n server { listen 127.0.0.1:0; }\n}\n", dir, List.of(jwt), jwt),
                ConfigException.class);
        assertThat(dup.detail()).isEqualTo("the duplicate \"uri\" variable");
        assertThat(dup.where().line()).isEqualTo(2);
        ConfigException name = catchThrowableOfType(() -> TestConfigs.compile("http {\n"
                + " auth_jwt_header_set kid kid;\n server { listen 127.0.0.1:0; }\n}\n", dir, List.of(jwt), jwt),
                ConfigException.class);
        assertThat(name.detail()).isEqualTo("invalid variable name \"kid\"");
        ConfigException where = catchThrowableOfType(() -> TestConfigs.compile("http {\n server {\n"
                + "  listen 127.0.0.1:0; auth_jwt_claim_set $s sub;\n }\n}\n", dir, List.of(jwt), jwt),
                ConfigException.class);
        assertThat(where).isNotNull();
        assertThat(where.where().line()).isEqualTo(3);
    }

    @Test
    void theDocumentedFormsCompile() {
        AuthJwtModule jwt = new AuthJwtModule();
        HttpAccessFeature access = new HttpAccessFeature();
        assertThatCode(() -> TestConfigs.compile("""
                http {
                    auth_jwt_claim_set $email info e-mail;
                    auth_jwt_header_set $kid kid;
                    auth_jwt_leeway 30s;
                    auth_jwt_type signed;
                    auth_jwt_key_file good.json;
                    server {
                        listen 127.0.0.1:0;
                        auth_jwt "closed site";
                        location /a { auth_jwt "$host" token=$cookie_auth_token; auth_jwt_key_file single.jwk;
                                      auth_jwt_key_file good.json; }
                        location /b { auth_jwt_require $jwt_claim_sub $email error=403; auth_jwt_require $kid; }
                        location /c { auth_jwt off; limit_except GET { auth_jwt "writers"; } }
                    }
                }
                """, dir, List.of(access, jwt), access, jwt)).doesNotThrowAnyException();
    }
}
