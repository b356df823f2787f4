package io.zonesync.http.autoindex;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import java.util.List;

/**
 * nginx's autoindex module: {@code autoindex}, {@code autoindex_format},
 * {@code autoindex_exact_size} and {@code autoindex_localtime}, compiled per location into a
 * {@link DirectoryListing} that the static files handler uses for a directory without an index file.
 */
public final class AutoindexModule implements ConfModule {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_autoindex_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("autoindex", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("autoindex_format", Arity.exactly(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("autoindex_exact_size", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("autoindex_localtime", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    /** The listing of this location, or null when {@code autoindex} is off. */
    public static DirectoryListing listing(CompileScope location) throws ConfigException {
        Scope scope = location.scope();
        DirectoryListing.Format format = DirectoryListing.Format.HTML;
        Directive f = scope.effectiveFirst("autoindex_format");
        if (f != null) {
            format = DirectoryListing.Format.parse(f.arg(0));
            if (format == null) {
                throw f.error("invalid value \"%s\"", f.arg(0));
            }
        }
        Directive on = scope.effectiveFirst("autoindex");
        if (on == null || !Values.flag(on)) {
            return null;
        }
        Directive exact = scope.effectiveFirst("autoindex_exact_size");
        Directive local = scope.effectiveFirst("autoindex_localtime");
        return new DirectoryListing(format, exact == null || Values.flag(exact), local != null && Values.flag(local));
    }
}
