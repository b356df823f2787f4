package io.zonesync.config;

/** A feature's contribution to the configuration language: the directives it understands. */
public interface ConfModule {
    void registerDirectives(DirectiveRegistry registry);
}
