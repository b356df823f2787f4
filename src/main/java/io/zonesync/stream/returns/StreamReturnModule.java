package io.zonesync.stream.returns;

import io.netty.buffer.Unpooled;
import io.zonesync.config.Arity;
import io.zonesync.config.ConfModule;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Context;
import io.zonesync.config.Directive;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.DirectiveSpec;
import io.zonesync.stream.core.StreamCompile;
import io.zonesync.stream.core.StreamFeature;
import io.zonesync.stream.core.StreamServer;
import io.zonesync.stream.core.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * nginx's stream return module: {@code return VALUE} sends the value (variables evaluated) to the
 * client (over UDP, as one datagram) and ends the session, with status 200.
 */
public final class StreamReturnModule implements ConfModule, StreamFeature {
    @Override
    public List<String> nginxModules() {
        return List.of("ngx_stream_return_module");
    }

    @Override
    public void registerDirectives(DirectiveRegistry r) {
        r.register(DirectiveSpec.single("return", Arity.exactly(1), Context.STREAM_SERVER));
    }

    @Override
    public void configureServer(StreamCompile stream, StreamServer.Builder server) throws ConfigException {
        Directive d = server.conf().scope().block().first("return");
        if (d == null) {
            return;
        }
        StreamValue value = StreamValue.compile(d.arg(0), stream.variables(), d.where());
        server.content(session -> {
            byte[] bytes = value.evaluate(session).getBytes(StandardCharsets.ISO_8859_1);
            session.send(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
                if (f.isSuccess()) {
                    session.addSent(bytes.length);
                }
                session.finish(200);
            });
        }, d);
    }
}
