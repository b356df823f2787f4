package io.zonesync.http.sticky;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonesync.http.upstream.Peer;
import io.zonesync.http.upstream.StickyPolicy;
import io.zonesync.http.vars.RequestView;
import io.zonesync.http.vars.Variable;
import java.util.List;

/**
 * {@code sticky learn}: the request's session id is the first non-empty {@code lookup} variable;
 * a session bound to a usable server sends the request there. When the attempt succeeds (or, with
 * {@code header}, when its headers arrive) the first non-empty {@code create} variable makes or
 * re-binds a session; otherwise the request's own session is refreshed, and re-bound if it was
 * served elsewhere.
 */
final class LearnPolicy implements StickyPolicy {
    private final List<Variable> create;
    private final List<Variable> lookup;
    private final SessionZone zone;
    private final boolean header;

    LearnPolicy(List<Variable> create, List<Variable> lookup, SessionZone zone, boolean header) {
        this.create = create;
        this.lookup = lookup;
        this.zone = zone;
        this.header = header;
    }

    @Override
    public StickyRequest begin(RequestView request) {
        String id = StickyPolicies.firstNonEmpty(lookup, request);
        String hint = id == null ? null : zone.lookup(id);
        return new StickyRequest() {
            @Override
            public String hint() {
                return hint;
            }

            @Override
            public void onHeaders(Peer peer, HttpHeaders toClient) {
                if (header) {
                    learn(request, id, peer);
                }
            }

            @Override
            public void onComplete(Peer peer) {
                if (!header) {
                    learn(request, id, peer);
                }
            }
        };
    }

    private void learn(RequestView request, String id, Peer peer) {
        String created = StickyPolicies.firstNonEmpty(create, request);
        if (created != null) {
            zone.learn(created, peer.sid(), true);
        } else if (id != null) {
            zone.learn(id, peer.sid(), false);
        }
    }
}
