package io.zonesync.http.core;

import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.VariableProvider;
import io.zonesync.http.vars.VariableRegistry;
import java.util.function.ToLongFunction;

/**
 * The core variables only the exchange itself can tell: {@code $pipe} ("p" for a request that
 * came pipelined behind another, else "."), {@code $request_completion} ("OK" once the response
 * went out whole), the kernel's view of the connection ({@code $tcpinfo_rtt}, {@code _rttvar},
 * {@code _snd_cwnd}, {@code _rcv_space}; on the epoll transport, else not found), the body as read
 * ({@code $request_body}: kept only when the configuration names it, up to
 * {@code client_body_buffer_size}, once it has arrived whole), and the names
 * nginx has that never hold a value here ({@code $request_body_file}: bodies are never spooled to
 * disk; {@code $sent_trailer_*}: no trailers are sent).
 */
final class ExchangeVariables implements VariableProvider {

    @Override
    public void defineVariables(VariableRegistry r) {
        r.define("pipe", req -> req instanceof NettyExchange ex ? (ex.pipelined ? "p" : ".") : ".");
        r.define("request_completion", req -> req instanceof NettyExchange ex && ex.isCompleted() ? "OK" : "");
        tcpInfo(r, "rtt", EpollTcpInfo::rtt);
        tcpInfo(r, "rttvar", EpollTcpInfo::rttvar);
        tcpInfo(r, "snd_cwnd", EpollTcpInfo::sndCwnd);
        tcpInfo(r, "rcv_space", EpollTcpInfo::rcvSpace);
        r.define("request_body", req -> req instanceof NettyExchange ex ? ex.body.keptBody() : null);
        r.define("request_body_file", req -> null);
        r.definePrefix("sent_trailer_", name -> req -> null);
    }

    private static void tcpInfo(VariableRegistry r, String name, ToLongFunction<EpollTcpInfo> figure) {
        r.define("tcpinfo_" + name, req -> {
            EpollTcpInfo info = info(req);
            return info == null ? null : Long.toString(figure.applyAsLong(info));
        });
    }

    private static EpollTcpInfo info(RequestView req) {
        if (req instanceof NettyExchange ex && ex.channel() instanceof EpollSocketChannel epoll && epoll.isActive()) {
            return epoll.tcpInfo();
        }
        return null;
    }
}
