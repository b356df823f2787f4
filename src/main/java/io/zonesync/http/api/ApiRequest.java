package io.zonesync.http.api;

/**
 * One request to the API location. {@code path} is relative to the location ({@code "/9/http/keyvals/one"}
 * for {@code /api/9/http/keyvals/one} under {@code location /api}), still percent-encoded;
 * {@code rawQuery} is the text after {@code ?} (null or empty for none); {@code body} is the
 * request body (empty when there is none, null when reading it failed, at most the handler's limit
 * plus one byte is enough to detect an oversized one); {@code requestId} is {@code $request_id};
 * {@code writeEnabled} is {@code api write=on}; {@code serverAddress} is the address that accepted
 * the request ({@code $server_addr}), which {@code /N/nginx} reports.
 */
public record ApiRequest(String method, String path, String rawQuery, byte[] body, String requestId,
        boolean writeEnabled, int bodyLimit, String serverAddress) {

    /** A request under the handler's default body limit, accepted on no particular address. */
    public ApiRequest(String method, String path, String rawQuery, byte[] body, String requestId,
            boolean writeEnabled) {
        this(method, path, rawQuery, body, requestId, writeEnabled, 0, "");
    }
}
