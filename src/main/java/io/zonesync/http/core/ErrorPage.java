package io.zonesync.http.core;

import io.zonesync.http.vars.ComplexValue;

/**
 * One status's target from {@code error_page code ... [=[response]] uri}: a URI served by an
 * internal redirect (GET, except HEAD stays HEAD), a named location ({@code @name}), or a URL
 * (http://, https://, $scheme) answered with a redirect (302, or the {@code =code} given).
 *
 * @param response the status to answer with: -1 keeps the original, 0 ({@code =} alone) takes the
 *        status of the page's own response
 */
public record ErrorPage(ComplexValue target, int response) {

    public boolean isRedirect() {
        String s = target.source();
        return s.startsWith("http://") || s.startsWith("https://") || s.startsWith("$scheme");
    }

    public boolean isNamedLocation() {
        return target.source().startsWith("@");
    }
}
