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
 * Reads the keys of one {@code auth_jwt_key_file} when the configuration is loaded: a JSON Web Key
 * set ({@code {"keys": [...]}}) or a single JSON Web Key. A file that cannot be read or parsed, or
 * a key whose material is unusable, is an error at the directive's FILE:LINE.
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
        List<JWK> jwks;
        try {
            Map<String, Object> json = JSONObjectUtils.parse(text);
            jwks = json.containsKey("keys") ? JWKSet.parse(json).getKeys() : List.of(JWK.parse(json));
        } catch (ParseException e) {
            throw d.error("invalid JSON Web Key set in \"%s\": %s", path, e.getMessage());
        }
        List<JwtKey> keys = new ArrayList<>();
        for (int i = 0; i < jwks.size(); i++) {
            try {
                JwtKey key = JwtKey.of(jwks.get(i));
                if (key != null) {
                    keys.add(key);
                }
            } catch (JOSEException e) {
                throw d.error("unusable key %d in \"%s\": %s", i + 1, path, e.getMessage());
            }
        }
        return keys;
    }
}
