package io.zonesync.http.dashboard;

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
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@code dashboard [API_URI]} does: the location answers the dashboard page, and with
 * {@code ?asset=NAME} the page's script and style and uPlot's, all from the jar. The page reads
 * the API at {@code API_URI} ({@value #DEFAULT_API} by default), the versioned prefix an
 * {@code api} location answers.
 */
public final class DashboardFeature implements HttpFeature {
    static final String DEFAULT_API = "/api/9";
    /** The other directives that make a location's content. */
    private static final List<String> OTHER_CONTENT = List.of("api", "metrics", "stub_status", "proxy_pass");

    @Override
    public ContentHandler contentHandler(CompileScope location) throws ConfigException {
        Directive d = location.scope().block().first("dashboard");
        if (d == null) {
            return null;
        }
        // A location has one content handler; rather than let one of them win unseen, refuse the pair.
        for (String other : OTHER_CONTENT) {
            if (location.scope().block().has(other)) {
                throw d.error("\"dashboard\" and \"%s\" cannot be in the same location", other);
            }
        }
        String api = d.argCount() == 0 ? DEFAULT_API : apiUri(d);
        return new Page(DashboardAssets.PAGE.replace(DashboardAssets.API_PLACEHOLDER, api));
    }

    /**
     * The argument, an absolute path without a trailing slash; it goes into the page as an HTML
     * attribute, so characters that would need escaping there are refused.
     */
    private static String apiUri(Directive d) throws ConfigException {
        String v = d.arg(0);
        if (!v.matches("/[A-Za-z0-9._~/-]*") || v.endsWith("/")) {
            throw d.error("invalid API URI \"%s\" in \"dashboard\": it must be an absolute path such as /api/9, without a trailing slash", v);
        }
        return v;
    }

    /** GET and HEAD only, as for any static page; an unknown asset is 404. */
    private static final class Page implements ContentHandler {
        private final byte[] page;

        Page(String page) {
            this.page = page.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public BodyMode bodyMode() {
            return BodyMode.DISCARD;
        }

        @Override
        public void handle(HttpExchange ex) {
            if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
                ex.sendError(405);
                return;
            }
            String args = ex.args();
            if (args == null || args.isEmpty()) {
                send(ex, "text/html; charset=utf-8", page);
                return;
            }
            DashboardAssets.Asset asset = args.startsWith("asset=")
                    ? DashboardAssets.FILES.get(args.substring("asset=".length())) : null;
            if (asset == null) {
                ex.sendError(404);
                return;
            }
            send(ex, asset.contentType(), asset.bytes());
        }

        private static void send(HttpExchange ex, String contentType, byte[] body) {
            HttpHeaders headers = new DefaultHttpHeaders();
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            ex.respond(200, headers, Unpooled.wrappedBuffer(body));
        }
    }
}
