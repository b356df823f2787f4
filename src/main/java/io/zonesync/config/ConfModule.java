package io.zonesync.config;

import java.util.List;

/** A feature's contribution to the configuration language: the directives it understands. */
public interface ConfModule {
    void registerDirectives(DirectiveRegistry registry);

    /**
     * The nginx modules whose directives this one implements, by nginx's names
     * ({@code ngx_http_rewrite_module}): what {@code -V} tells scripts that probe for them.
     */
    default List<String> nginxModules() {
        return List.of();
    }
}
