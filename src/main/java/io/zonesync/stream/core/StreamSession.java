package io.zonesync.stream.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.zonesync.net.AddressText;
import io.zonesync.net.ConnectionLimit;
import io.zonesync.net.ProxyHeader;
import io.zonesync.net.Transport;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One client of a stream server, from accept to close: a TCP connection, or on a UDP listener the
 * datagrams of one client address. It is what the phase handlers and variables see, and how a
 * handler ends it ({@link #finish}). When the session ends, for whatever reason (for TCP, the
 * client connection closing), the cleanups registered with {@link #onClose} run and then the log
 * handlers. Confined to the client's event loop (for UDP, the listener's).
 */
public final class StreamSession {
    private final Channel client;
    /** The client of a UDP session (whose {@link #client} is the listener's channel), null for TCP. */
    private final InetSocketAddress udpClient;
    private final Runnable udpEnded;
    private final List<ByteBuf> udpPending = new ArrayList<>();
    private Consumer<ByteBuf> udpInput;
    private ByteBuf preread;
    private boolean tlsListener;
    private boolean ended;
    private final StreamServer server;
    private final long number;
    private final Clock clock;
    private final long startMillis;
    private final long startNanos;
    private final Transport transport;
    private final ConnectionLimit connections;
    private final Map<String, String> values = new HashMap<>();
    private final List<UpstreamAttempt> upstreams = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private ProxyHeader proxyHeader;
    /** 0 until the session ends, as nginx's (so {@code $status} reads {@code 000} before). */
    private int status;
    private long bytesReceived;
    private long bytesSent;

    StreamSession(Channel client, StreamServer server, long number, Clock clock, Transport transport,
            ConnectionLimit connections, boolean tlsListener) {
        this(client, null, null, server, number, clock, transport, connections);
        this.tlsListener = tlsListener;
    }

    /** A UDP session of {@code from} on the listener {@code listener}; {@code ended} forgets it there. */
    StreamSession(Channel listener, InetSocketAddress from, Runnable ended, StreamServer server, long number,
            Clock clock, Transport transport, ConnectionLimit connections) {
        this.client = listener;
        this.udpClient = from;
        this.udpEnded = ended;
        this.server = server;
        this.number = number;
        this.clock = clock;
        this.startMillis = clock.millis();
        this.startNanos = System.nanoTime();
        this.transport = transport;
        this.connections = connections;
    }

    /** The client connection (TCP), or the listener's channel (UDP: see {@link #send}). */
    public Channel client() {
        return client;
    }

    /** Whether the client came on an {@code ssl} listener (its TLS handshake is the ssl phase). */
    public boolean tlsListener() {
        return tlsListener;
    }

    public boolean isUdp() {
        return udpClient != null;
    }

    /** Sends bytes to the client: on its connection, or as one datagram. */
    public ChannelFuture send(ByteBuf data) {
        return udpClient == null ? client.writeAndFlush(data) : client.writeAndFlush(new DatagramPacket(data, udpClient));
    }

    /** Keeps the bytes the preread phase read, for the content handler. */
    public void keepPreread(ByteBuf data) {
        preread = data;
    }

    /** The bytes the preread phase read (the caller owns them), or null. */
    public ByteBuf takePreread() {
        ByteBuf b = preread;
        preread = null;
        return b;
    }

    /** Whether the session still runs. */
    public boolean isOpen() {
        return udpClient == null ? client.isOpen() : !ended;
    }

    /** UDP: where the client's datagrams go from now on (those that came before first). */
    public void udpInput(Consumer<ByteBuf> input) {
        udpInput = input;
        for (ByteBuf b : udpPending) {
            input.accept(b);
        }
        udpPending.clear();
    }

    /** UDP: a datagram of the client's. */
    void received(ByteBuf data) {
        if (ended) {
            data.release();
        } else if (udpInput == null) {
            udpPending.add(data);
        } else {
            udpInput.accept(data);
        }
    }

    public StreamServer server() {
        return server;
    }

    /** {@code $connection}: the serial number of the connection. */
    public long number() {
        return number;
    }

    public Clock clock() {
        return clock;
    }

    public long startMillis() {
        return startMillis;
    }

    /** Milliseconds since the connection was accepted (monotonic). */
    public long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public Transport transport() {
        return transport;
    }

    public ConnectionLimit connections() {
        return connections;
    }

    public SocketAddress remoteAddress() {
        return udpClient != null ? udpClient : client.remoteAddress();
    }

    public SocketAddress localAddress() {
        return client.localAddress();
    }

    /** The client as nginx's error lines name it: its address without the port. */
    public String clientText() {
        return remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null ? AddressText.ip(a.getAddress())
                : AddressText.hostPort(remoteAddress());
    }

    /** The listening address the client reached, as nginx's error lines name it ({@code server: ip:port}). */
    public String serverText() {
        return AddressText.hostPort(localAddress());
    }

    /** The PROXY protocol header the client sent ({@code listen ... proxy_protocol}), or null. */
    public ProxyHeader proxyHeader() {
        return proxyHeader;
    }

    void proxyHeader(ProxyHeader header) {
        this.proxyHeader = header;
    }

    /** A value a module keeps for this session ({@code set}), by variable name; null if none. */
    public String value(String name) {
        return values.get(name);
    }

    public void value(String name, String value) {
        values.put(name, value);
    }

    public int status() {
        return status;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public void addReceived(long n) {
        bytesReceived += n;
    }

    public void addSent(long n) {
        bytesSent += n;
    }

    /** The upstream servers tried so far, in order. */
    public List<UpstreamAttempt> upstreams() {
        return upstreams;
    }

    /** Runs when the client connection has closed, before the log handlers. */
    public void onClose(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    /**
     * Ends the session with {@code status}: the client connection is closed at once, so a caller
     * with data for the client calls this when its write has completed.
     */
    public void finish(int status) {
        if (!isOpen()) {
            return;
        }
        this.status = status;
        if (udpClient == null) {
            client.close(); // ended() runs when it has closed
        } else {
            ended();
        }
    }

    /** The session is over: cleanups, then the log phase. */
    void ended() {
        if (ended) {
            return;
        }
        ended = true;
        if (status == 0) {
            status = 200; // the client went away: nginx ends such a session as a success
        }
        for (Runnable r : cleanups) {
            r.run();
        }
        cleanups.clear();
        for (ByteBuf b : udpPending) {
            b.release();
        }
        udpPending.clear();
        if (preread != null) {
            preread.release();
            preread = null;
        }
        if (udpEnded != null) {
            udpEnded.run();
        }
        for (StreamLogger logger : server.loggers()) {
            logger.log(this);
        }
    }
}
