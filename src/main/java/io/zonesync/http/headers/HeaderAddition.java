package io.zonesync.http.headers;

import io.zonesync.http.vars.ComplexValue;

/**
 * One {@code add_header name value [always]}. As in nginx the header goes only on responses with
 * 200, 201, 204, 206, 301, 302, 303, 304, 307 or 308 unless {@code always} is given, and not at all
 * when the value comes out empty. A level with any add_header does not inherit its parents'.
 */
public record HeaderAddition(String name, ComplexValue value, boolean always) {

    public boolean appliesTo(int status) {
        if (always) {
            return true;
        }
        return switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }
}
