package io.zonesync.http.proxy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.CompileScope;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.vars.ComplexValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code proxy_cookie_domain}, {@code proxy_cookie_path} and {@code proxy_cookie_flags}: how each
 * {@code Set-Cookie} of an upstream response is changed on its way to the client, as nginx does.
 * The header is cut at {@code ;} into attributes (spaces around names and values trimmed); one
 * whose first part has no {@code =} is left alone. Each Domain and Path attribute is rewritten by
 * the first matching rule; the flags of the first rule whose cookie name matches (exactly and
 * case-insensitively, or by a caseless regular expression) add, replace or remove Secure,
 * HttpOnly and SameSite. A changed header is written back as {@code name=value; attr; ...};
 * an unchanged one keeps its spelling.
 */
record CookieRewrite(List<ValueRewrite> domains, List<ValueRewrite> paths, List<FlagRule> flags) {
    static final int SECURE_ON = 1, SECURE_OFF = 2, HTTPONLY_ON = 4, HTTPONLY_OFF = 8, STRICT = 16, LAX = 32,
            NONE = 64, SAMESITE_OFF = 128;

    private static final List<String> FLAG_NAMES = List.of("secure", "nosecure", "httponly", "nohttponly",
            "samesite=strict", "samesite=lax", "samesite=none", "nosamesite");

    /** One {@code proxy_cookie_flags}: the cookie (a name or a regular expression) and its flags. */
    record FlagRule(ComplexValue name, NginxRegex regex, List<ComplexValue> flags) {
        boolean matches(String cookie, HttpExchange ex) {
            if (regex != null) {
                var m = regex.matcher(cookie);
                if (!m.find()) {
                    return false;
                }
                ex.captures(regex.captures(m));
                return true;
            }
            return cookie.equalsIgnoreCase(name.evaluate(ex));
        }
    }

    boolean isEmpty() {
        return domains.isEmpty() && paths.isEmpty() && flags.isEmpty();
    }

    static CookieRewrite compile(CompileScope cs) throws ConfigException {
        List<ValueRewrite> domains = new ArrayList<>();
        for (Directive d : rules(cs, "proxy_cookie_domain")) {
            domains.add(ValueRewrite.compile(cs, d, true));
        }
        List<ValueRewrite> paths = new ArrayList<>();
        for (Directive d : rules(cs, "proxy_cookie_path")) {
            paths.add(ValueRewrite.compile(cs, d, false));
        }
        List<FlagRule> flags = new ArrayList<>();
        for (Directive d : rules(cs, "proxy_cookie_flags")) {
            String cookie = d.arg(0);
            NginxRegex re = cookie.startsWith("~")
                    ? NginxRegex.compile(d, cookie.substring(1), true, cs.variables(), "")
                    : null;
            List<ComplexValue> values = new ArrayList<>();
            for (int i = 1; i < d.argCount(); i++) {
                values.add(cs.compile(d, d.arg(i)));
            }
            flags.add(new FlagRule(re == null ? cs.compile(d, cookie) : null, re, List.copyOf(values)));
        }
        return new CookieRewrite(List.copyOf(domains), List.copyOf(paths), List.copyOf(flags));
    }

    /**
     * The rules of one of the directives in force here: nginx's array rules, with {@code off}
     * alone on its level and a single argument other than {@code off} an error.
     */
    static List<Directive> rules(CompileScope cs, String name) throws ConfigException {
        List<Directive> level = cs.scope().effective(name);
        List<Directive> rules = new ArrayList<>();
        boolean off = false;
        for (Directive d : level) {
            if (d.argCount() == 1) {
                if (!d.arg(0).equals("off")) {
                    throw d.error("invalid parameter \"%s\"", d.arg(0));
                }
                if (off || !rules.isEmpty()) {
                    throw d.error("\"%s\" directive is duplicate", name);
                }
                off = true;
                continue;
            }
            if (off) {
                throw d.error("\"%s\" directive is duplicate", name);
            }
            rules.add(d);
        }
        return rules;
    }

    /** The Set-Cookie value to send, or null when no rule changed it. */
    String apply(String header, HttpExchange ex) {
        List<String[]> attrs = parse(header);
        if (attrs.get(0)[1] == null) {
            return null;
        }
        boolean changed = false;
        for (int i = 1; i < attrs.size(); i++) {
            String[] a = attrs.get(i);
            if (a[1] == null) {
                continue;
            }
            List<ValueRewrite> rules = a[0].equalsIgnoreCase("domain") ? domains
                    : a[0].equalsIgnoreCase("path") ? paths : List.of();
            String out = ValueRewrite.first(rules, a[1], 0, ex);
            if (out != null) {
                a[1] = out;
                changed = true;
            }
        }
        changed |= applyFlags(attrs, ex);
        if (!changed) {
            return null;
        }
        StringBuilder b = new StringBuilder(header.length() + 16);
        for (int i = 0; i < attrs.size(); i++) {
            String[] a = attrs.get(i);
            if (a[0] == null) {
                continue;
            }
            if (i > 0) {
                b.append("; ");
            }
            b.append(a[0]);
            if (a[1] != null) {
                b.append('=').append(a[1]);
            }
        }
        return b.toString();
    }

    private boolean applyFlags(List<String[]> attrs, HttpExchange ex) {
        String cookie = attrs.get(0)[0];
        FlagRule rule = null;
        for (FlagRule r : flags) {
            if (r.matches(cookie, ex)) {
                rule = r;
                break;
            }
        }
        if (rule == null) {
            return false;
        }
        int f = 0;
        for (ComplexValue v : rule.flags()) {
            String value = v.evaluate(ex);
            int at = value == null ? -1 : FLAG_NAMES.indexOf(value.toLowerCase(Locale.ROOT));
            if (at >= 0) {
                f |= 1 << at;
            }
        }
        if (f == 0) {
            return false;
        }
        for (int i = 1; i < attrs.size(); i++) {
            String[] a = attrs.get(i);
            if (a[0].equalsIgnoreCase("secure")) {
                if ((f & SECURE_ON) != 0) {
                    f &= ~SECURE_ON;
                } else if ((f & SECURE_OFF) != 0) {
                    a[0] = null;
                }
            } else if (a[0].equalsIgnoreCase("httponly")) {
                if ((f & HTTPONLY_ON) != 0) {
                    f &= ~HTTPONLY_ON;
                } else if ((f & HTTPONLY_OFF) != 0) {
                    a[0] = null;
                }
            } else if (a[0].equalsIgnoreCase("samesite")) {
                if ((f & (STRICT | LAX | NONE)) != 0) {
                    int bit = (f & STRICT) != 0 ? STRICT : (f & LAX) != 0 ? LAX : NONE;
                    f &= ~bit;
                    String want = bit == STRICT ? "Strict" : bit == LAX ? "Lax" : "None";
                    if (a[1] == null || !a[1].equalsIgnoreCase(want)) {
                        a[0] = "SameSite";
                        a[1] = want;
                    }
                } else if ((f & SAMESITE_OFF) != 0) {
                    a[0] = null;
                }
            }
        }
        if ((f & SECURE_ON) != 0) {
            attrs.add(new String[] {"Secure", null});
        }
        if ((f & HTTPONLY_ON) != 0) {
            attrs.add(new String[] {"HttpOnly", null});
        }
        if ((f & (STRICT | LAX | NONE)) != 0) {
            attrs.add(new String[] {"SameSite", (f & STRICT) != 0 ? "Strict" : (f & LAX) != 0 ? "Lax" : "None"});
        }
        return true;
    }

    /** {@code name[=value]} parts, {@code [name, value-or-null]}, spaces around both trimmed. */
    static List<String[]> parse(String header) {
        List<String[]> attrs = new ArrayList<>();
        int start = 0;
        while (true) {
            int semi = header.indexOf(';', start);
            int last = semi < 0 ? header.length() : semi;
            while (start < last && header.charAt(start) == ' ') {
                start++;
            }
            int eq = header.indexOf('=', start);
            int nameEnd = eq < 0 || eq > last ? last : eq;
            String name = trimEnd(header.substring(start, nameEnd));
            String value = null;
            if (nameEnd < last) {
                int v = nameEnd + 1;
                while (v < last && header.charAt(v) == ' ') {
                    v++;
                }
                value = trimEnd(header.substring(v, last));
            }
            attrs.add(new String[] {name, value});
            if (semi < 0) {
                return attrs;
            }
            start = semi + 1;
        }
    }

    private static String trimEnd(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == ' ') {
            e--;
        }
        return s.substring(0, e);
    }
}
