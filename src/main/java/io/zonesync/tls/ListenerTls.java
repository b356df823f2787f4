package io.zonesync.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.zonesync.net.HandshakeCounters;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TLS of one listening socket that serves several servers: the default server's certificates,
 * and, when other servers on the socket have their own, a choice by the name the client asks for
 * (SNI: exact names and {@code *.example.com}), as nginx picks the server's {@code ssl_*}.
 */
public final class ListenerTls {
    private final ServerTls defaultTls;
    private final Mapping<String, SslContext> sni;
    /** Each context the SNI mapping can pick, to the server TLS it belongs to. */
    private final Map<SslContext, ServerTls> owners = new IdentityHashMap<>();

    private ListenerTls(ServerTls defaultTls, Map<String, ServerTls> byName) {
        this.defaultTls = defaultTls;
        owners.put(defaultTls.context(), defaultTls);
        if (byName.isEmpty()) {
            this.sni = null;
        } else {
            DomainWildcardMappingBuilder<SslContext> m = new DomainWildcardMappingBuilder<>(defaultTls.context());
            byName.forEach((name, tls) -> {
                m.add(name, tls.context());
                owners.put(tls.context(), tls);
            });
            this.sni = m.build();
        }
    }

    /**
     * @param byName server names (exact, or {@code *.} wildcards) to the TLS of their server; names
     *        whose server uses the default's TLS may be left out
     */
    public static ListenerTls of(ServerTls defaultTls, Map<String, ServerTls> byName) {
        Map<String, ServerTls> own = new LinkedHashMap<>();
        byName.forEach((name, tls) -> {
            if (tls != defaultTls) {
                own.put(name, tls);
            }
        });
        return new ListenerTls(defaultTls, own);
    }

    /**
     * Adds a new connection's TLS handlers to the end of its pipeline: {@code tls}, then the
     * {@link HandshakeCount} that counts its handshake in {@code node} and in its server's zones
     * (a connection closed before its first byte is not counted, as in nginx's http).
     */
    public void install(Channel ch, HandshakeCounters node) {
        HandshakeCount count = defaultTls.counter(node);
        ch.pipeline().addLast("tls-first-byte", count.firstByte());
        ch.pipeline().addLast("tls", sni == null ? defaultTls.newHandler(ch) : new ServerNameChoice(count));
        ch.pipeline().addLast("tls-count", count);
    }

    /** Picks the server's TLS by the name the client sends, then makes its handler as that server's TLS makes them. */
    private final class ServerNameChoice extends SniHandler {
        private final HandshakeCount count;

        ServerNameChoice(HandshakeCount count) {
            super(sni, defaultTls.handshakeTimeoutMs());
            this.count = count;
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            ServerTls chosen = owners.getOrDefault(context, defaultTls);
            count.server(chosen);
            return chosen.newEngineHandler(allocator);
        }
    }
}
