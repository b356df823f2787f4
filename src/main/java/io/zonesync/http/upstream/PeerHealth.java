package io.zonesync.http.upstream;

/**
 * What active health checks ({@code health_check}) know of one server, and how a check's verdict
 * moves it: {@code fails} failed checks in a row make a healthy server unhealthy, {@code passes}
 * passed ones in a row make an unhealthy one healthy again; a server {@code checking} (NGINX Plus's
 * {@code mandatory}: never checked yet) is decided by its first check. An unhealthy or checking
 * server gets no requests. Immutable; a peer holds the latest one.
 *
 * @param checks checks made, for the API
 * @param fails checks failed, for the API
 * @param unhealthyTimes how many times the server became unhealthy, for the API
 * @param lastPassed the verdict of the last check, or null before the first
 */
public record PeerHealth(boolean unhealthy, boolean checking, int failsInRow, int passesInRow, long checks,
        long fails, long unhealthyTimes, Boolean lastPassed) {

    /** A server never checked: healthy. */
    public static final PeerHealth UNCHECKED = new PeerHealth(false, false, 0, 0, 0, 0, 0, null);

    /** Whether the checks keep requests away from the server. */
    public boolean excludes() {
        return unhealthy || checking;
    }

    /** The state after one more check with verdict {@code passed}. */
    public PeerHealth after(boolean passed, int failsNeeded, int passesNeeded) {
        long checksNow = checks + 1;
        if (passed) {
            int row = passesInRow + 1;
            boolean healthy = checking || !unhealthy || row >= passesNeeded;
            return new PeerHealth(!healthy, false, 0, row, checksNow, fails, unhealthyTimes, true);
        }
        int row = failsInRow + 1;
        boolean becomes = !unhealthy && (checking || row >= failsNeeded);
        return new PeerHealth(unhealthy || becomes, false, row, 0, checksNow, fails + 1,
                unhealthyTimes + (becomes ? 1 : 0), false);
    }

    /**
     * The state after one more check with verdict {@code passed} when several checks decide
     * together (each keeps its own rows): {@code unhealthy} and {@code checking} are theirs combined.
     */
    public PeerHealth judged(boolean passed, boolean nowUnhealthy, boolean nowChecking) {
        boolean becomes = nowUnhealthy && !unhealthy;
        return new PeerHealth(nowUnhealthy, nowChecking, passed ? 0 : failsInRow + 1, passed ? passesInRow + 1 : 0,
                checks + 1, fails + (passed ? 0 : 1), unhealthyTimes + (becomes ? 1 : 0), passed);
    }

    /**
     * The state a server starts with under a (new) health check: checking when the check is
     * {@code mandatory}, except, with {@code persistent}, a server that was checked and healthy
     * before; healthy otherwise. The counters stay.
     */
    public PeerHealth restart(boolean mandatory, boolean persistent) {
        boolean keepUp = persistent && checks > 0 && !unhealthy && !checking;
        return new PeerHealth(false, mandatory && !keepUp, 0, 0, checks, fails, unhealthyTimes, lastPassed);
    }

    /**
     * The state after another node's check found the server {@code unhealthy} or not (a verdict
     * shared over zone_sync): as a deciding check of this node would leave it, the rows of passes
     * and fails restarting; this node's own counters stay. The same state again changes nothing.
     */
    public PeerHealth decided(boolean isUnhealthy) {
        if (!checking && unhealthy == isUnhealthy) {
            return this;
        }
        boolean becomes = isUnhealthy && !unhealthy;
        return new PeerHealth(isUnhealthy, false, 0, 0, checks, fails, unhealthyTimes + (becomes ? 1 : 0),
                lastPassed);
    }
}
