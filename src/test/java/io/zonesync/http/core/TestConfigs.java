package io.zonesync.http.core;

import io.zonesync.config.Block;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.ParsedConfig;
import io.zonesync.http.accesslog.AccessLogModule;
import io.zonesync.http.headers.HeadersModule;
import io.zonesync.http.map.MapModule;
import io.zonesync.http.rewrite.ReturnAction;
import io.zonesync.http.rewrite.RewriteModule;
import io.zonesync.http.staticfiles.StaticModule;
import io.zonesync.http.tryfiles.TryFilesModule;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles configuration text the way the node will: parse, validate, compile, with the modules
 * every nginx has (access log, rewrite, map, try_files, headers, static files) around the features a test gives.
 */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static HttpConfig compile(String text) throws ConfigException {
        return compile(text, Path.of(System.getProperty("java.io.tmpdir")), List.of());
    }

    public static HttpConfig compile(String text, Path prefix, List<HttpFeature> features, ConfModule... modules)
            throws ConfigException {
        Block root = ConfigParser.parseString(text, "t.conf");
        DirectiveRegistry registry = new DirectiveRegistry();
        RewriteModule rewrite = new RewriteModule();
        MapModule map = new MapModule();
        TryFilesModule tryFiles = new TryFilesModule();
        HeadersModule headers = new HeadersModule();
        StaticModule statics = new StaticModule();
        registry.registerAll(new HttpCoreModule(), new Http2Module(), new AccessLogModule(), rewrite, map, tryFiles, headers, statics);
        registry.registerAll(modules);
        registry.validate(root);
        ParsedConfig parsed = new ParsedConfig(prefix.resolve("t.conf"), prefix, root, List.of());
        List<HttpFeature> all = new ArrayList<>();
        all.add(rewrite);
        all.add(map);
        all.addAll(features);
        all.add(tryFiles);
        all.add(headers);
        all.add(statics);
        return new HttpConfigCompiler(all).compile(parsed);
    }

    /** The text of a level's {@code return}, null when it has none. */
    public static String returnText(LocationConfig level) {
        return level.rewriteHandlers().isEmpty() ? null
                : ((ReturnAction) level.rewriteHandlers().get(0)).text().source();
    }

    /** The default server of the first endpoint. */
    public static VirtualServer firstServer(HttpConfig config) {
        return config.endpoints().get(0).servers().defaultServer();
    }
}
