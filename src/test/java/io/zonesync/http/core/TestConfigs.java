package io.zonesync.http.core;

import io.zonesync.config.Block;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.ParsedConfig;
import java.nio.file.Path;
import java.util.List;

/** Compiles configuration text the way the node will: parse, validate, compile. */
final class TestConfigs {
    private TestConfigs() {
    }

    static HttpConfig compile(String text) throws ConfigException {
        return compile(text, Path.of(System.getProperty("java.io.tmpdir")), List.of());
    }

    static HttpConfig compile(String text, Path prefix, List<HttpFeature> features, ConfModule... modules)
            throws ConfigException {
        Block root = ConfigParser.parseString(text, "t.conf");
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new HttpCoreModule());
        registry.registerAll(modules);
        registry.validate(root);
        ParsedConfig parsed = new ParsedConfig(prefix.resolve("t.conf"), prefix, root, List.of());
        return new HttpConfigCompiler(features, List.of()).compile(parsed);
    }

    /** The default server of the first endpoint. */
    static VirtualServer firstServer(HttpConfig config) {
        return config.endpoints().get(0).servers().defaultServer();
    }
}
