package io.zonesync.http.ssi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SSI grammar, and that a body cut anywhere parses as it does whole. */
class SsiParserTest {

    /** Text as {@code T(...)}, commands as {@code C(name k=v ...)}, malformed ones as {@code E}. */
    private static String parse(int valueLength, String... pieces) {
        SsiParser parser = new SsiParser(valueLength);
        StringBuilder out = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (String piece : pieces) {
            ByteBuf in = Unpooled.copiedBuffer(piece, StandardCharsets.UTF_8);
            while (in.isReadable()) {
                Object e = parser.next(in, b -> {
                    text.append(b.toString(StandardCharsets.UTF_8));
                    b.release();
                });
                if (e != null) {
                    flush(out, text);
                    out.append(e == SsiParser.MALFORMED ? "E" : command((SsiCommand) e));
                }
            }
            in.release();
        }
        parser.finish();
        flush(out, text);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder text) {
        if (text.length() > 0) {
            out.append("T(").append(text).append(')');
            text.setLength(0);
        }
    }

    private static String command(SsiCommand c) {
        StringBuilder b = new StringBuilder("C(").append(c.name());
        c.params().forEach(p -> b.append(' ').append(p.key()).append('=').append(p.value()));
        return b.append(')').toString();
    }

    private static String parse(String body) {
        return parse(255, body);
    }

    @Test
    void findsCommandsAndTheirParameters() {
        assertThat(parse("a<!--# echo var=\"x\" default='d y' -->b")).isEqualTo("T(a)C(echo var=x default=d y)T(b)");
        assertThat(parse("<!--#endif-->")).isEqualTo("C(endif)");
        assertThat(parse("<!--#\n\tinclude\r\n virtual = \"/a?b\"\n-->")).isEqualTo("C(include virtual=/a?b)");
        assertThat(parse("<!--# set var=\"v\" value=\"a\\\"b\\\\c\" -->")).isEqualTo("C(set var=v value=a\\\"b\\\\c)");
    }

    @Test
    void leavesWhatIsNotACommandAsText() {
        assertThat(parse("<p><!-- comment --> <<!--#x--> <!-x <!--y")).isEqualTo("T(<p><!-- comment --> <)C(x)T( <!-x <!--y)");
        assertThat(parse("a<b<!c<!-d<!--e")).isEqualTo("T(a<b<!c<!-d<!--e)");
    }

    @Test
    void dropsACommandOrAnOpeningTheBodyEndsIn() {
        assertThat(parse("abc<!-")).isEqualTo("T(abc)");
        assertThat(parse("abc<!--# echo var=\"x\"")).isEqualTo("T(abc)");
    }

    @Test
    void reportsMalformedCommandsAtTheirEnd() {
        assertThat(parse("<!--# echo var=\"a\" bad -->x")).isEqualTo("ET(x)");
        assertThat(parse("<!--# echo var -->x")).isEqualTo("ET(x)");
        assertThat(parse("<!--# echo var=x -->x")).isEqualTo("ET(x)");
        assertThat(parse("<!--# echo var=\"x\"--->y-->z")).isEqualTo("ET(z)");
        assertThat(parse("<!--# echo var=\"x\" -- >y-->z")).isEqualTo("ET(z)");
        assertThat(parse("<!--# echo var=\"x\"y -->z")).isEqualTo("ET(z)");
        assertThat(parse("<!--#" + "n".repeat(32) + " -->")).isEqualTo("C(" + "n".repeat(32) + ")");
        assertThat(parse("<!--#" + "n".repeat(33) + " -->")).isEqualTo("E");
        assertThat(parse("<!--#c " + "k".repeat(33) + "=\"v\" -->")).isEqualTo("E");
    }

    @Test
    void limitsValuesToTheValueLength() {
        assertThat(parse(4, "<!--#c k=\"abcd\" -->")).isEqualTo("C(c k=abcd)");
        assertThat(parse(4, "<!--#c k=\"abcde\" -->")).isEqualTo("E");
        assertThat(parse(4, "<!--#c k=\"ab\\c\" -->")).isEqualTo("C(c k=ab\\c)");
        assertThat(parse(4, "<!--#c k=\"abc\\d\" -->")).isEqualTo("E");
    }

    @Test
    void parsesABodyCutAtAnyOffsetAsItParsesItWhole() {
        String body = "<html><<!--# include virtual=\"/x?a=1\" wait='yes' --> text <!-- c --> <!-x"
                + "<!--# echo var=\"a\" bad -->middle<!--#if expr=\"$a = /^(b+)\\$/\" -->yes<!--#endif-->"
                + "<!--# set var=\"é\" value=\"ü\\\\\" -->end<!--";
        String whole = parse(body);
        assertThat(whole).contains("C(include virtual=/x?a=1 wait=yes)", "E", "C(set var=é value=ü\\\\)");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            for (int second = cut; second <= bytes.length; second += 7) {
                assertThat(parseBytes(bytes, cut, second)).as("cut at %d and %d", cut, second).isEqualTo(whole);
            }
        }
    }

    /** Parses the bytes in three pieces, cut at {@code a} and {@code b}. */
    private static String parseBytes(byte[] bytes, int a, int b) {
        SsiParser parser = new SsiParser(255);
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int[][] ranges = {{0, a}, {a, b}, {b, bytes.length}};
        for (int[] r : ranges) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, r[0], r[1] - r[0]);
            while (in.isReadable()) {
                Object e = parser.next(in, t -> {
                    byte[] x = new byte[t.readableBytes()];
                    t.readBytes(x);
                    text.writeBytes(x);
                    t.release();
                });
                if (e != null) {
                    flushBytes(out, text);
                    out.append(e == SsiParser.MALFORMED ? "E" : command((SsiCommand) e));
                }
            }
        }
        parser.finish();
        flushBytes(out, text);
        return out.toString();
    }

    private static void flushBytes(StringBuilder out, ByteArrayOutputStream text) {
        if (text.size() > 0) {
            out.append("T(").append(text.toString(StandardCharsets.UTF_8)).append(')');
            text.reset();
        }
    }
}
