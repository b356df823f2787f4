package io.zonesync.http.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.CoreVariables;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What {@code api [write=on|off]} does: a location that answers the NGINX Plus API. The path
 * the API sees is the request's URI after the location's prefix ({@code location /api} and
 * {@code /api/9/nginx} give {@code /9/nginx}). Requests are handled off the event loop, because a
 * write to a zone with a state file waits for the disk, and a report may be long to build; a write
 * to a keyval zone without a state file ({@link ApiHandler#mayBlock}) is answered on the event loop
 * that read it, sparing it two thread hand-overs that cost more than the write.
 */
public final class ApiFeature implements HttpFeature {
    private final ApiHandler handler;
    private final Executor executor;

    /** @param executor where API requests run (a write may fsync a state file) */
    public ApiFeature(ApiHandler handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    /** The node state behind this API, for the reports that show the same figures (metrics). */
    public ApiState state() {
        return handler.state();
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) throws ConfigException {
        Directive api = location.scope().block().first("api");
        if (api == null) {
            return null;
        }
        boolean write = false;
        if (api.argCount() == 1) {
            String v = Values.param(api.arg(0), "write");
            if (v == null) {
                throw api.error("invalid parameter \"%s\"", api.arg(0));
            }
            if (!v.equals("on") && !v.equals("off")) {
                throw api.error("invalid value \"%s\" in \"write\" parameter, it must be \"on\" or \"off\"", v);
            }
            write = v.equals("on");
        }
        // As in NGINX Plus, the API takes a body that fits the location's client_body_buffer_size.
        Directive buffer = location.scope().effectiveFirst("client_body_buffer_size");
        long limit = buffer == null ? 0 : Values.size(buffer, buffer.arg(0));
        if (limit > Integer.MAX_VALUE) {
            throw buffer.invalidValue(buffer.arg(0));
        }
        return new Handler(prefixOf(location.locationDirective()), write, (int) limit);
    }

    /** The literal prefix of a prefix or exact location, "" for a regex one (the whole URI is the path). */
    private static String prefixOf(Directive location) {
        if (location == null || location.argCount() == 0) {
            return "";
        }
        if (location.argCount() == 1) {
            return location.arg(0);
        }
        String modifier = location.arg(0);
        return modifier.equals("=") || modifier.equals("^~") ? location.arg(1) : "";
    }

    private final class Handler implements ContentHandler {
        private final String prefix;
        private final boolean write;
        private final int bodyLimit;

        Handler(String prefix, boolean write, int bodyLimit) {
            this.prefix = prefix;
            this.write = write;
            this.bodyLimit = bodyLimit;
        }

        @Override
        public void handle(HttpExchange ex) {
            String uri = ex.uri();
            String path = !prefix.isEmpty() && uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
            ByteBuf body = ex.body();
            byte[] bytes = body == null ? new byte[0] : ByteBufUtil.getBytes(body);
            ApiRequest request = new ApiRequest(ex.method(), path, ex.args(), bytes, ex.requestId(), write, bodyLimit,
                    CoreVariables.addressText(ex.localAddress()));
            if (!handler.mayBlock(request)) {
                send(ex, handler.handle(request));
                return;
            }
            try {
                executor.execute(() -> {
                    ApiResponse response = handler.handle(request);
                    ex.eventLoop().execute(() -> send(ex, response));
                });
            } catch (RejectedExecutionException e) {
                ex.sendError(503);
            }
        }

        private void send(HttpExchange ex, ApiResponse response) {
            HttpHeaders headers = new DefaultHttpHeaders();
            for (Map.Entry<String, String> h : response.headers().entrySet()) {
                headers.set(h.getKey(), h.getValue());
            }
            ex.respond(response.status(), headers, Unpooled.wrappedBuffer(response.body()));
        }
    }
}
