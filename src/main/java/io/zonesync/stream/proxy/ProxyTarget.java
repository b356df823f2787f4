package io.zonesync.stream.proxy;

import io.zonesync.config.Directive;
import io.zonesync.stream.core.StreamSession;
import io.zonesync.stream.core.StreamValue;
import io.zonesync.stream.upstream.StreamUpstreams;
import java.time.Clock;

/** Where {@code proxy_pass} sends a session: a group fixed by the configuration, or one named by a variable. */
sealed interface ProxyTarget {

    /** The group for this session; throws when the value names no upstream and is no address. */
    StreamUpstreams.Group groupFor(StreamSession session) throws StreamUpstreams.BadTarget;

    record Fixed(StreamUpstreams.Group group) implements ProxyTarget {
        @Override
        public StreamUpstreams.Group groupFor(StreamSession session) {
            return group;
        }
    }

    /** {@code proxy_pass $target}: an upstream of that name, else an {@code ip:port}. */
    record Dynamic(StreamValue value, StreamUpstreams upstreams, Clock clock, Directive directive)
            implements ProxyTarget {
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
    }
}
