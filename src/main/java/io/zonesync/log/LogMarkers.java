package io.zonesync.log;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The SLF4J markers that carry nginx's levels SLF4J does not have; see {@link Severity} for the
 * whole mapping. Example: {@code log.info(LogMarkers.NOTICE, "reconfiguring")}.
 */
public final class LogMarkers {
    /** Normal but significant (nginx's notice): on INFO. */
    public static final Marker NOTICE = MarkerFactory.getMarker("NOTICE");
    /** Critical conditions: on ERROR. */
    public static final Marker CRIT = MarkerFactory.getMarker("CRIT");
    /** Action must be taken immediately: on ERROR. */
    public static final Marker ALERT = MarkerFactory.getMarker("ALERT");
    /** The node cannot go on (a bad configuration, a failed start): on ERROR. */
    public static final Marker EMERG = MarkerFactory.getMarker("EMERG");

    private LogMarkers() {
    }
}
