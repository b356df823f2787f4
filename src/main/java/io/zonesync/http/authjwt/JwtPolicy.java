package io.zonesync.http.authjwt;

import io.zonesync.http.vars.ComplexValue;
import java.util.List;

/**
 * What {@code auth_jwt} demands at one level (a location, or its {@code limit_except} block): the
 * realm of the challenge, where the token is (a variable, or the {@code Authorization: Bearer}
 * header when {@code token} is null), where its keys come from, the leeway for its times, and the
 * {@code auth_jwt_require} checks.
 */
record JwtPolicy(ComplexValue realm, ComplexValue token, JwtKeySources keys, long leewaySeconds,
        List<Requirement> requirements) {

    /** The check of a token against these keys. */
    JwtVerifier verifier(List<JwtKey> with) {
        return new JwtVerifier(with, leewaySeconds);
    }

    /** One {@code auth_jwt_require}: every value must be neither empty nor "0", else the status. */
    record Requirement(List<ComplexValue> values, int status) {
    }
}
