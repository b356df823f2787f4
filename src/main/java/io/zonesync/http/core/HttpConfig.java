package io.zonesync.http.core;

import io.zonesync.http.accesslog.AccessLog;
import io.zonesync.http.vars.VariableRegistry;
import java.util.List;
import java.util.Set;

/**
 * A compiled http block: the sockets to listen on with the servers behind each, the variables the
 * configuration knows, and every access log it writes (to open them before serving). Immutable;
 * a reload compiles a new one and hands it to {@link HttpRuntime#apply}.
 */
public record HttpConfig(List<ListenEndpoint> endpoints, VariableRegistry variables, Set<AccessLog> accessLogs) {

    public HttpConfig {
        endpoints = List.copyOf(endpoints);
        accessLogs = Set.copyOf(accessLogs);
    }

    /** A configuration without an http block: nothing to listen on. */
    public static HttpConfig empty() {
        return new HttpConfig(List.of(), VariableRegistry.withCoreVariables().freeze(), Set.of());
    }

    /** The endpoint bound to this address key ({@link ListenAddress#key()}), or null. */
    public ListenEndpoint endpoint(String key) {
        for (ListenEndpoint e : endpoints) {
            if (e.address().key().equals(key)) {
                return e;
            }
        }
        return null;
    }
}
