package io.zonesync.sync.discovery;

import io.zonesync.net.dns.Scheduler;

/** Told when the set of cluster nodes found in DNS changes. */
@FunctionalInterface
public interface MembershipListener {
    /**
     * Called on the discovery's {@link Scheduler} thread, one call at a time, only when something
     * was added or removed.
     */
    void membershipChanged(MembershipChange change);
}
