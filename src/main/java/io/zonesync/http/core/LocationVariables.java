package io.zonesync.http.core;

import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableProvider;
import io.zonesync.http.vars.VariableRegistry;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The core variables that depend on the location serving a request: {@code $document_root} (its
 * {@code root}, made absolute), {@code $realpath_root} (the same with symbolic links resolved) and
 * {@code $request_filename} (the file the URI names: under the root, or the alias's).
 */
final class LocationVariables implements VariableProvider {

    @Override
    public void defineVariables(VariableRegistry r) {
        r.define("document_root", req -> req instanceof HttpExchange ex && ex.location() != null
                ? ex.location().documentRoot(req) : null);
        r.define("realpath_root", req -> {
            Path root = root(req);
            if (root == null) {
                return null;
            }
            try {
                return root.toRealPath().toString();
            } catch (IOException e) {
                return null;
            }
        });
        r.define("request_filename", req -> {
            if (!(req instanceof HttpExchange ex) || ex.location() == null) {
                return null;
            }
            Path file = ex.location().fileFor(req, req.uri());
            return file == null ? null : file.toString();
        });
    }

    private static Path root(RequestView req) {
        return req instanceof HttpExchange ex && ex.location() != null ? ex.location().rootFor(req) : null;
    }
}
