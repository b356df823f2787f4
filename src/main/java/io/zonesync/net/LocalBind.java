package io.zonesync.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.unix.Errors;
import io.netty.util.NetUtil;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * The local end {@code proxy_bind} gives an outgoing connection: an address (port 0 for any) and
 * whether it is bound transparently (IP_TRANSPARENT, so the address need not be this host's).
 * {@link #connect} binds before connecting, so a failed bind is told apart from a failed connect,
 * as nginx reports them.
 */
public record LocalBind(InetSocketAddress address, boolean transparent) {

    /** A bind that could not be made; nginx answers it with 500, not by trying the next server. */
    public static final class BindFailed extends IOException {
        private static final long serialVersionUID = 1L;

        BindFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Whether a {@code proxy_bind} directive's second argument asks for a transparent bind; refused
     * where the transport cannot set IP_TRANSPARENT.
     */
    public static boolean transparent(Directive d) throws ConfigException {
        if (d.args().size() < 2) {
            return false;
        }
        if (!d.arg(1).equals("transparent")) {
            throw d.error("invalid parameter \"%s\"", d.arg(1));
        }
        if (!Transport.epollAvailable()) {
            throw d.error("transparent proxying is not supported on this platform (it needs the native epoll"
                    + " transport)");
        }
        return true;
    }

    /**
     * The bind for one connection from {@code proxy_bind}'s evaluated {@code text}: null for none
     * when it is empty, and when it is not an address, which is then told to {@code invalid} (the
     * caller logs it with its context, as nginx does, and connects unbound).
     */
    public static LocalBind of(String text, boolean transparent, Consumer<String> invalid) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        InetSocketAddress local = parse(text);
        if (local == null) {
            invalid.accept(text);
            return null;
        }
        return new LocalBind(local, transparent);
    }

    /**
     * An address as {@code proxy_bind} takes it: an IPv4 or IPv6 address, with or without a port
     * ({@code 10.0.0.1:8000}, {@code [::1]:8000}); null when {@code text} is none of these.
     */
    public static InetSocketAddress parse(String text) {
        InetAddress ip = literal(text);
        if (ip != null) {
            return new InetSocketAddress(ip, 0);
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return null;
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (!NetUtil.isValidIpV6Address(host)) {
                return null;
            }
        } else if (!NetUtil.isValidIpV4Address(host)) {
            return null;
        }
        int port = 0;
        for (int i = colon + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || port > 65535) {
                return null;
            }
            port = port * 10 + (c - '0');
        }
        ip = literal(host);
        return ip == null || port < 1 || port > 65535 ? null : new InetSocketAddress(ip, port);
    }

    private static InetAddress literal(String text) {
        byte[] raw = NetUtil.createByteArrayFromIpAddressString(text);
        if (raw == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Connects {@code b}'s channel to {@code remote} from this local end. The future fails with
     * {@link BindFailed} when the bind does, else as the connect does.
     */
    public ChannelFuture connect(Bootstrap b, SocketAddress remote) {
        if (transparent) {
            b.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        ChannelFuture registered = b.register();
        Channel ch = registered.channel();
        ChannelPromise done = ch.newPromise();
        registered.addListener(r -> {
            if (!r.isSuccess()) {
                done.setFailure(r.cause());
                return;
            }
            ch.bind(address).addListener(bound -> {
                if (!bound.isSuccess()) {
                    ch.close();
                    done.setFailure(new BindFailed("bind(" + AddressText.ip(address.getAddress())
                            + (address.getPort() == 0 ? "" : ":" + address.getPort()) + ") failed ("
                            + words(bound.cause()) + ")", bound.cause()));
                    return;
                }
                ch.connect(remote).addListener(c -> {
                    if (c.isSuccess()) {
                        done.setSuccess();
                    } else {
                        done.setFailure(c.cause());
                    }
                });
            });
        });
        return done;
    }

    /** The system's words for why a bind failed, with the error number where the transport gives it. */
    private static String words(Throwable t) {
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        if (t instanceof Errors.NativeIoException e) {
            // "bind(..) failed with error(-99): Cannot assign requested address"
            return -e.expectedErr() + ": " + message.substring(message.lastIndexOf(": ") + 2);
        }
        return message;
    }
}
