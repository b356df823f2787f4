package io.zonesync.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * nginx's error_log levels, from the most verbose to the most severe, and how they map onto SLF4J.
 *
 * <p>SLF4J has five levels and nginx eight, so the three that SLF4J lacks ride on a marker
 * ({@link LogMarkers}) of the nearest SLF4J level below them:
 * <table>
 * <caption>nginx level to SLF4J call</caption>
 * <tr><th>nginx</th><th>SLF4J call</th></tr>
 * <tr><td>debug</td><td>{@code log.debug(..)} (and {@code log.trace(..)})</td></tr>
 * <tr><td>info</td><td>{@code log.info(..)}</td></tr>
 * <tr><td>notice</td><td>{@code log.info(LogMarkers.NOTICE, ..)}</td></tr>
 * <tr><td>warn</td><td>{@code log.warn(..)}</td></tr>
 * <tr><td>error</td><td>{@code log.error(..)}</td></tr>
 * <tr><td>crit</td><td>{@code log.error(LogMarkers.CRIT, ..)}</td></tr>
 * <tr><td>alert</td><td>{@code log.error(LogMarkers.ALERT, ..)}</td></tr>
 * <tr><td>emerg</td><td>{@code log.error(LogMarkers.EMERG, ..)}</td></tr>
 * </table>
 * So {@code error_log x notice} writes notices but not plain infos, and {@code error_log x info}
 * writes both. Code that holds a level in a variable can call {@link #log}.
 */
public enum Severity {
    DEBUG("debug", Level.DEBUG, null),
    INFO("info", Level.INFO, null),
    NOTICE("notice", Level.INFO, LogMarkers.NOTICE),
    WARN("warn", Level.WARN, null),
    ERROR("error", Level.ERROR, null),
    CRIT("crit", Level.ERROR, LogMarkers.CRIT),
    ALERT("alert", Level.ERROR, LogMarkers.ALERT),
    EMERG("emerg", Level.ERROR, LogMarkers.EMERG);

    private final String label;
    private final Level logbackLevel;
    private final Marker marker;

    Severity(String label, Level logbackLevel, Marker marker) {
        this.label = label;
        this.logbackLevel = logbackLevel;
        this.marker = marker;
    }

    /** The name nginx uses, e.g. {@code notice}. */
    public String label() {
        return label;
    }

    /** The Logback level a logger must allow for this severity to get through. */
    public Level logbackLevel() {
        return logbackLevel;
    }

    /** Whether this is at least as severe as {@code other}. */
    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** The level named so (nginx's names, any case), or null. */
    /**
     * The level of a {@code limit_req_log_level}/{@code limit_conn_log_level}-like directive:
     * info, notice, warn or error, with nginx's error for anything else.
     */
    public static Severity limitLogLevel(Directive d) throws ConfigException {
        return switch (d.arg(0)) {
            case "info" -> INFO;
            case "notice" -> NOTICE;
            case "warn" -> WARN;
            case "error" -> ERROR;
            default -> throw d.error("invalid value \"%s\"", d.arg(0));
        };
    }

    public static Severity parse(String name) {
        for (Severity s : values()) {
            if (s.label.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    /** The nginx level of a Logback event, from its level and markers (see the class comment). */
    public static Severity of(ILoggingEvent event) {
        Level level = event.getLevel();
        List<Marker> markers = event.getMarkerList();
        if (level.isGreaterOrEqual(Level.ERROR)) {
            if (has(markers, LogMarkers.EMERG)) {
                return EMERG;
            }
            if (has(markers, LogMarkers.ALERT)) {
                return ALERT;
            }
            return has(markers, LogMarkers.CRIT) ? CRIT : ERROR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return WARN;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return has(markers, LogMarkers.NOTICE) ? NOTICE : INFO;
        }
        return DEBUG;
    }

    private static boolean has(List<Marker> markers, Marker wanted) {
        if (markers == null) {
            return false;
        }
        for (Marker m : markers) {
            if (m.contains(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Logs at this severity; {@code args} as in SLF4J (a trailing Throwable is the cause). */
    public void log(Logger logger, String format, Object... args) {
        switch (this) {
            case DEBUG -> logger.debug(format, args);
            case INFO -> logger.info(format, args);
            case NOTICE -> logger.info(marker, format, args);
            case WARN -> logger.warn(format, args);
            case ERROR -> logger.error(format, args);
            default -> logger.error(marker, format, args);
        }
    }

    /**
     * Logs at this severity on a request's error logs: {@code route} is its server's or location's
     * {@link ErrorLogRoute#marker()}, or null for the main logs.
     */
    public void log(Logger logger, Marker route, String format, Object... args) {
        if (route == null) {
            log(logger, format, args);
            return;
        }
        LoggingEventBuilder b = logger.atLevel(org.slf4j.event.Level.valueOf(logbackLevel.levelStr)).addMarker(route);
        if (marker != null) {
            b = b.addMarker(marker);
        }
        b.log(format, args);
    }

    @Override
    public String toString() {
        return label;
    }

    static String names() {
        StringBuilder sb = new StringBuilder();
        for (Severity s : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.label.toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }
}
