package io.zonesync.http.metrics;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.HttpFeature;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Answers the locations with {@code metrics}: a GET or HEAD gets {@link NodeMetrics}'s figures in the
 * format the client's {@code Accept} header asks for (the client library's negotiation: Prometheus
 * text by default, OpenMetrics text when asked); other methods get 405.
 */
public final class MetricsFeature implements HttpFeature {
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();
    /** The other directives that make a location's content. */
    private static final List<String> OTHER_CONTENT = List.of("api", "stub_status", "proxy_pass");

    private final NodeMetrics metrics;

    public MetricsFeature(NodeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) throws ConfigException {
        Directive metrics = location.scope().block().first("metrics");
        if (metrics == null) {
            return null;
        }
        // A location has one content handler; rather than let one of them win unseen, refuse the pair.
        for (String other : OTHER_CONTENT) {
            if (location.scope().block().has(other)) {
                throw metrics.error("\"metrics\" and \"%s\" cannot be in the same location", other);
            }
        }
        return new Page();
    }

    /** The bytes and content type of a scrape for a client sending {@code accept} (null: none). */
    Exposition expose(String accept) {
        ExpositionFormatWriter writer = FORMATS.findWriter(accept);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            writer.write(out, metrics.collect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(writer.getContentType(), out.toByteArray());
    }

    /** One scrape's answer. */
    record Exposition(String contentType, byte[] body) {
    }

    private final class Page implements ContentHandler {
        @Override
        public BodyMode bodyMode() {
            return BodyMode.DISCARD;
        }

        @Override
        public void handle(HttpExchange ex) {
            String method = ex.method();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.sendError(405);
                return;
            }
            Exposition e = expose(ex.requestHeaders().get(HttpHeaderNames.ACCEPT));
            HttpHeaders headers = new DefaultHttpHeaders();
            headers.set(HttpHeaderNames.CONTENT_TYPE, e.contentType());
            ex.respond(200, headers, Unpooled.wrappedBuffer(e.body()));
        }
    }
}
