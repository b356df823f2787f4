package io.zonesync.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The error logs of an http server or location ({@code error_log} below the main context), as
 * nginx keeps them apart: the requests served there log with {@link #marker()}, and the
 * {@link RoutedAppender} writes those lines to these logs, each at its own level, instead of to
 * the main ones. A route is named by its logs, so every configuration that names the same logs
 * shares one; routes live as long as the process (a handful of markers).
 */
public final class ErrorLogRoute {
    private static final String PREFIX = "error_log ";
    private static final Map<String, ErrorLogRoute> ROUTES = new ConcurrentHashMap<>();

    private final Marker marker;
    private final List<ErrorLogTarget> targets;

    private ErrorLogRoute(String name, List<ErrorLogTarget> targets) {
        this.marker = MarkerFactory.getDetachedMarker(name);
        this.targets = List.copyOf(targets);
    }

    /**
     * The route of a level's {@code error_log} directives; as nginx opens them when it reads the
     * configuration, a file that cannot be opened for appending is an error at its FILE:LINE.
     */
    public static ErrorLogRoute compile(List<Directive> errorLogs, Function<String, Path> resolve)
            throws ConfigException {
        List<ErrorLogTarget> targets = new ArrayList<>();
        for (Directive d : errorLogs) {
            ErrorLogTarget t = ErrorLogTarget.parse(d, resolve);
            t.probe(d);
            targets.add(t);
        }
        StringBuilder name = new StringBuilder(PREFIX);
        for (ErrorLogTarget t : targets) {
            name.append(t.describe()).append(' ').append(t.level().label()).append(';');
        }
        return ROUTES.computeIfAbsent(name.toString(), n -> new ErrorLogRoute(n, targets));
    }

    /** What the requests of this level log with. */
    public Marker marker() {
        return marker;
    }

    List<ErrorLogTarget> targets() {
        return targets;
    }

    /** The route an event was logged on, or null for the main logs. */
    static ErrorLogRoute of(ILoggingEvent event) {
        List<Marker> markers = event.getMarkerList();
        if (markers == null) {
            return null;
        }
        for (Marker m : markers) {
            if (m.getName().startsWith(PREFIX)) {
                ErrorLogRoute r = ROUTES.get(m.getName());
                if (r != null && r.marker == m) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The most verbose level any route records, or null without routes. */
    static Level finest() {
        Level finest = null;
        for (ErrorLogRoute r : ROUTES.values()) {
            for (ErrorLogTarget t : r.targets) {
                if (finest == null || !t.level().logbackLevel().isGreaterOrEqual(finest)) {
                    finest = t.level().logbackLevel();
                }
            }
        }
        return finest;
    }
}
