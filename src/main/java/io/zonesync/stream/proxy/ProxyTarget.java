package io.zonesync.stream.proxy;

import io.zonesync.config.Directive;
import io.zonesync.http.upstream.HostPort;
import io.zonesync.net.ResolverConf;
import io.zonesync.net.dns.ResolverZones;
import io.zonesync.net.dns.RuntimeNames;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.upstream.StreamUpstreams;
import java.time.Clock;
import java.util.function.Consumer;

/** Where {@code proxy_pass} sends a session: a group fixed by the configuration, or one named by a variable. */
sealed interface ProxyTarget {

    /** The group for this session; throws when the value names no upstream and is no address. */
    StreamUpstreams.Group groupFor(StreamSession session) throws StreamUpstreams.BadTarget;

    /**
     * The group for this session to {@code chosen}, or why there is none (nginx's words) to
     * {@code failed}; at once, or, when a name is looked up, later on the session's event loop.
     */
    default void choose(StreamSession session, Consumer<StreamUpstreams.Group> chosen, Consumer<String> failed) {
        StreamUpstreams.Group g;
        try {
            g = groupFor(session);
        } catch (StreamUpstreams.BadTarget e) {
            failed.accept(e.getMessage());
            return;
        }
        chosen.accept(g);
    }

    record Fixed(StreamUpstreams.Group group) implements ProxyTarget {
        @Override
        public StreamUpstreams.Group groupFor(StreamSession session) {
            return group;
        }
    }

    /**
     * {@code proxy_pass $target}: an upstream of that name, else an {@code ip:port}, else a
     * {@code host:port} looked up through {@code resolver} (null without one) at run time, its
     * queries counted in the resolver's status zone among {@code resolvers}.
     */
    record Dynamic(StreamValue value, StreamUpstreams upstreams, Clock clock, Directive directive,
            ResolverConf resolver, ResolverZones resolvers) implements ProxyTarget {
        @Override
        public StreamUpstreams.Group groupFor(StreamSession session) throws StreamUpstreams.BadTarget {
            String name = value.evaluate(session);
            StreamUpstreams.Group g = upstreams.named(name);
            if (g != null) {
                return g;
            }
            if (name.isEmpty()) {
                throw new StreamUpstreams.BadTarget("empty proxy_pass target \"" + value + "\"");
            }
            return new StreamUpstreams.Group(StreamUpstreams.implicit(name, false, clock, directive.where()), null);
        }

        @Override
        public void choose(StreamSession session, Consumer<StreamUpstreams.Group> chosen, Consumer<String> failed) {
            String name = value.evaluate(session);
            HostPort hp = name.isEmpty() || upstreams.named(name) != null ? null : HostPort.parse(name, -1);
            if (resolver == null || hp == null || !hp.explicitPort() || StreamUpstreams.isAddress(hp.host())) {
                ProxyTarget.super.choose(session, chosen, failed);
                return;
            }
            RuntimeNames.resolve(resolver, resolvers, hp.host(), clock).whenComplete((r, error) ->
                    session.client().eventLoop().execute(() -> {
                        if (error != null || r.addresses().isEmpty()) {
                            failed.accept(hp.host() + " could not be resolved ("
                                    + (error != null ? error.getMessage() : r.failure()) + ")");
                        } else {
                            chosen.accept(new StreamUpstreams.Group(StreamUpstreams.resolved(name, r.addresses(),
                                    hp.port(), clock, directive.where()), null));
                        }
                    }));
        }
    }
}
