package io.zonesync.http.vars;

/**
 * A package's set of variables defined by code, not configuration (e.g. {@code $upstream_addr}).
 * Variables defined by configuration (keyval's {@code keyval $key $var zone=z}) are defined on the
 * per-configuration {@link VariableRegistry} while the http block is compiled.
 */
@FunctionalInterface
public interface VariableProvider {
    void defineVariables(VariableRegistry registry);
}
