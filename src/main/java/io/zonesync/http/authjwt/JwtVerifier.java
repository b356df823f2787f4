package io.zonesync.http.authjwt;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import java.io.IOException;
import java.text.ParseException;
import java.util.List;

/**
 * Checks a token as {@code auth_jwt} does: a JWS in compact form whose algorithm is one of
 * {@link JwtKey#ALGORITHMS} ({@code none} is refused), whose signature one of the keys confirms
 * (only keys with the token's {@code kid} when it has one), whose payload is a JSON object, and
 * whose {@code exp} and {@code nbf}, when present, admit the time give or take the leeway.
 */
final class JwtVerifier {
    /** Strict JSON: trailing data or a name given twice makes a token invalid, not ambiguous. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** What the check found: the token when it passed, else why not (for the log). */
    record Result(JwtToken token, String failure) {
        static Result failed(String why) {
            return new Result(null, why);
        }

        boolean passed() {
            return token != null;
        }
    }

    private final List<JwtKey> keys;
    private final long leewaySeconds;

    JwtVerifier(List<JwtKey> keys, long leewaySeconds) {
        this.keys = List.copyOf(keys);
        this.leewaySeconds = leewaySeconds;
    }

    Result verify(String token, long nowMillis) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException e) {
            return Result.failed("malformed token: " + e.getMessage());
        }
        JWSAlgorithm alg = jws.getHeader().getAlgorithm();
        if (!JwtKey.ALGORITHMS.contains(alg)) {
            return Result.failed("unsupported algorithm \"" + alg + "\"");
        }
        if (jws.getHeader().getCriticalParams() != null) {
            return Result.failed("unsupported critical header parameters " + jws.getHeader().getCriticalParams());
        }
        ObjectNode header = object(jws.getHeader().getParsedBase64URL().decode());
        ObjectNode claims = object(jws.getPayload().toBytes());
        if (header == null || claims == null) {
            return Result.failed("the payload is not a JSON object");
        }
        String kid = jws.getHeader().getKeyID();
        boolean tried = false;
        boolean verified = false;
        for (JwtKey key : keys) {
            if (key.accepts(alg, kid)) {
                tried = true;
                if (key.verify(jws)) {
                    verified = true;
                    break;
                }
            }
        }
        if (!tried) {
            return Result.failed(kid == null ? "no key for algorithm " + alg
                    : "no key with kid \"" + kid + "\" for algorithm " + alg);
        }
        if (!verified) {
            return Result.failed("signature verification failed");
        }
        double now = nowMillis / 1000.0;
        JsonNode exp = claims.get("exp");
        if (exp != null && (!exp.isNumber() || now >= exp.doubleValue() + leewaySeconds)) {
            return Result.failed(exp.isNumber() ? "the token has expired" : "the \"exp\" claim is not a number");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || now + leewaySeconds < nbf.doubleValue())) {
            return Result.failed(nbf.isNumber() ? "the token is not yet valid" : "the \"nbf\" claim is not a number");
        }
        return new Result(new JwtToken(header, claims), null);
    }

    private static ObjectNode object(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }
}
