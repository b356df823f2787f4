package io.zonesync.http.rewrite;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.RewriteHandler;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;

/**
 * A compiled {@code return code [text|URL]} or {@code return URL}, with nginx's rules:
 * <ul>
 * <li>301, 302, 303, 307 and 308 take a URL: it becomes the Location header (made absolute when it
 *     starts with {@code /}) and the body is nginx's page for the code;</li>
 * <li>{@code return URL} alone (starting with {@code http://}, {@code https://} or {@code $scheme})
 *     is a 302;</li>
 * <li>other codes take a text sent as the body with the {@code default_type}; a code of 400 or
 *     more without text sends nginx's error page for it (or the {@code error_page} for it), a
 *     smaller one an empty body;</li>
 * <li>444 closes the connection without a response.</li>
 * </ul>
 */
public record ReturnAction(int code, ComplexValue text) implements RewriteHandler {

    public static ReturnAction compile(Directive d, VariableRegistry variables) throws ConfigException {
        String first = d.arg(0);
        int code = parseCode(first);
        if (d.argCount() == 1) {
            if (code >= 0) {
                return new ReturnAction(code, null);
            }
            if (first.startsWith("http://") || first.startsWith("https://") || first.startsWith("$scheme")) {
                return new ReturnAction(302, ComplexValue.compile(first, variables, d.where()));
            }
            throw d.error("invalid return code \"%s\"", first);
        }
        if (code < 0) {
            throw d.error("invalid return code \"%s\"", first);
        }
        return new ReturnAction(code, ComplexValue.compile(d.arg(1), variables, d.where()));
    }

    private static int parseCode(String s) {
        if (s.isEmpty() || s.length() > 3) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }

    @Override
    public Outcome rewrite(HttpExchange ex) {
        if (code == 444 || (text == null && code >= 400)) {
            ex.sendError(code);
            return Outcome.ANSWERED;
        }
        String value = text == null ? "" : text.evaluate(ex);
        if (isRedirect()) {
            ex.sendRedirect(code, value);
        } else {
            ex.respond(code, ex.location().defaultType(), value);
        }
        return Outcome.ANSWERED;
    }

    /** Whether the code's argument is a URL for the Location header. */
    public boolean isRedirect() {
        return isRedirect(code);
    }

    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
