package io.zonesync.http.rewrite;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.RewriteHandler;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import io.zonesync.log.Severity;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rewrite regex replacement [last|break|redirect|permanent]}, as nginx's: when the URI
 * matches, its captures become {@code $1}..., and the replacement is the new URI (the phases go
 * on, and the location is looked up again at their end), or with {@code last} the new URI at once,
 * with {@code break} the new URI in this location. A replacement starting with {@code http://},
 * {@code https://} or {@code $scheme}, or the flags {@code redirect} (302) and {@code permanent}
 * (301), answer with a redirect. Arguments in the replacement come first and the request's follow
 * them; a replacement ending in {@code ?} drops the request's.
 */
record RewriteRule(NginxRegex regex, ComplexValue replacement, Flag flag, boolean absoluteTarget, boolean log)
        implements RewriteHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RewriteRule.class);

    enum Flag { NONE, LAST, BREAK, REDIRECT, PERMANENT }

    /** @param log {@code rewrite_log}: whether matches and results go to the error log at notice */
    static RewriteRule compile(Directive d, VariableRegistry variables, boolean log) throws ConfigException {
        NginxRegex regex;
        try {
            regex = NginxRegex.compile(d.arg(0), false);
        } catch (PatternSyntaxException e) {
            throw d.error("pcre_compile() failed: %s in \"%s\"", e.getDescription(), d.arg(0));
        }
        regex.declareNames(d, variables);
        Flag flag = Flag.NONE;
        if (d.argCount() == 3) {
            flag = switch (d.arg(2)) {
                case "last" -> Flag.LAST;
                case "break" -> Flag.BREAK;
                case "redirect" -> Flag.REDIRECT;
                case "permanent" -> Flag.PERMANENT;
                default -> throw d.error("invalid parameter \"%s\"", d.arg(2));
            };
        }
        String text = d.arg(1);
        boolean absolute = text.startsWith("http://") || text.startsWith("https://") || text.startsWith("$scheme");
        return new RewriteRule(regex, ComplexValue.compile(text, variables, d.where()), flag, absolute, log);
    }

    @Override
    public Outcome rewrite(HttpExchange ex) {
        Matcher m = regex.matcher(ex.uri());
        if (!m.find()) {
            if (log) {
                Severity.NOTICE.log(LOG, ex.errorLog(), "\"{}\" does not match \"{}\", client: {}, request: \"{} {}\"",
                        regex,
                        ex.uri(), client(ex), ex.method(), ex.requestUri());
            }
            return Outcome.NEXT;
        }
        if (log) {
            Severity.NOTICE.log(LOG, ex.errorLog(), "\"{}\" matches \"{}\", client: {}, request: \"{} {}\"",
                    regex, ex.uri(),
                    client(ex), ex.method(), ex.requestUri());
        }
        ex.captures(regex.captures(m));
        String target = replacement.evaluate(ex);
        boolean keepArgs = !target.endsWith("?");
        if (!keepArgs) {
            target = target.substring(0, target.length() - 1);
        }
        int q = target.indexOf('?');
        String path = q >= 0 ? target.substring(0, q) : target;
        String newArgs = q >= 0 ? target.substring(q + 1) : null;
        String oldArgs = ex.args();
        if (keepArgs && oldArgs != null && !oldArgs.isEmpty()) {
            newArgs = newArgs == null ? oldArgs : newArgs + "&" + oldArgs;
        }
        if (absoluteTarget || flag == Flag.REDIRECT || flag == Flag.PERMANENT) {
            ex.sendRedirect(flag == Flag.PERMANENT ? 301 : 302, newArgs == null ? path : path + "?" + newArgs);
            return Outcome.ANSWERED;
        }
        if (log) {
            Severity.NOTICE.log(LOG, ex.errorLog(), "rewritten data: \"{}\", args: \"{}\", client: {}", path,
                    newArgs == null ? "" : newArgs, client(ex));
        }
        ex.rewriteUri(path, newArgs);
        return switch (flag) {
            case LAST -> Outcome.LAST;
            case BREAK -> Outcome.BREAK;
            default -> Outcome.NEXT;
        };
    }

    private static String client(HttpExchange ex) {
        return String.valueOf(ex.remoteAddress()).replaceFirst("^/", "");
    }
}
