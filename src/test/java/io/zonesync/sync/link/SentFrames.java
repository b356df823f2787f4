package io.zonesync.sync.link;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.sync.proto.FrameDecoder;
import io.zonesync.sync.proto.FrameEncoder;
import io.zonesync.sync.proto.Hello;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What a link under test wrote to its EmbeddedChannel, with the RECORDS frames it encoded itself decoded. */
final class SentFrames {
    private SentFrames() {
    }

    /**
     * Reads everything {@code ch} has flushed: messages as they are, buffers (encoded frames) through
     * a decoder that has taken {@code peerHello} first, as a peer's would; each buffer is shown to
     * {@code eachBuffer} before it is decoded.
     */
    static List<Object> read(EmbeddedChannel ch, Hello peerHello, Consumer<ByteBuf> eachBuffer) {
        List<Object> out = new ArrayList<>();
        EmbeddedChannel decoder = new EmbeddedChannel(new FrameDecoder(65_536));
        EmbeddedChannel encoder = new EmbeddedChannel(new FrameEncoder());
        encoder.writeOutbound(peerHello); // a decoder takes a HELLO first
        decoder.writeInbound((ByteBuf) encoder.readOutbound());
        decoder.readInbound();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            if (o instanceof ByteBuf b) {
                eachBuffer.accept(b);
                decoder.writeInbound(b);
                out.add(decoder.readInbound());
            } else {
                out.add(o);
            }
        }
        return out;
    }
}
