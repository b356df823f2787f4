package io.zonesync.http.api;

/** An error answer: HTTP status, nginx's error code and a text naming what was wrong. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    ApiError(int status, String code, String text) {
        super(text, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String text() {
        return getMessage();
    }

    static ApiError unknownVersion() {
        return new ApiError(404, "UnknownVersion", "unknown version");
    }

    static ApiError pathNotFound() {
        return new ApiError(404, "PathNotFound", "path not found");
    }

    static ApiError methodDisabled() {
        return new ApiError(405, "MethodDisabled", "method disabled");
    }

    static ApiError methodNotSupported() {
        return new ApiError(405, "MethodNotSupported", "method not supported");
    }

    static ApiError format(String text) {
        return new ApiError(400, "KeyvalFormatError", text);
    }

    static ApiError json(String text) {
        return new ApiError(415, "JsonError", text);
    }
}
