package io.zonesync.http.stubstatus;

import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.ContentHandler;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.HttpFeature;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.net.ConnectionStats;
import java.util.function.ToLongFunction;

/**
 * The stub_status page of a location with {@code stub_status}, in nginx's text layout, and the
 * {@code $connections_active}, {@code _reading}, {@code _writing}, {@code _waiting} variables,
 * all read from the node's {@link ConnectionStats}.
 */
public final class StubStatusFeature implements HttpFeature {
    private final ConnectionStats stats;

    public StubStatusFeature(ConnectionStats stats) {
        this.stats = stats;
    }

    @Override
    public void defineVariables(VariableRegistry r) {
        define(r, "active", ConnectionStats.Snapshot::active);
        define(r, "reading", ConnectionStats.Snapshot::reading);
        define(r, "writing", ConnectionStats.Snapshot::writing);
        define(r, "waiting", ConnectionStats.Snapshot::waiting);
    }

    private void define(VariableRegistry r, String name, ToLongFunction<ConnectionStats.Snapshot> figure) {
        r.define("connections_" + name, req -> Long.toString(figure.applyAsLong(stats.snapshot())));
    }

    @Override
    public ContentHandler contentHandler(CompileScope location) {
        return location.scope().block().has("stub_status") ? new Page() : null;
    }

    /** Answers GET and HEAD with the figures; other methods get 405, as in nginx. */
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
            ex.respond(200, "text/plain", render(stats.snapshot()));
        }
    }

    /** nginx's layout, trailing spaces included, which scripts parsing the page may rely on. */
    static String render(ConnectionStats.Snapshot s) {
        return "Active connections: " + s.active() + " \n"
                + "server accepts handled requests\n"
                + " " + s.accepted() + " " + s.handled() + " " + s.requests() + " \n"
                + "Reading: " + s.reading() + " Writing: " + s.writing() + " Waiting: " + s.waiting() + " \n";
    }
}
