package io.zonesync.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.Errors.NativeIoException;
import io.zonesync.log.Severity;
import io.zonesync.log.RepeatedLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a listening socket does when accepting a connection fails, as nginx does: the failure is
 * logged in nginx's words ({@code accept4() failed (24: Too many open files) while accepting new
 * connection on 127.0.0.1:8080}); when the node is out of file descriptors (EMFILE, ENFILE)
 * accepting pauses for {@link #PAUSE_MS} and then resumes, and the connections already open are
 * served on. A listener that keeps failing the same way logs at most one line per
 * {@link #LOG_INTERVAL_MS}, the next one saying how often it failed meanwhile ({@link RepeatedLog}). Sits in the server channel's pipeline, ahead of Netty's
 * acceptor, so Netty's own one-second pause and its "reached the tail of the pipeline" warning
 * are not reached.
 */
public final class AcceptErrors extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptErrors.class);
    /** How long accepting pauses when no file descriptor is left (nginx: accept_mutex_delay, 500 ms). */
    public static final long PAUSE_MS = 500;
    /** At most one line per listener this often. */
    public static final long LOG_INTERVAL_MS = 5000;
    private static final int EMFILE = 24;
    private static final int ENFILE = 23;
    private static final int ECONNABORTED = 103;

    private final String listening;
    private final String syscall;
    private final Map<Severity, RepeatedLog> lines = new EnumMap<>(Severity.class);

    private AcceptErrors(String listening, String syscall, Clock clock) {
        this.listening = listening;
        this.syscall = syscall;
        for (Severity s : List.of(Severity.CRIT, Severity.ALERT, Severity.ERROR)) {
            lines.put(s, new RepeatedLog(LOG, s, Duration.ofMillis(LOG_INTERVAL_MS), clock));
        }
    }

    /** For a listener at {@code listening} (as the configuration names it) on this transport. */
    public static AcceptErrors on(String listening, Transport transport) {
        return of(listening, transport.isEpoll(), Clock.systemUTC());
    }

    /** Epoll accepts with accept4(), NIO with accept(); {@code clock} paces the log. */
    static AcceptErrors of(String listening, boolean epoll, Clock clock) {
        return new AcceptErrors(listening, epoll ? "accept4()" : "accept()", clock);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException io)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        int errno = errno(io);
        boolean outOfFiles = errno == EMFILE || errno == ENFILE;
        Severity level = outOfFiles ? Severity.CRIT : errno == ECONNABORTED ? Severity.ERROR : Severity.ALERT;
        String reason = reason(errno, io);
        lines.get(level).log(reason, syscall + " failed (" + reason + ") while accepting new connection on " + listening);
        if (outOfFiles && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, PAUSE_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** The errno of a failed accept: Netty's native transport keeps it, NIO only its text. */
    static int errno(IOException e) {
        if (e instanceof NativeIoException n) {
            return Math.abs(n.expectedErr());
        }
        String m = e.getMessage();
        if (m == null) {
            return 0;
        }
        if (m.contains("Too many open files in system")) {
            return ENFILE;
        }
        if (m.contains("Too many open files")) {
            return EMFILE;
        }
        if (m.contains("Software caused connection abort")) {
            return ECONNABORTED;
        }
        return 0;
    }

    private static String reason(int errno, IOException e) {
        return switch (errno) {
            case EMFILE -> "24: Too many open files";
            case ENFILE -> "23: Too many open files in system";
            case ECONNABORTED -> "103: Software caused connection abort";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
