package io.zonesync.http.core;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import java.util.Locale;
import io.zonesync.http.vars.VariableRegistry;
import java.util.regex.PatternSyntaxException;

/**
 * One name of a {@code server_name} directive, in nginx's four kinds: exact ({@code example.com},
 * also {@code ""} for requests without Host), leading wildcard ({@code *.example.com}; the short form
 * {@code .example.com} also matches {@code example.com} itself), trailing wildcard
 * ({@code www.example.*}) and regular expression ({@code ~^www\d+\.}, case-insensitive).
 */
public record ServerName(Kind kind, String text, String key, NginxRegex regex) {

    public enum Kind { EXACT, LEADING_WILDCARD, TRAILING_WILDCARD, REGEX }

    /** A name; a regular expression's named groups are declared in {@code variables}. */
    public static ServerName parse(Directive d, String raw, String hostname, VariableRegistry variables)
            throws ConfigException {
        if (raw.startsWith("~")) {
            NginxRegex re;
            try {
                re = NginxRegex.compile(raw.substring(1), true);
            } catch (PatternSyntaxException e) {
                throw d.error("invalid regex \"%s\" in \"server_name\": %s", raw.substring(1), e.getDescription());
            }
            re.declareNames(d, variables);
            return new ServerName(Kind.REGEX, raw, null, re);
        }
        String name = (raw.equals("$hostname") ? hostname : raw).toLowerCase(Locale.ROOT);
        int star = name.indexOf('*');
        if (name.startsWith("*.") && star == name.lastIndexOf('*') && name.length() > 2) {
            return new ServerName(Kind.LEADING_WILDCARD, raw, name.substring(1), null);
        }
        if (name.startsWith(".") && star < 0 && name.length() > 1) {
            return new ServerName(Kind.LEADING_WILDCARD, raw, name, null);
        }
        if (name.endsWith(".*") && star == name.length() - 1 && name.length() > 2) {
            return new ServerName(Kind.TRAILING_WILDCARD, raw, name.substring(0, name.length() - 1), null);
        }
        if (star >= 0) {
            throw d.error("invalid server name or wildcard \"%s\"", raw);
        }
        return new ServerName(Kind.EXACT, raw, name, null);
    }

    /** For a leading wildcard written {@code .example.com}: whether {@code example.com} matches too. */
    boolean matchesBareDomain() {
        return kind == Kind.LEADING_WILDCARD && text.startsWith(".");
    }
}
