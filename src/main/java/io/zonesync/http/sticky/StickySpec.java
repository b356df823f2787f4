package io.zonesync.http.sticky;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code sticky} line as configured, checked with nginx's error messages (those nginx reports
 * as the directive's own read {@code "sticky" directive ...}). Variable names are kept as text
 * and resolved when the http block compiles.
 */
public sealed interface StickySpec permits StickySpec.Learn, StickySpec.Cookie, StickySpec.Route {

    /** nginx's minimum zone: 8 pages of 4 KiB. */
    long MIN_ZONE_BYTES = 8 * 4096;
    long DEFAULT_TIMEOUT_MS = 600_000;
    /** {@code expires=max}: nginx's far-future cookie. */
    long EXPIRES_MAX = -2;
    long EXPIRES_SESSION = -1;

    Directive directive();

    /** {@code sticky learn}: variable names without {@code $}. */
    record Learn(List<String> create, List<String> lookup, String zone, long sizeBytes, long timeoutMs,
            boolean header, boolean sync, String upstream, Directive directive) implements StickySpec {
    }

    /** {@code sticky cookie}; {@code expiresSeconds} is {@link #EXPIRES_SESSION} or {@link #EXPIRES_MAX} or seconds. */
    record Cookie(String name, long expiresSeconds, String domain, String path, boolean httpOnly, boolean secure,
            String sameSite, Directive directive) implements StickySpec {
    }

    /** {@code sticky route $a $b}: variable names without {@code $}. */
    record Route(List<String> variables, Directive directive) implements StickySpec {
    }

    static StickySpec parse(Directive d, String upstream) throws ConfigException {
        String method = d.arg(0);
        List<String> rest = d.args().subList(1, d.argCount());
        return switch (method) {
            case "learn" -> learn(d, rest, upstream);
            case "cookie" -> cookie(d, rest);
            case "route" -> route(d, rest);
            default -> throw d.error("unknown parameter \"%s\"", method);
        };
    }

    private static ConfigException own(Directive d, String message) {
        return d.error("\"%s\" directive %s", d.name(), message);
    }

    private static Learn learn(Directive d, List<String> args, String upstream) throws ConfigException {
        List<String> create = new ArrayList<>();
        List<String> lookup = new ArrayList<>();
        String zone = null;
        long size = 0;
        long timeout = -1;
        boolean header = false;
        boolean sync = false;
        for (String a : args) {
            String v;
            if ((v = Values.param(a, "zone")) != null) {
                if (size != 0) {
                    throw own(d, "duplicate zone");
                }
                int colon = v.indexOf(':');
                if (colon < 0) {
                    throw own(d, "zone size is not specified");
                }
                zone = v.substring(0, colon);
                if (zone.isEmpty()) {
                    throw own(d, "zone name is not specified");
                }
                size = sizeOf(d, v.substring(colon + 1));
                if (size <= 0) {
                    throw own(d, "invalid zone size");
                }
                if (size < MIN_ZONE_BYTES) {
                    throw own(d, "zone is too small");
                }
            } else if ((v = Values.param(a, "timeout")) != null) {
                if (timeout != -1) {
                    throw own(d, "duplicate timeout");
                }
                timeout = timeOf(d, v);
                if (timeout <= 0) {
                    throw own(d, "invalid timeout");
                }
            } else if ((v = Values.param(a, "create")) != null) {
                create.add(variable(d, v, "create"));
            } else if ((v = Values.param(a, "lookup")) != null) {
                lookup.add(variable(d, v, "lookup"));
            } else if (a.equals("header")) {
                header = true;
            } else if (a.equals("sync")) {
                sync = true;
            } else {
                throw d.error("unknown parameter \"%s\"", a);
            }
        }
        if (lookup.isEmpty()) {
            throw own(d, "\"lookup\" parameter is not specified");
        }
        if (create.isEmpty()) {
            throw own(d, "\"create\" parameter is not specified");
        }
        if (size == 0) {
            throw own(d, "\"zone\" parameter is not specified");
        }
        return new Learn(create, lookup, zone, size, timeout == -1 ? DEFAULT_TIMEOUT_MS : timeout, header, sync,
                upstream, d);
    }

    private static String variable(Directive d, String v, String param) throws ConfigException {
        if (v.length() < 2 || v.charAt(0) != '$') {
            throw own(d, "missing variable in the \"" + param + "\" parameter");
        }
        return v.substring(1);
    }

    private static Cookie cookie(Directive d, List<String> args) throws ConfigException {
        String name = args.get(0);
        if (name.isEmpty()) {
            throw own(d, "empty cookie name");
        }
        long expires = EXPIRES_SESSION;
        boolean expiresSet = false;
        String domain = null;
        String path = null;
        boolean httpOnly = false;
        boolean secure = false;
        String sameSite = null;
        for (String a : args.subList(1, args.size())) {
            String v;
            if ((v = Values.param(a, "domain")) != null) {
                if (domain != null) {
                    throw own(d, "parameter \"domain\" is duplicate");
                }
                if (v.isEmpty()) {
                    throw own(d, "no value for \"domain\"");
                }
                domain = v;
            } else if ((v = Values.param(a, "path")) != null) {
                if (path != null) {
                    throw own(d, "parameter \"path\" is duplicate");
                }
                if (v.isEmpty()) {
                    throw own(d, "no value for \"path\"");
                }
                path = v;
            } else if ((v = Values.param(a, "expires")) != null) {
                if (expiresSet) {
                    throw own(d, "parameter \"expires\" is duplicate");
                }
                expiresSet = true;
                if (v.equals("max")) {
                    expires = EXPIRES_MAX;
                } else {
                    long ms = timeOf(d, v);
                    if (ms < 0) {
                        throw own(d, "invalid \"expires\" parameter value");
                    }
                    expires = ms / 1000;
                }
            } else if (a.equals("httponly")) {
                if (httpOnly) {
                    throw own(d, "parameter \"httponly\" is duplicate");
                }
                httpOnly = true;
            } else if (a.equals("secure")) {
                if (secure) {
                    throw own(d, "parameter \"secure\" is duplicate");
                }
                secure = true;
            } else if ((v = Values.param(a, "samesite")) != null) {
                if (sameSite != null) {
                    throw own(d, "parameter \"samesite\" is duplicate");
                }
                if (v.indexOf('$') < 0 && !validSameSite(v)) {
                    throw own(d, "invalid \"samesite\" parameter value");
                }
                sameSite = v;
            } else {
                throw d.error("unknown parameter \"%s\"", a);
            }
        }
        return new Cookie(name, expires, domain, path, httpOnly, secure, sameSite, d);
    }

    static boolean validSameSite(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        return s.equals("strict") || s.equals("lax") || s.equals("none");
    }

    private static Route route(Directive d, List<String> args) throws ConfigException {
        List<String> vars = new ArrayList<>();
        for (String a : args) {
            if (a.length() < 2 || a.charAt(0) != '$') {
                throw d.error("invalid variable name \"%s\"", a);
            }
            vars.add(a.substring(1));
        }
        return new Route(vars, d);
    }

    /** The size in bytes, or -1 when the text is not one (the caller words the error). */
    private static long sizeOf(Directive d, String text) {
        try {
            return Values.size(d, text);
        } catch (ConfigException e) {
            return -1;
        }
    }

    /** The time in ms, or -1 when the text is not one (the caller words the error). */
    private static long timeOf(Directive d, String text) {
        try {
            return Values.timeMs(d, text);
        } catch (ConfigException e) {
            return -1;
        }
    }
}
