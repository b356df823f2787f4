package io.zonesync.sync.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.zonesync.sync.proto.Heartbeat;
import io.zonesync.sync.proto.Hello;
import io.zonesync.sync.proto.Ping;
import io.zonesync.sync.proto.Pong;
import io.zonesync.sync.proto.Protocol;
import io.zonesync.zone.ReplicatedZone;
import io.zonesync.zone.Stamp;
import io.zonesync.zone.StampSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-peer figures a link keeps for the status (state since, last seen, heartbeat round trip),
 * driven frame by frame on an EmbeddedChannel with a fake wall clock and a fake monotonic clock.
 */
class PeerLinkFiguresTest {
    private static final long PEER = 0x2222L;

    /** A cluster of one link: accepts every HELLO, with clocks the test moves. */
    private static final class FakeHost implements LinkHost {
        long wall = 1_767_225_600_000L;
        long nanos = 5_000_000_000L;
        final List<String> events = new ArrayList<>();

        @Override
        public Hello localHello() {
            return Hello.of(0x1111L, wall, 65_536, 30_000, "127.0.0.1:9000", List.of());
        }

        @Override
        public Collection<ReplicatedZone<?>> zones() {
            return List.of();
        }

        @Override
        public StampSource clock() {
            return new StampSource() {
                @Override
                public Stamp next() {
                    return new Stamp(Stamp.hlc(wall, 0), 0x1111L);
                }

                @Override
                public void observe(Stamp remote) {
                }
            };
        }

        @Override
        public long nowMillis() {
            return wall;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public HelloVerdict helloReceived(PeerLink link, Hello peer) {
            return HelloVerdict.ACCEPT;
        }

        @Override
        public void linkOnline(PeerLink link) {
            events.add("online");
        }

        @Override
        public void linkClosed(PeerLink link) {
            events.add("closed");
        }

        @Override
        public void refusedByPeer(PeerLink link, String why) {
        }

        @Override
        public boolean firstClash(long peerNodeId, String zone) {
            return true;
        }

        @Override
        public ZoneDigests digests() {
            return new ZoneDigests();
        }

        @Override
        public ResumeMarks resumeMarks() {
            return new ResumeMarks();
        }

        @Override
        public void countFrame(boolean inbound, int bytes) {
        }
    }

    private final FakeHost host = new FakeHost();
    private final PeerLink link = new PeerLink(host, true, new LinkSettings(65_536, 1000, 30_000, 5000, 0));
    private final EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
    });

    private void connect() {
        ch.pipeline().addLast(PeerLink.IDLE_HANDLER, new ChannelInboundHandlerAdapter());
        ch.pipeline().addLast(link);
        ch.pipeline().fireChannelActive();
        assertThat((Object) ch.readOutbound()).isInstanceOf(Hello.class);
    }

    private static Hello peerHello(int flags) {
        return new Hello(Protocol.VERSION, PEER, 1_767_225_600_000L, 65_536, 30_000, "127.0.0.2:9000", List.of(),
                flags);
    }

    private List<Object> sent() {
        List<Object> out = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            out.add(o);
        }
        return out;
    }

    @Test
    void theFirstPingGoesOutWhenTheLinkComesOnlineAndItsPongGivesTheRoundTrip() {
        connect();
        assertThat(link.rttNanos()).isEqualTo(-1);
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        assertThat(sent()).containsExactly(new Ping(1));

        host.nanos += 1_250_000;
        ch.writeInbound(new Pong(1));
        assertThat(link.rttNanos()).isEqualTo(1_250_000);
    }

    @Test
    void aPongThatAnswersNoPingAwaitingIsIgnored() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        sent();
        host.nanos += 7_000_000;
        ch.writeInbound(new Pong(42));
        assertThat(link.rttNanos()).isEqualTo(-1);
        ch.writeInbound(new Pong(1));
        assertThat(link.rttNanos()).isEqualTo(7_000_000);
        host.nanos += 1_000_000;
        ch.writeInbound(new Pong(1)); // answered already: a repeat must not move the figure
        assertThat(link.rttNanos()).isEqualTo(7_000_000);
    }

    @Test
    void eachHeartbeatIsAPingWhoseRoundTripReplacesTheLast() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        sent();
        ch.writeInbound(new Pong(1));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(sent()).containsExactly(new Ping(2));
        host.nanos += 300_000;
        ch.writeInbound(new Pong(2));
        assertThat(link.rttNanos()).isEqualTo(300_000);
    }

    @Test
    void aPeerThatDoesNotTakePingsGetsPlainHeartbeatsAndHasNoRoundTrip() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAG_DIGESTS));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
        assertThat(sent()).containsExactly(Heartbeat.INSTANCE);
        assertThat(link.rttNanos()).isEqualTo(-1);
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsToken() {
        connect();
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        sent();
        ch.writeInbound(new Ping(0x0123_4567_89AB_CDEFL));
        assertThat(sent()).containsExactly(new Pong(0x0123_4567_89AB_CDEFL));
    }

    @Test
    void stateSinceAndLastSeenFollowTheHostClock() {
        long created = host.wall;
        connect();
        assertThat(link.stateSince()).isEqualTo(created);
        assertThat(link.lastReadAt()).isZero();

        host.wall += 2000;
        ch.writeInbound(peerHello(Protocol.HELLO_FLAGS));
        assertThat(link.state().online()).isTrue();
        assertThat(link.stateSince()).isEqualTo(created + 2000);
        assertThat(link.lastReadAt()).isEqualTo(created + 2000);

        host.wall += 3000;
        ch.writeInbound(Heartbeat.INSTANCE);
        assertThat(link.lastReadAt()).isEqualTo(created + 5000);
        assertThat(link.stateSince()).as("a heartbeat does not change the state").isEqualTo(created + 2000);

        host.wall += 4000;
        ch.close();
        assertThat(link.state()).isEqualTo(LinkState.CLOSED);
        assertThat(link.stateSince()).isEqualTo(created + 9000);
        assertThat(link.lastReadAt()).isEqualTo(created + 5000);
        assertThat(host.events).containsExactly("online", "closed");
    }
}
