package io.zonesync.http.tryfiles;

import static io.zonesync.config.Context.HTTP_LOCATION;
import static io.zonesync.config.Context.HTTP_SERVER;

import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.core.AccessHandler;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.ComplexValue;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx's try_files module: {@code try_files file ... uri|=code} in a server or location (not
 * inherited by nested locations), run after the access checks ({@link TryFiles}).
 */
public final class TryFilesModule implements ConfModule, HttpFeature {

    @Override
    public List<String> nginxModules() {
        return List.of("ngx_http_try_files_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("try_files", Arity.atLeast(2), HTTP_SERVER, HTTP_LOCATION));
    }

    @Override
    public List<AccessHandler> accessHandlers(CompileScope level) throws ConfigException {
        Directive d = level.scope().block().first("try_files");
        if (d == null) {
            return List.of();
        }
        List<TryFiles.Candidate> files = new ArrayList<>();
        for (String f : d.args().subList(0, d.argCount() - 1)) {
            // as nginx: a name written with a trailing slash is a directory, tested without the slash
            boolean directory = f.length() > 1 && f.endsWith("/");
            files.add(new TryFiles.Candidate(level.compile(d, directory ? f.substring(0, f.length() - 1) : f),
                    directory));
        }
        String last = d.arg(d.argCount() - 1);
        if (last.startsWith("=")) {
            int code;
            try {
                code = Integer.parseInt(last.substring(1));
            } catch (NumberFormatException e) {
                throw d.error("invalid code \"%s\"", last);
            }
            if (code < 100 || code > 999) {
                throw d.error("invalid code \"%s\"", last);
            }
            return List.of(new TryFiles(files, null, code));
        }
        return List.of(new TryFiles(files, level.compile(d, last), 0));
    }
}
