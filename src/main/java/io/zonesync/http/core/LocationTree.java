package io.zonesync.http.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The locations of one level (a server, or a location's nested ones), searched in nginx's order:
 * <ol>
 * <li>an exact ({@code =}) location equal to the URI ends the search;</li>
 * <li>the longest prefix location is remembered, and its nested locations are searched the same
 *     way (a nested regular expression that matches ends the search);</li>
 * <li>unless that longest prefix is {@code ^~}, this level's regular expressions are tried in
 *     configuration order; the first that matches wins (and its nested locations are searched);</li>
 * <li>otherwise the remembered prefix (or the deepest one found inside it) is used.</li>
 * </ol>
 * As in nginx, a {@code ^~} on a nested prefix stops the regular expressions of its own level only.
 * Immutable.
 */
public final class LocationTree {
    static final LocationTree EMPTY = new LocationTree(List.of());

    private final Map<String, Location> exact = new HashMap<>();
    private final List<Location> prefixes = new ArrayList<>();
    private final List<Location> regexes = new ArrayList<>();

    /** The result of a search: the location (null when none matched) and regex captures ($0..$9). */
    public record Match(Location location, Captures captures) {
    }

    LocationTree(List<Location> locations) {
        for (Location l : locations) {
            switch (l.kind()) {
                case EXACT -> exact.put(l.pattern(), l);
                case PREFIX, PREFIX_NO_REGEX -> prefixes.add(l);
                case REGEX, REGEX_CASELESS -> regexes.add(l);
                case NAMED -> {
                }
            }
        }
        prefixes.sort(Comparator.comparingInt((Location l) -> l.pattern().length()).reversed());
    }

    /** The location for a decoded, normalised URI. */
    public Match find(String uri) {
        Search s = new Search();
        s.find(this, uri);
        return new Match(s.location, s.captures);
    }

    private static final class Search {
        Location location;
        Captures captures;

        /** True when the search is over (exact or regex match), false when a prefix (or nothing) was found. */
        boolean find(LocationTree level, String uri) {
            Location e = level.exact.get(uri);
            if (e != null) {
                location = e;
                return true;
            }
            boolean noRegex = false;
            for (Location p : level.prefixes) {
                if (uri.startsWith(p.pattern())) {
                    location = p;
                    noRegex = p.kind() == Location.Kind.PREFIX_NO_REGEX;
                    if (find(p.nested(), uri)) {
                        return true;
                    }
                    break;
                }
            }
            if (noRegex) {
                return false;
            }
            for (Location r : level.regexes) {
                Matcher m = r.regex().matcher(uri);
                if (m.find()) {
                    location = r;
                    captures = r.regex().captures(m);
                    find(r.nested(), uri);
                    return true;
                }
            }
            return false;
        }
    }
}
