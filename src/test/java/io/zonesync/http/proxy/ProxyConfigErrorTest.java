package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration errors of upstream, proxy and sticky directives, each with FILE:LINE. */
class ProxyConfigErrorTest {
    @TempDir
    Path dir;

    /** Checks the configuration as -t does; the offending directive stands on line 4. */
    private ConfigException error(String upstreamLine, String location) throws Exception {
        String text = "http {\n upstream backend {\n  server 127.0.0.1:1;\n  " + upstreamLine + "\n }\n"
                + " server { listen 127.0.0.1:0; location / { " + location + " } }\n}\n";
        ParsedConfig parsed = ProxyNodes.parse(dir, text);
        try {
            Node.check(parsed);
        } catch (ConfigException e) {
            assertThat(e.where()).isNotNull();
            assertThat(e.where().file()).isEqualTo(parsed.file().toString());
            return e;
        }
        throw new AssertionError("no error for: " + upstreamLine + " / " + location);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sticky learn create=$upstream_cookie_s zone=a:1m;|\"sticky\" directive \"lookup\" parameter is not specified",
        "sticky learn lookup=$cookie_s zone=a:1m;|\"sticky\" directive \"create\" parameter is not specified",
        "sticky learn create=$upstream_cookie_s lookup=$cookie_s;|\"sticky\" directive \"zone\" parameter is not specified",
        "sticky learn create=s lookup=$cookie_s zone=a:1m;|\"sticky\" directive missing variable in the \"create\" parameter",
        "sticky learn create=$a lookup=$b zone=a:1m zone=b:1m;|\"sticky\" directive duplicate zone",
        "sticky learn create=$a lookup=$b zone=a:1m timeout=1m timeout=2m;|\"sticky\" directive duplicate timeout",
        "sticky learn create=$a lookup=$b zone=a:1m timeout=0;|\"sticky\" directive invalid timeout",
        "sticky learn create=$a lookup=$b zone=a;|\"sticky\" directive zone size is not specified",
        "sticky learn create=$a lookup=$b zone=a:16k;|\"sticky\" directive zone is too small",
        "sticky learn create=$a lookup=$b zone=a:xx;|\"sticky\" directive invalid zone size",
        "sticky learn create=$a lookup=$b zone=a:1m bogus;|unknown parameter \"bogus\"",
        "sticky magic x;|unknown parameter \"magic\"",
        "sticky route foo;|invalid variable name \"foo\"",
        "sticky cookie srv expires=1h expires=2h;|\"sticky\" directive parameter \"expires\" is duplicate",
        "sticky cookie srv samesite=odd;|\"sticky\" directive invalid \"samesite\" parameter value",
        "sticky learn create=$nonexistent_var lookup=$cookie_s zone=a:1m;|unknown \"nonexistent_var\" variable",
        "server 127.0.0.1:2 weight=0;|invalid parameter \"weight=0\"",
        "server 127.0.0.1:2 bogus;|invalid parameter \"bogus\"",
        "server 127.0.0.1:99999;|invalid port in upstream \"127.0.0.1:99999\"",
        "keepalive 0;|invalid value \"0\" in \"keepalive\" directive",
    })
    void upstreamErrorsNameTheDirectiveAndTheLine(String line, String message) throws Exception {
        ConfigException e = error(line, "proxy_pass http://backend;");
        assertThat(e.detail()).isEqualTo(message);
        assertThat(e.where().line()).isEqualTo(4);
    }

    @Test
    void onlyOneStickyPerUpstream() throws Exception {
        ConfigException e = error("sticky route $arg_r; sticky route $arg_q;", "proxy_pass http://backend;");
        assertThat(e.detail()).isEqualTo("\"sticky\" directive is duplicate");
    }

    @Test
    void proxyPassErrors() throws Exception {
        assertThat(error("", "proxy_pass ftp://x;").getMessage()).startsWith("invalid URL prefix in \"ftp://x\" in ");
        assertThat(error("", "proxy_pass http://no-such-host.invalid;").detail())
                .isEqualTo("host not found in upstream \"no-such-host.invalid\"");
        assertThat(error("", "proxy_next_upstream error bogus; proxy_pass http://backend;").detail())
                .isEqualTo("invalid value \"bogus\"");
        assertThat(error("", "proxy_http_version 2; proxy_pass http://backend;").detail())
                .startsWith("invalid value \"2\" in \"proxy_http_version\" directive");
    }

    @Test
    void uriPartInRegexLocationIsRefused() throws Exception {
        String text = "http {\n server { listen 127.0.0.1:0;\n  location ~ ^/x {\n   proxy_pass http://127.0.0.1:1/y;\n"
                + "  }\n }\n}\n";
        assertThatThrownBy(() -> Node.check(ProxyNodes.parse(dir, text))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"proxy_pass\" cannot have URI part in location given by regular expression")
                .hasMessageEndingWith(":4");
    }

    @Test
    void aStickyZoneServesOneUpstream() throws Exception {
        String text = "http {\n upstream a { server 127.0.0.1:1; sticky learn create=$x lookup=$y zone=s:1m; }\n"
                + " upstream b { server 127.0.0.1:1;\n  sticky learn create=$x lookup=$y zone=s:1m; }\n}\n";
        assertThatThrownBy(() -> Node.check(ProxyNodes.parse(dir, text)))
                .hasMessageStartingWith("sticky zone \"s\" is already used in upstream \"a\" in ")
                .hasMessageEndingWith(":4");
    }

    @Test
    void proxyRedirectFormsNotSupportedAreErrorsNotSilentlyIgnored() throws Exception {
        assertThat(error("keepalive 2;", "proxy_pass http://backend; proxy_redirect ~^http://(.*)$ /$1;").detail())
                .isEqualTo("regular expressions and variables in \"proxy_redirect\" are not supported");
        assertThat(error("keepalive 2;", "proxy_pass http://backend; proxy_redirect bogus;").detail())
                .isEqualTo("invalid parameter \"bogus\"");
        assertThat(error("keepalive 2;", "proxy_pass http://backend; proxy_redirect off; proxy_redirect default;")
                .detail()).contains("\"off\", it cannot be combined");
    }

    @Test
    void noServersInUpstream() throws Exception {
        String text = "http {\n upstream a { keepalive 2; }\n}\n";
        assertThatThrownBy(() -> Node.check(ProxyNodes.parse(dir, text)))
                .hasMessageStartingWith("no servers are inside upstream in ").hasMessageEndingWith(":2");
    }
}
