package io.zonesync.http.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UriPathTest {
    @Test
    void normalisesLikeNginx() {
        assertThat(UriPath.normalize("/")).isEqualTo("/");
        assertThat(UriPath.normalize("/a//b/./c/")).isEqualTo("/a/b/c/");
        assertThat(UriPath.normalize("/a/b/../c")).isEqualTo("/a/c");
        assertThat(UriPath.normalize("/a/..")).isEqualTo("/");
        assertThat(UriPath.normalize("/a/.")).isEqualTo("/a/");
        assertThat(UriPath.normalize("/a%20b%2Fc")).isEqualTo("/a b/c");
        assertThat(UriPath.normalize("/caf%C3%A9")).isEqualTo("/caf\u00c3\u00a9");
    }

    @Test
    void rejectsWhatCouldEscapeTheRootOrIsMalformed() {
        assertThat(UriPath.normalize("/..")).isNull();
        assertThat(UriPath.normalize("/a/../../etc/passwd")).isNull();
        assertThat(UriPath.normalize("/%2e%2e/etc/passwd")).isNull();
        assertThat(UriPath.normalize("/a%2f..%2f..%2fb")).isNull();
        assertThat(UriPath.normalize("/a%zz")).isNull();
        assertThat(UriPath.normalize("/a%2")).isNull();
        assertThat(UriPath.normalize("/a%00b")).isNull();
        assertThat(UriPath.normalize("relative")).isNull();
        assertThat(UriPath.normalize("")).isNull();
    }

    @Test
    void givesBackAPathAlreadyNormalAsItIsAndResolvesOnesThatOnlyLookSo() {
        String plain = "/static/app.min.js";
        assertThat(UriPath.normalize(plain)).isSameAs(plain);
        assertThat(UriPath.normalize("/a/b/")).isEqualTo("/a/b/");
        assertThat(UriPath.normalize("/a/b..c/d.")).isEqualTo("/a/b..c/d.");
        assertThat(UriPath.normalize("/.well-known/x")).isEqualTo("/.well-known/x");
        assertThat(UriPath.normalize("/a/..b")).isEqualTo("/a/..b");
        assertThat(UriPath.normalize("/a/./b")).isEqualTo("/a/b");
        assertThat(UriPath.normalize("/a/b//")).isEqualTo("/a/b/");
        assertThat(UriPath.normalize("/a\u0000b")).isNull();
    }
}
