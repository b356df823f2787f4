package io.zonesync.http.ssi;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.zonesync.http.core.BodyOutput;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.Subrequest;
import io.zonesync.http.core.SubrequestResult;
import io.zonesync.http.vars.AttributeKey;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The processing of a body: commands, errors and the error message, includes in document order
 * whatever order their subrequests finish in, waiting, and the same output however the body is cut.
 */
class SsiProcessorTest {

    /** A request for {@code /dir/page.shtml} whose subrequests answer with their target, now or when told. */
    private static final class Fixture {
        final Map<AttributeKey<?>, Object> attributes = new HashMap<>();
        final Map<String, String> variables = new HashMap<>(Map.of("uri", "/dir/page.shtml", "arg_a", "a<b"));
        final ArrayDeque<Runnable> loop = new ArrayDeque<>();
        final List<Runnable> heldAnswers = new ArrayList<>();
        final List<String> targets = new ArrayList<>();
        boolean answerLater;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean ended;
        final HttpExchange ex = (HttpExchange) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpExchange.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "attribute" -> attributes.get(args[0]);
                    case "setAttribute" -> attributes.put((AttributeKey<?>) args[0], args[1]);
                    case "variable" -> variables.get((String) args[0]);
                    case "uri" -> "/dir/page.shtml";
                    case "requestUri" -> "/dir/page.shtml?a=1";
                    case "eventLoop" -> eventLoop();
                    case "errorLog" -> null;
                    case "errorContext" -> "";
                    case "subrequest" -> subrequest((Subrequest) args[0], (BodyOutput) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        private EventLoop eventLoop() {
            return (EventLoop) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventLoop.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("execute")) {
                            loop.add((Runnable) args[0]);
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }

        private CompletableFuture<SubrequestResult> subrequest(Subrequest r, BodyOutput out) {
            String target = r.uri() + (r.args() == null ? "" : "?" + r.args());
            targets.add(target);
            CompletableFuture<SubrequestResult> result = new CompletableFuture<>();
            int status = r.uri().contains("missing") ? 404 : 200;
            Runnable answer = () -> {
                result.complete(new SubrequestResult(status, new DefaultHttpHeaders(), null));
                if (!r.uri().contains("empty")) {
                    out.write(Unpooled.copiedBuffer("{" + target, StandardCharsets.UTF_8));
                    out.write(Unpooled.copiedBuffer("}", StandardCharsets.UTF_8));
                }
                out.end();
            };
            if (answerLater) {
                heldAnswers.add(answer);
            } else {
                answer.run();
            }
            return result;
        }

        SsiProcessor processor(boolean silent) {
            SsiProcessor p = new SsiProcessor(ex, silent, 255, 4096);
            p.open(new BodyOutput() {
                @Override
                public void write(ByteBuf piece) {
                    byte[] b = new byte[piece.readableBytes()];
                    piece.readBytes(b);
                    piece.release();
                    body.writeBytes(b);
                }

                @Override
                public void end() {
                    ended = true;
                }

                @Override
                public void abort() {
                    throw new AssertionError("aborted");
                }
            });
            return p;
        }

        void runLoop() {
            while (!loop.isEmpty()) {
                loop.poll().run();
            }
        }

        String output() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static String process(String page, int... cuts) {
        Fixture f = new Fixture();
        SsiProcessor p = f.processor(false);
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        for (int cut : cuts) {
            p.write(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        p.write(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        p.end();
        f.runLoop();
        assertThat(f.ended).isTrue();
        return f.output();
    }

    @Test
    void writesTheErrorMessageForMalformedAndFailedCommands() {
        String err = "[an error occurred while processing the directive]";
        assertThat(process("a<!--# echo var=\"x\" bad -->b<!--#nope -->c<!--# echo -->d"))
                .isEqualTo("a" + err + "b" + err + "c" + err + "d");
        assertThat(process("<!--# config errmsg=\"[x]\" --><!--# echo var=\"a\" var=\"b\" -->|<!--# else -->"))
                .isEqualTo("[x]|[x]");
        Fixture f = new Fixture();
        SsiProcessor p = f.processor(true);
        p.write(Unpooled.copiedBuffer("a<!--#nope -->b<!--# if expr=\"x ~ y\" -->c", StandardCharsets.UTF_8));
        p.end();
        assertThat(f.output()).isEqualTo("abc");
    }

    @Test
    void runsEchoSetIfAndBlocks() {
        assertThat(process("""
                <!--# set var="v" value="[$arg_a]" --><!--# echo var="v" -->|<!--# echo var="v" encoding="url" -->\
                |<!--# if expr="$arg_a = /^(a)<(?<rest>.)\\$/" -->$1=<!--# echo var="1" -->,<!--# echo var="rest" -->\
                <!--# else -->no<!--# endif -->|<!--# block name="s" -->stub<!--# echo var="v" --><!--# endblock -->\
                <!--# include virtual="missing" stub="s" -->"""))
                .isEqualTo("[a&lt;b]|[a%3Cb]|$1=a,b|stub<!--#echo var=\"v\" -->");
    }

    @Test
    void includesRelativeTargetsWithArgsInDocumentOrder() {
        Fixture f = new Fixture();
        f.answerLater = true;
        SsiProcessor p = f.processor(false);
        p.write(Unpooled.copiedBuffer("1<!--# include virtual=\"x.txt?q=1\" -->2<!--# include virtual=\"/y\" -->3",
                StandardCharsets.UTF_8));
        p.end();
        f.runLoop();
        assertThat(f.targets).containsExactly("/dir/x.txt?q=1", "/y");
        assertThat(f.output()).isEqualTo("1");
        f.heldAnswers.get(1).run();
        assertThat(f.output()).isEqualTo("1");
        assertThat(f.ended).isFalse();
        f.heldAnswers.get(0).run();
        assertThat(f.output()).isEqualTo("1{/dir/x.txt?q=1}2{/y}3");
        assertThat(f.ended).isTrue();
    }

    @Test
    void holdsTheRestOfThePageWhileAWaitedIncludeRuns() {
        Fixture f = new Fixture();
        f.answerLater = true;
        SsiProcessor p = f.processor(false);
        p.write(Unpooled.copiedBuffer("a<!--# include virtual=\"/v\" set=\"got\" -->[<!--# echo var=\"got\" -->]"
                + "<!--# include file=\"f\" -->b", StandardCharsets.UTF_8));
        p.end();
        assertThat(f.targets).containsExactly("/v");
        assertThat(f.output()).isEqualTo("a");
        f.heldAnswers.get(0).run();
        assertThat(f.targets).containsExactly("/v", "/dir/f");
        assertThat(f.output()).isEqualTo("a[{/v}]");
        f.heldAnswers.get(1).run();
        assertThat(f.output()).isEqualTo("a[{/v}]{/dir/f}b");
        assertThat(f.ended).isTrue();
    }

    @Test
    void pausesItsSourceWhileTooMuchWaitsBehindARunningInclude() {
        Fixture f = new Fixture();
        f.answerLater = true;
        SsiProcessor p = f.processor(false);
        p.write(Unpooled.copiedBuffer("<!--# include virtual=\"/slow\" -->", StandardCharsets.UTF_8));
        f.runLoop();
        String chunk = "t".repeat(SsiProcessor.HOLD_LIMIT / 2);
        p.write(Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8));
        assertThat(p.holdsBack()).isFalse();
        p.write(Unpooled.copiedBuffer(chunk + "t", StandardCharsets.UTF_8));
        assertThat(p.holdsBack()).isTrue();
        List<String> resumed = new ArrayList<>();
        p.whenFlowing(() -> resumed.add("go"));
        assertThat(resumed).isEmpty();
        f.heldAnswers.get(0).run();
        assertThat(resumed).containsExactly("go");
        assertThat(p.holdsBack()).isFalse();
        assertThat(f.output()).startsWith("{/slow}tt").hasSize(7 + SsiProcessor.HOLD_LIMIT + 1);
    }

    @Test
    void pausesItsSourceWhileTooMuchWaitsForAWaitedInclude() {
        Fixture f = new Fixture();
        f.answerLater = true;
        SsiProcessor p = f.processor(false);
        p.write(Unpooled.copiedBuffer("<!--# include file=\"/f\" -->", StandardCharsets.UTF_8));
        p.write(Unpooled.copiedBuffer("w".repeat(SsiProcessor.HOLD_LIMIT + 1), StandardCharsets.UTF_8));
        assertThat(p.holdsBack()).isTrue();
        f.heldAnswers.get(0).run();
        assertThat(p.holdsBack()).isFalse();
        assertThat(f.output()).startsWith("{/f}ww");
    }

    @Test
    void givesTheSameOutputHoweverThePageIsCut() {
        String page = """
                <h1><!--# echo var="uri" --></h1><<!--# set var="x" value="1\\"2" -->
                <!--# include virtual="/inc?a=$arg_a" --><!-- no --> <!--#bad param --> <!--# echo var="x" -->
                <!--# if expr="$x" -->yes<!--# elif expr="1" -->no<!--# else -->no<!--# endif -->
                <!--# block name="b" -->held<!--# endblock --><!--# include virtual="/missing" stub="b" -->
                <!--# include file="/empty" stub="b" -->end<!--""";
        String whole = process(page);
        assertThat(whole).contains("<h1>/dir/page.shtml</h1><", "{/inc?a=a<b}<!-- no -->", "1&quot;2\nyes\nheld\nheldend")
                .endsWith("end");
        int length = page.getBytes(StandardCharsets.UTF_8).length;
        for (int cut = 1; cut < length; cut++) {
            assertThat(process(page, cut)).as("cut at %d", cut).isEqualTo(whole);
            assertThat(process(page, cut / 2, cut)).as("cut at %d and %d", cut / 2, cut).isEqualTo(whole);
        }
    }
}
