package io.zonesync.http.staticfiles;

import static io.zonesync.config.Context.HTTP;
import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.config.Values;
import io.zonesync.http.autoindex.AutoindexModule;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's index and static modules: {@code index}, and files under {@code root} for every location
 * no other module answers. Registered last, so that it is the content handler of last resort.
 */
public final class StaticModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_static_module", "ngx_http_index_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.repeatable("index", Arity.atLeast(1), HTTP, HTTP_SERVER, HTTP_LOCATION));
        r.register(DirectiveSpec.single("log_not_found", Arity.FLAG, HTTP, HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) throws ConfigException {
        List<String> index = new ArrayList<>();
        for (Directive d : location.scope().effective("index")) {
            for (String f : d.args()) {
                if (f.isEmpty()) {
                    throw d.error("index \"%s\" in \"index\" directive is invalid", f);
                }
                if (f.indexOf('/') >= 0 && !f.equals(d.arg(d.argCount() - 1))) {
                    throw d.error("only the last index in \"index\" directive should be absolute");
                }
                index.add(f);
            }
        }
        if (index.isEmpty()) {
            index.add("index.html");
        }
        Directive logNotFound = location.scope().effectiveFirst("log_not_found");
        return new StaticFileHandler(index, AutoindexModule.listing(location),
                logNotFound == null || Values.flag(logNotFound));
    }
}
