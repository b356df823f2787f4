package io.zonesync.stream.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Scope;
import io.zonesync.config.Values;
import io.zonesync.net.LocalBind;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.core.StreamVariables;
import io.zonesync.tls.UpstreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;

/**
 * A stream server's {@code proxy_*} settings, with nginx's defaults, each from the innermost level
 * that sets it. Immutable.
 *
 * @param nextUpstreamTries 0 for as many as the group has servers
 * @param nextUpstreamTimeoutMs 0 for no limit
 * @param uploadRate bytes per second read from the client, 0 for no limit
 * @param downloadRate bytes per second read from the upstream server, 0 for no limit
 * @param responses UDP: the datagrams a server sends for each of the client's, -1 for no limit
 * @param tls TLS to the upstream server ({@code proxy_ssl*}), or null
 * @param sslName {@code proxy_ssl_name}, or null for the host of {@code proxy_pass}
 * @param bind {@code proxy_bind}'s address, evaluated per session, or null for none
 * @param transparentBind whether {@code proxy_bind} is {@code transparent}
 * @param socketKeepalive {@code proxy_socket_keepalive}: SO_KEEPALIVE on upstream connections
 */
record ProxySettings(long connectTimeoutMs, long timeoutMs, boolean nextUpstream, int nextUpstreamTries,
        long nextUpstreamTimeoutMs, int bufferSize, long uploadRate, long downloadRate, boolean proxyProtocol,
        boolean halfClose, long responses, UpstreamTls tls, String sslName, StreamValue bind,
        boolean transparentBind, boolean socketKeepalive) {
    private static final Logger LOG = LoggerFactory.getLogger(ProxySettings.class);

    static ProxySettings of(Scope server, Path confDir, StreamVariables variables) throws ConfigException {
        Directive name = server.effectiveFirst("proxy_ssl_name");
        if (name != null && name.arg(0).indexOf('$') >= 0) {
            throw name.error("variables in \"proxy_ssl_name\" are not supported");
        }
        Directive ssl = server.effectiveFirst("proxy_ssl");
        Directive bind = server.effectiveFirst("proxy_bind");
        if (bind != null && bind.args().size() == 1 && bind.arg(0).equals("off")) {
            bind = null;
        }
        return new ProxySettings(
                time(server, "proxy_connect_timeout", 60_000),
                time(server, "proxy_timeout", 600_000),
                flag(server, "proxy_next_upstream", true),
                (int) number(server, "proxy_next_upstream_tries"),
                time(server, "proxy_next_upstream_timeout", 0),
                (int) size(server, "proxy_buffer_size", 16 * 1024, true),
                size(server, "proxy_upload_rate", 0, false),
                size(server, "proxy_download_rate", 0, false),
                flag(server, "proxy_protocol", false),
                flag(server, "proxy_half_close", false),
                server.effectiveFirst("proxy_responses") == null ? -1 : number(server, "proxy_responses"),
                ssl != null && Values.flag(ssl) ? UpstreamTls.compile(server, confDir, ssl) : null,
                name == null ? null : name.arg(0),
                bind == null ? null : StreamValue.compile(bind.arg(0), variables, bind.where()),
                bind != null && LocalBind.transparent(bind),
                flag(server, "proxy_socket_keepalive", false));
    }

    /** Where this session's upstream connection is bound, or null for anywhere (as in nginx, a bad value is logged). */
    LocalBind bindFor(StreamSession session) {
        return bind == null ? null : LocalBind.of(bind.evaluate(session), transparentBind,
                text -> LOG.error("invalid local address \"{}\", client: {}, server: {}", text, session.clientText(),
                        session.serverText()));
    }

    private static long time(Scope s, String name, long fallback) throws ConfigException {
        Directive d = s.effectiveFirst(name);
        return d == null ? fallback : Values.timeMs(d, d.arg(0));
    }

    private static boolean flag(Scope s, String name, boolean fallback) throws ConfigException {
        Directive d = s.effectiveFirst(name);
        return d == null ? fallback : Values.flag(d);
    }

    private static long number(Scope s, String name) throws ConfigException {
        Directive d = s.effectiveFirst(name);
        if (d == null) {
            return 0;
        }
        long n = Values.parseDigits(d.arg(0));
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw d.invalidValue(d.arg(0));
        }
        return n;
    }

    private static long size(Scope s, String name, long fallback, boolean positive) throws ConfigException {
        Directive d = s.effectiveFirst(name);
        if (d == null) {
            return fallback;
        }
        long v = Values.size(d, d.arg(0));
        if (positive && (v <= 0 || v > Integer.MAX_VALUE)) {
            throw d.invalidValue(d.arg(0));
        }
        return v;
    }
}
