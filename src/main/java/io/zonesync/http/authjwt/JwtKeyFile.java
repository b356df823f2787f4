package io.zonesync.http.authjwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the keys of a JSON Web Key set ({@code {"keys": [...]}}) or of a single JSON Web Key: an
 * {@code auth_jwt_key_file} when the configuration is loaded (a file that cannot be read or parsed,
 * or a key whose material is unusable, is an error at the directive's FILE:LINE), or the text of
 * a file or subrequest at request time.
 */
final class JwtKeyFile {
    private JwtKeyFile() {
    }

    static List<JwtKey> load(Directive d, Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw d.error("open() \"%s\" failed (2: No such file or directory)", path);
        } catch (IOException e) {
            throw d.error("cannot read \"%s\": %s", path, e.getMessage());
        }
        try {
            return parse(text);
        } catch (Unusable e) {
            throw d.error("%s", e.in(path.toString()));
        }
    }

    /** Why a key set cannot be used: what is wrong and the parser's detail. */
    static final class Unusable extends IOException {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final String detail;

        Unusable(String what, String detail, Throwable cause) {
            super(what + ": " + detail, cause);
            this.what = what;
            this.detail = detail;
        }

        /** The message naming where the set came from ({@code invalid JSON Web Key set in "F": ...}). */
        String in(String source) {
            return what + " in \"" + source + "\": " + detail;
        }
    }

    /**
     * The keys of a JSON Web Key set ({@code {"keys": [...]}}) or of a single JSON Web Key; an
     * exception says what is wrong with it.
     */
    static List<JwtKey> parse(String text) throws Unusable {
        List<JWK> jwks;
        try {
            Map<String, Object> json = JSONObjectUtils.parse(text);
            jwks = json.containsKey("keys") ? JWKSet.parse(json).getKeys() : List.of(JWK.parse(json));
        } catch (ParseException e) {
            throw new Unusable("invalid JSON Web Key set", e.getMessage(), e);
        }
        List<JwtKey> keys = new ArrayList<>();
        for (int i = 0; i < jwks.size(); i++) {
            try {
                JwtKey key = JwtKey.of(jwks.get(i));
                if (key != null) {
                    keys.add(key);
                }
            } catch (JOSEException e) {
                throw new Unusable("unusable key " + (i + 1), e.getMessage(), e);
            }
        }
        return List.copyOf(keys);
    }
}
