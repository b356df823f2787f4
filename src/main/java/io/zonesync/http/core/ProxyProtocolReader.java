package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.ReferenceCountUtil;
import io.zonesync.http.vars.CoreVariables;
import io.zonesync.net.AddressText;
import io.zonesync.net.IpNetwork;
import io.zonesync.net.ProxyHeader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PROXY protocol header (v1 text or v2 binary) a connection on a {@code listen ...
 * proxy_protocol} socket must begin with, ahead of TLS and HTTP: keeps its addresses on the channel
 * ({@link ProxyHeader#CHANNEL_KEY}), passes the bytes after it on, and leaves the pipeline. A
 * connection that begins with anything else, or with a malformed header, is logged as nginx logs it
 * and closed. The header is decoded by Netty's HAProxy codec; the time it may take is the
 * connection's {@code client_header_timeout}, enforced by the HTTP connection.
 */
public final class ProxyProtocolReader extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyProtocolReader.class);
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_PREFIX = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** As much of what arrived as the error message quotes. */
    private static final int QUOTED = 1024;

    private final String server;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());
    private final ByteBuf seen = Unpooled.buffer(128, QUOTED);
    private boolean done;

    /** @param server the listen address, as the error message names it */
    public ProxyProtocolReader(String server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        seen.writeBytes(in, in.readerIndex(), Math.min(in.readableBytes(), seen.maxWritableBytes()));
        if (!startsLikeHeader(seen)) {
            ReferenceCountUtil.release(msg);
            broken(ctx);
            return;
        }
        List<Object> out = new ArrayList<>();
        try {
            decoder.writeInbound(in);
            for (Object o; (o = decoder.readInbound()) != null;) {
                out.add(o);
            }
        } catch (RuntimeException e) {
            out.forEach(ReferenceCountUtil::release);
            broken(ctx);
            return;
        }
        if (out.isEmpty()) {
            return; // more of the header to come
        }
        done = true;
        HAProxyMessage header = (HAProxyMessage) out.get(0);
        try {
            ProxyHeader h = addresses(header);
            if (h != null) {
                ctx.channel().attr(ProxyHeader.CHANNEL_KEY).set(h);
            }
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
        for (Object rest : out.subList(1, out.size())) {
            ctx.fireChannelRead(rest);
        }
    }

    /** Whether what arrived so far can still be the start of a v1 or v2 header. */
    static boolean startsLikeHeader(ByteBuf b) {
        return matchesSoFar(b, V1_PREFIX) || matchesSoFar(b, V2_PREFIX);
    }

    private static boolean matchesSoFar(ByteBuf b, byte[] prefix) {
        int n = Math.min(b.readableBytes(), prefix.length);
        for (int i = 0; i < n; i++) {
            if (b.getByte(b.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The addresses of a decoded header, or null when it has none to give (v1 {@code UNKNOWN}, v2
     * {@code LOCAL}, UNIX-domain or unspecified families), as nginx keeps none then. v1 keeps the
     * address text as sent; v2's binary addresses are written as nginx writes them.
     */
    static ProxyHeader addresses(HAProxyMessage m) {
        HAProxyProxiedProtocol p = m.proxiedProtocol();
        if (m.command() != HAProxyCommand.PROXY || p.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_UNIX
                || p.addressFamily() == HAProxyProxiedProtocol.AddressFamily.AF_UNSPEC || m.sourceAddress() == null) {
            return null;
        }
        boolean v2 = m.protocolVersion() == HAProxyProtocolVersion.V2;
        return new ProxyHeader(v2 ? canonical(m.sourceAddress()) : m.sourceAddress(), m.sourcePort(),
                v2 ? canonical(m.destinationAddress()) : m.destinationAddress(), m.destinationPort());
    }

    private static String canonical(String ip) {
        IpNetwork n = IpNetwork.parse(ip);
        if (n == null) {
            return ip;
        }
        try {
            return AddressText.ip(InetAddress.getByAddress(n.address()));
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    private void broken(ChannelHandlerContext ctx) {
        done = true;
        LOG.error("broken header: \"{}\" while reading PROXY protocol, client: {}, server: {}",
                seen.toString(StandardCharsets.ISO_8859_1), CoreVariables.addressText(ctx.channel().remoteAddress()),
                server);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        seen.release();
        try {
            decoder.finishAndReleaseAll();
        } catch (RuntimeException alreadyReported) {
            // a broken header was logged when it failed; closing the decoder only repeats the failure
        }
    }
}
