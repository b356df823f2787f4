package io.zonesync.sync.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whatever bytes a peer sends, the decoder either yields messages that are valid (they encode
 * again within the limits and decode back equal) or closes the link with a ProtocolException that
 * is not a decoder bug; and no buffer leaks.
 *
 * <p>A plain {@code mvn test} runs this in regression mode over the seeds in
 * {@code src/test/resources/io/zonesync/sync/proto/FrameDecoderFuzzTestInputs/}; set
 * {@code JAZZER_FUZZ=1} to fuzz for real. The first input byte chooses how the rest is fed: bit 0
 * puts a valid HELLO in front (so mutations explore the frames after the handshake), bits 1 to 6
 * give the size of each read (1 to 64 bytes).
 */
class FrameDecoderFuzzTest {
    private static final int MAX_FRAME = 1024;
    private static final byte[] HELLO = Samples.helloBytes();

    /**
     * In regression mode Jazzer's hooks only serve its bug detectors (SQL injection, SSRF, ...),
     * which cannot fire in a frame decoder, and instrumenting all of Netty for them made the run take
     * 20 s instead of 2. When fuzzing, the same switch also turns off coverage feedback, so it stays
     * on. This runs before JUnit asks Jazzer for the inputs, which is when Jazzer reads its settings;
     * a {@code -Djazzer.hooks=...} on the command line still wins.
     */
    @BeforeAll
    static void withoutBugDetectorHooks() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty()) && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void decodesValidMessagesOrClosesTheLink(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int options = input[0] & 0xFF;
        byte[] stream = Arrays.copyOfRange(input, 1, input.length);
        if ((options & 1) != 0) {
            stream = Samples.concat(HELLO, stream);
        }
        int readSize = ((options >>> 1) & 63) + 1;

        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX_FRAME));
        List<ByteBuf> fed = new ArrayList<>();
        ProtocolException failure = null;
        for (int at = 0; at < stream.length && failure == null; at += readSize) {
            ByteBuf read = Unpooled.copiedBuffer(stream, at, Math.min(readSize, stream.length - at));
            fed.add(read);
            try {
                ch.writeInbound(read);
            } catch (ProtocolException e) {
                failure = e;
            }
        }

        if (failure != null) {
            assertThat(failure.code()).as("decoder bug: %s", failure).isNotEqualTo(AbortCode.INTERNAL);
            assertThat(failure.getMessage()).isNotBlank();
            assertThat(ch.isOpen()).isFalse();
        } else {
            assertThat(ch.isOpen()).isTrue();
        }
        for (Object o; (o = ch.readInbound()) != null; ) {
            assertValid((Message) o);
        }
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ((ByteBuf) o).release();
        }
        ch.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertThat(b.refCnt()).isZero();
        }
    }

    private static void assertValid(Message m) {
        int size = FrameWriter.encodedSize(m);
        int limit = m instanceof Hello ? Protocol.HELLO_MIN_LIMIT : MAX_FRAME;
        assertThat(size).isLessThanOrEqualTo(limit);
        ByteBuf again = FrameWriter.encode(UnpooledByteBufAllocator.DEFAULT, m);
        try {
            assertThat(again.readInt()).isEqualTo(size - Protocol.LENGTH_FIELD_BYTES);
            assertThat(again.readUnsignedByte()).isEqualTo((short) m.type().code());
            assertThat(MessageReader.read(m.type(), again)).isEqualTo(m);
        } finally {
            again.release();
        }
    }
}
