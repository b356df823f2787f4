package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import org.junit.jupiter.api.Test;

class LocationMatchingTest {

    private static String match(String locations, String uri) throws ConfigException {
        VirtualServer s = TestConfigs.firstServer(TestConfigs.compile(
                "http { access_log off; server { listen 127.0.0.1:0;\n" + locations + "\n} }"));
        Location l = s.locations().find(uri).location();
        return l == null ? "(server)" : l.toString();
    }

    @Test
    void exactBeatsEverythingAndOnlyMatchesTheWholeUri() throws ConfigException {
        String locs = "location = / {} location / {} location ~ / {}";
        assertThat(match(locs, "/")).isEqualTo("= /");
        assertThat(match(locs, "/a")).isEqualTo("~ /");
        assertThat(match("location = /a {} location / {}", "/a/")).isEqualTo("/");
    }

    @Test
    void longestPrefixWinsRegardlessOfOrder() throws ConfigException {
        String locs = "location /a {} location /a/b {} location /a/bc {}";
        assertThat(match(locs, "/a/bcd")).isEqualTo("/a/bc");
        assertThat(match(locs, "/a/bx")).isEqualTo("/a/b");
        assertThat(match(locs, "/ax")).isEqualTo("/a");
        assertThat(match(locs, "/b")).isEqualTo("(server)");
    }

    @Test
    void aMatchingRegexBeatsTheLongestPrefixUnlessItIsCaretTilde() throws ConfigException {
        assertThat(match("location /images/ {} location ~ \\.jpg$ {}", "/images/x.jpg")).isEqualTo("~ \\.jpg$");
        assertThat(match("location ^~ /images/ {} location ~ \\.jpg$ {}", "/images/x.jpg")).isEqualTo("^~ /images/");
        // a shorter ^~ does not protect against regexes when a longer plain prefix wins
        assertThat(match("location ^~ /i {} location /images/ {} location ~ \\.jpg$ {}", "/images/x.jpg"))
                .isEqualTo("~ \\.jpg$");
    }

    @Test
    void regexesAreTriedInConfigurationOrderAndTildeStarIgnoresCase() throws ConfigException {
        assertThat(match("location ~ /a {} location ~ /a/b {}", "/a/b")).isEqualTo("~ /a");
        assertThat(match("location ~ \\.PNG$ {} location / {}", "/x.png")).isEqualTo("/");
        assertThat(match("location ~* \\.PNG$ {} location / {}", "/x.png")).isEqualTo("~* \\.PNG$");
    }

    @Test
    void nestedLocationsAreSearchedInsideTheLongestPrefixFirst() throws ConfigException {
        String locs = "location /a { location ~ \\.php$ {} } location ~ \\.php$ {}";
        VirtualServer s = TestConfigs.firstServer(TestConfigs.compile(
                "http { access_log off; server { listen 127.0.0.1:0; " + locs + " } }"));
        Location nested = s.locations().find("/a/x.php").location();
        Location outer = s.locations().find("/b/x.php").location();
        assertThat(nested).isNotSameAs(outer);
        assertThat(nested.toString()).isEqualTo(outer.toString());
        assertThat(match(locs, "/a/x.html")).isEqualTo("/a");
    }

    @Test
    void aNestedCaretTildeStopsOnlyItsOwnLevelsRegexes() throws ConfigException {
        String locs = "location /a { location ^~ /a/b {} location ~ x$ { return 200 inner; } } location ~ x$ {}";
        VirtualServer s = TestConfigs.firstServer(TestConfigs.compile(
                "http { access_log off; server { listen 127.0.0.1:0; " + locs + " } }"));
        Location l = s.locations().find("/a/bx").location();
        assertThat(l.toString()).isEqualTo("~ x$");
        assertThat(l.config().rewriteHandlers()).isEmpty(); // the server-level regex, not the nested one
    }

    @Test
    void regexCapturesAreKept() throws ConfigException {
        VirtualServer s = TestConfigs.firstServer(TestConfigs.compile(
                "http { access_log off; server { listen 127.0.0.1:0; location ~ ^/u/(\\d+)/(\\w+)$ {} } }"));
        LocationTree.Match m = s.locations().find("/u/42/name");
        assertThat(m.captures().groups()).containsExactly("/u/42/name", "42", "name");
    }

    @Test
    void modifiersMayBeWrittenAgainstThePattern() throws ConfigException {
        assertThat(match("location =/x {} location / {}", "/x")).isEqualTo("= /x");
        assertThat(match("location ~*\\.GIF$ {}", "/a.gif")).isEqualTo("~* \\.GIF$");
        assertThat(match("location ^~/s {} location ~ s {}", "/s/s")).isEqualTo("^~ /s");
    }

    @Test
    void structuralErrorsReadLikeNginxs() {
        assertError("location /a {} location /a {}", "duplicate location \"/a\" in t.conf:2");
        assertError("location = /a {} location = /a {}", "duplicate location \"/a\" in t.conf:2");
        assertError("location /a { location /b {} }", "location \"/b\" is outside location \"/a\" in t.conf:2");
        assertError("location = /a { location /a/b {} }",
                "location \"/a/b\" cannot be inside the exact location \"/a\" in t.conf:2");
        assertError("location /a { location @n {} }", "named location \"@n\" can be on the server level only in t.conf:2");
        assertError("location @n { location /a {} }", "location \"/a\" cannot be inside the named location \"@n\" in t.conf:2");
        assertError("location !! /a {}", "invalid location modifier \"!!\" in t.conf:2");
        assertError("location ~ ( {}", "invalid regular expression \"(\" in location: Unclosed group in t.conf:2");
    }

    @Test
    void prefixAndExactOfTheSameUriMayCoexist() throws ConfigException {
        assertThat(match("location /a {} location = /a {} location ^~ /b {}", "/a")).isEqualTo("= /a");
        assertError("location /a {} location ^~ /a {}", "duplicate location \"/a\" in t.conf:2");
    }

    private static void assertError(String locations, String message) {
        assertThatThrownBy(() -> match(locations, "/")).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
