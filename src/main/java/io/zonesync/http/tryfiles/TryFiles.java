package io.zonesync.http.tryfiles;

import io.zonesync.http.core.AccessDecision;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.vars.ComplexValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One {@code try_files}: the first of {@code files} that exists under the location's root (one
 * written with a trailing slash must be a directory, any other anything but a directory) becomes
 * the URI the location's content serves, as nginx does it: a directory found as {@code $uri/} for
 * {@code /dir} becomes {@code /dir}, which static files then redirect to {@code /dir/}. When none
 * exists, {@code fallback} is served by an internal redirect (a URI or a named location), or
 * {@code code} is answered.
 */
record TryFiles(List<Candidate> files, ComplexValue fallback, int code) implements AccessHandler {

    /** A name to test, without the trailing slash that made it a directory test. */
    record Candidate(ComplexValue name, boolean directory) {
    }

    TryFiles {
        files = List.copyOf(files);
    }

    @Override
    public Phase phase() {
        return Phase.PRECONTENT;
    }

    @Override
    public AccessDecision check(HttpExchange ex) {
        for (Candidate f : files) {
            String name = f.name().evaluate(ex);
            int q = name.indexOf('?');
            String path = q >= 0 ? name.substring(0, q) : name;
            if (exists(ex, path, f.directory())) {
                ex.rewriteUri(path, q >= 0 ? name.substring(q + 1) : ex.args());
                return AccessDecision.proceed();
            }
        }
        if (fallback == null) {
            return AccessDecision.respond(code);
        }
        ex.internalRedirect(fallback.evaluate(ex));
        return AccessDecision.handled();
    }

    private static boolean exists(HttpExchange ex, String path, boolean directory) {
        if (!path.startsWith("/")) {
            return false;
        }
        Path p = ex.location().fileFor(ex, path);
        if (p == null) {
            return false;
        }
        return directory ? Files.isDirectory(p) : Files.exists(p) && !Files.isDirectory(p);
    }
}
