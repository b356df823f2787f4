package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.net.LocalBind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code proxy_bind address [transparent] | off}: the local address a request's upstream
 * connections come from, evaluated per request. An empty value binds nothing; a value that is not
 * an address is logged and binds nothing, as in nginx.
 */
record ProxyBind(ComplexValue address, boolean transparent) {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyBind.class);

    /** The location's setting, or null for none ({@code off}, or not set at any level). */
    static ProxyBind compile(CompileScope cs) throws ConfigException {
        Directive d = cs.scope().effectiveFirst("proxy_bind");
        if (d == null || (d.args().size() == 1 && d.arg(0).equals("off"))) {
            return null;
        }
        return new ProxyBind(cs.compile(d, d.arg(0)), LocalBind.transparent(d));
    }

    /** Where this request's connections are bound, or null for anywhere. */
    LocalBind of(HttpExchange ex) {
        return LocalBind.of(address.evaluate(ex), transparent,
                text -> LOG.error(ex.errorLog(), "invalid local address \"{}\"{}", text, ex.errorContext()));
    }
}
