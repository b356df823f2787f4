package io.zonesync.stream;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.net.Endpoint;

/** A stream {@code listen address|port|unix:path [ssl] [reuseport] [backlog=N] [so_keepalive=...]}. */
public record StreamListen(Endpoint endpoint, boolean ssl, int backlog, Directive directive) {

    public static StreamListen parse(Directive d) throws ConfigException {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(d.arg(0), -1, true);
        } catch (Endpoint.ParseException e) {
            throw d.error("%s of the \"listen\" directive", e.getMessage());
        }
        boolean ssl = false;
        int backlog = 511;
        for (String a : d.args().subList(1, d.argCount())) {
            if (a.equals("ssl")) {
                ssl = true;
            } else if (a.startsWith("backlog=")) {
                backlog = Values.positiveInt(d, a.substring(8));
            } else if (!(a.equals("reuseport") || a.startsWith("so_keepalive=") || a.equals("default_server")
                    || a.equals("bind") || a.startsWith("ipv6only=") || a.startsWith("fastopen="))) {
                throw d.error("invalid parameter \"%s\"", a);
            }
        }
        return new StreamListen(endpoint, ssl, backlog, d);
    }
}
