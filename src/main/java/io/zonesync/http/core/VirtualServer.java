package io.zonesync.http.core;

import io.zonesync.config.SourceLocation;
import io.zonesync.tls.ClientVerify;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * One compiled {@code server} block. Immutable.
 *
 * @param names its server names, in order
 * @param serverConfig the settings used when no location matches, and whose {@code return} runs
 *        before location matching (nginx's server rewrite phase)
 * @param locations the location tree
 * @param namedLocations {@code @name} locations, for {@code error_page}
 * @param clientVerify its {@code ssl_verify_client}, which each request on TLS meets
 */
public record VirtualServer(List<ServerName> names, LocationConfig serverConfig, LocationTree locations,
        Map<String, Location> namedLocations, SourceLocation where, ClientVerify clientVerify) {

    /**
     * The captures of the first regular-expression name matching {@code host} (a validated,
     * lower-cased Host), as nginx keeps them for the request; null when no such name matches.
     */
    public Captures nameCaptures(String host) {
        for (ServerName n : names) {
            if (n.kind() == ServerName.Kind.REGEX) {
                Matcher m = n.regex().matcher(host);
                if (m.find()) {
                    return n.regex().captures(m);
                }
            }
        }
        return null;
    }

    /** {@code $server_name}: the first name as written, "" when the server has none. */
    public String primaryName() {
        return names.isEmpty() ? "" : names.get(0).text();
    }
}
