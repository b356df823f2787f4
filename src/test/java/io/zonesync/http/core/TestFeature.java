package io.zonesync.http.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.http.vars.AttributeKey;
import io.zonesync.http.vars.ComplexValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A feature as another package would write one: its directives, a variable defined from the http
 * block, content handlers in each body mode, and access handlers that answer now or later.
 */
final class TestFeature implements ConfModule, HttpFeature {
    /** Exchanges parked by the {@code park} handler, answered by the test. */
    final BlockingQueue<HttpExchange> parked = new LinkedBlockingQueue<>();
    /** Decisions the {@code decide_later} access handler waits on. */
    final BlockingQueue<CompletableFuture<AccessDecision>> pendingDecisions = new LinkedBlockingQueue<>();

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("test_var", Arity.exactly(2), Context.HTTP));
        r.register(DirectiveSpec.single("echo_body", Arity.NONE, Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single("count_stream", Arity.NONE, Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single("park", Arity.exactly(1), Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single("deny_with", Arity.exactly(1), Context.HTTP_SERVER, Context.HTTP_LOCATION));
        r.register(DirectiveSpec.single("decide_later", Arity.NONE, Context.HTTP_LOCATION));
    }

    @Override
    public void configureHttp(CompileScope http) throws ConfigException {
        Directive d = http.scope().block().first("test_var");
        if (d != null) {
            if (http.variables().isDefined(d.arg(0))) {
                throw d.error("variable \"%s\" is already defined", d.arg(0));
            }
            ComplexValue value = http.compile(d, d.arg(1));
            http.variables().define(d.arg(0), value::evaluate);
        }
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) {
        if (location.scope().block().has("echo_body")) {
            return ex -> ex.respond(200, "text/plain",
                    ex.body().readableBytes() + ":" + ex.body().toString(StandardCharsets.UTF_8));
        }
        if (location.scope().block().has("count_stream")) {
            return new StreamCounter();
        }
        Directive park = location.scope().block().first("park");
        if (park != null) {
            String answer = park.arg(0);
            return new ContentHandler() {
                @Override
                public BodyMode bodyMode() {
                    return BodyMode.DISCARD;
                }

                @Override
                public void handle(HttpExchange ex) {
                    ex.setAttribute(ANSWER, answer);
                    parked.add(ex);
                }
            };
        }
        return null;
    }

    static final AttributeKey<String> ANSWER = AttributeKey.named("answer");

    @Override
    public List<AccessHandler> accessHandlers(CompileScope location) {
        Directive deny = location.scope().effectiveFirst("deny_with");
        Directive later = location.scope().block().first("decide_later");
        List<AccessHandler> out = new ArrayList<>();
        if (later != null) {
            out.add(ex -> {
                CompletableFuture<AccessDecision> f = new CompletableFuture<>();
                pendingDecisions.add(f);
                return AccessDecision.later(f);
            });
        }
        if (deny != null) {
            int status = Integer.parseInt(deny.arg(0));
            out.add(new AccessHandler() {
                @Override
                public Phase phase() {
                    return Phase.PREACCESS;
                }

                @Override
                public AccessDecision check(HttpExchange ex) {
                    return ex.header("x-let-me-in") != null ? AccessDecision.proceed() : AccessDecision.respond(status);
                }
            });
        }
        return out;
    }

    /** Streams the body, pausing after every piece and resuming on the next loop turn. */
    private static final class StreamCounter implements ContentHandler {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.STREAM;
        }

        @Override
        public void handle(HttpExchange ex) {
            long[] total = new long[2];
            ex.requestBody().subscribe(new BodyReceiver() {
                @Override
                public void onData(ByteBuf chunk) {
                    total[0] += chunk.readableBytes();
                    total[1]++;
                    chunk.release();
                    ex.requestBody().pause();
                    ex.eventLoop().execute(ex.requestBody()::resume);
                }

                @Override
                public void onEnd() {
                    ResponseStream out = ex.startResponse(200, null);
                    out.write(Unpooled.copiedBuffer("bytes=" + total[0], StandardCharsets.US_ASCII));
                    out.write(Unpooled.copiedBuffer(" pieces>0=" + (total[1] > 0), StandardCharsets.US_ASCII));
                    out.end();
                }

                @Override
                public void onError(Throwable cause) {
                    // the server answers 413 itself
                }
            });
        }
    }
}
