package io.zonesync.http.upstream;

import java.util.List;

/**
 * Active health checks of one upstream group ({@code health_check}), as the group and its zone
 * drive them: started when the group's configuration takes over its zone, told of every change of
 * the server list, stopped when a newer configuration takes over or the zone goes.
 */
public interface HealthMonitor {

    /** Whether a server receives no requests until its first check passed ({@code mandatory}). */
    boolean mandatory();

    /** Whether servers healthy before a reload stay up after it ({@code persistent}). */
    boolean persistent();

    /** The group is in force: checks begin, for every server it has. */
    void start(UpstreamGroup group);

    /** The group's servers are now {@code peers}; called under the group's lock, must not block. */
    void peersChanged(List<Peer> peers);

    /** No more checks. */
    void stop();
}
