package io.zonesync.stream.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.stream.StreamServerConf;
import io.zonesync.tls.ServerTls;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled stream proxy server: its listeners, its phase handlers in the order nginx runs them
 * (preaccess, access, TLS handshake on an {@code ssl} listener, preread, content, log), how long a
 * PROXY protocol header may take, and its TLS (null without an {@code ssl} listener). Immutable.
 */
public record StreamServer(StreamServerConf conf, List<StreamHandler> preaccess, List<StreamHandler> access,
        List<StreamPreread> preread, StreamContent content, List<StreamLogger> loggers, long proxyProtocolTimeoutMs,
        ServerTls tls) {

    /** Collects a server's handlers from the modules. */
    public static final class Builder {
        private final StreamServerConf conf;
        private final List<StreamHandler> preaccess = new ArrayList<>();
        private final List<StreamHandler> access = new ArrayList<>();
        private final List<StreamPreread> preread = new ArrayList<>();
        private final List<StreamLogger> loggers = new ArrayList<>();
        private StreamContent content;
        private Directive contentDirective;
        private long proxyProtocolTimeoutMs = 30_000;
        private ServerTls tls;
        private final List<HandshakeCounters> handshakeZones = new ArrayList<>();

        Builder(StreamServerConf conf) {
            this.conf = conf;
        }

        public StreamServerConf conf() {
            return conf;
        }

        public void preaccess(StreamHandler h) {
            preaccess.add(h);
        }

        public void access(StreamHandler h) {
            access.add(h);
        }

        public void preread(StreamPreread p) {
            preread.add(p);
        }

        public void log(StreamLogger l) {
            loggers.add(l);
        }

        public void proxyProtocolTimeoutMs(long ms) {
            proxyProtocolTimeoutMs = ms;
        }

        void tls(ServerTls serverTls) {
            tls = serverTls;
        }

        /** The TLS handshakes of this server's {@code ssl} listeners count in {@code zone} too (status_zone). */
        public void countHandshakes(HandshakeCounters zone) {
            handshakeZones.add(zone);
        }

        /** Sets the content handler; a second one ({@code proxy_pass} and {@code return}) is an error. */
        public void content(StreamContent c, Directive d) throws ConfigException {
            if (content != null) {
                throw d.error("\"%s\" directive is duplicate", d.name());
            }
            content = c;
            contentDirective = d;
        }

        StreamServer build() throws ConfigException {
            if (content == null) {
                throw conf.directive().error("no handler for server");
            }
            ServerTls counting = tls;
            for (HandshakeCounters zone : handshakeZones) {
                counting = counting == null ? null : counting.countingInto(zone);
            }
            return new StreamServer(conf, List.copyOf(preaccess), List.copyOf(access), List.copyOf(preread), content,
                    List.copyOf(loggers), proxyProtocolTimeoutMs, counting);
        }
    }
}
