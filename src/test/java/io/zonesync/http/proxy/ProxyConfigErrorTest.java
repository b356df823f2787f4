package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.nio.file.Path;
import java.util.List;
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "proxy_ssl_conf_command Options -SessionTicket;|\"proxy_ssl_conf_command Options\" is not supported:"
            + " BoringSSL has no SSL_CONF_cmd; supported are Groups, Curves, CipherString, MinProtocol and MaxProtocol",
        "proxy_ssl_verify on;|no proxy_ssl_trusted_certificate for proxy_ssl_verify",
        "proxy_ssl_certificate c.pem;|no \"proxy_ssl_certificate_key\" is defined for certificate \"c.pem\"",
        "proxy_ssl_certificate $arg_c; proxy_ssl_certificate_key k.pem;|variables in \"proxy_ssl_certificate\" and"
            + " \"proxy_ssl_certificate_key\" are not supported",
        "proxy_ssl_protocols TLSv9;|invalid value \"TLSv9\" in \"proxy_ssl_protocols\" directive",
        "proxy_ssl_verify_depth deep;|invalid value \"deep\" in \"proxy_ssl_verify_depth\" directive: a depth from"
            + " 0 to 100",
    })
    void proxySslErrorsNameTheDirective(String line, String message) throws Exception {
        assertThat(error("", line + " proxy_pass https://127.0.0.1:1;").detail()).isEqualTo(message);
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

    /** Each as Debian's nginx 1.22 words it at -t (checked with nginx -t on the same lines). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "proxy_redirect bogus;|invalid parameter \"bogus\"",
        "proxy_redirect off; proxy_redirect default;|\"proxy_redirect\" directive is duplicate",
        "proxy_redirect a b; proxy_redirect off;|\"proxy_redirect\" directive is duplicate",
        "proxy_redirect off; proxy_redirect off;|\"proxy_redirect\" directive is duplicate",
        "proxy_redirect $nonexistent_var a;|unknown \"nonexistent_var\" variable",
        "proxy_cookie_domain off; proxy_cookie_domain off;|\"proxy_cookie_domain\" directive is duplicate",
        "proxy_cookie_domain a b; proxy_cookie_domain off;|\"proxy_cookie_domain\" directive is duplicate",
        "proxy_cookie_path off; proxy_cookie_path a b;|\"proxy_cookie_path\" directive is duplicate",
        "proxy_cookie_domain foo;|invalid parameter \"foo\"",
        "proxy_cookie_path foo;|invalid parameter \"foo\"",
        "proxy_cookie_flags foo;|invalid parameter \"foo\"",
        "proxy_cookie_flags a b c d e;|invalid number of arguments in \"proxy_cookie_flags\" directive",
        "proxy_cookie_flags off; proxy_cookie_flags a secure;|\"proxy_cookie_flags\" directive is duplicate",
        "proxy_ignore_headers Foo;|invalid value \"Foo\"",
        "proxy_set_body a; proxy_set_body b;|\"proxy_set_body\" directive is duplicate",
        "proxy_pass_request_body maybe;|invalid value \"maybe\" in \"proxy_pass_request_body\" directive, it must be"
                + " \"on\" or \"off\"",
    })
    void responseAndBodyDirectiveErrorsAreNginxs(String line, String message) throws Exception {
        assertThat(error("", "proxy_pass http://backend; " + line).detail()).isEqualTo(message);
    }

    @Test
    void badRegularExpressionsAreErrors() throws Exception {
        for (String line : List.of("proxy_redirect ~(x a;", "proxy_cookie_path ~*(x a;", "proxy_cookie_domain ~*x a;",
                "proxy_cookie_flags ~(x secure;")) {
            assertThat(error("", "proxy_pass http://backend; " + line).detail())
                    .startsWith("invalid regular expression");
        }
    }

    @Test
    void proxyRedirectDefaultComesAfterProxyPass() throws Exception {
        assertThat(error("", "proxy_redirect default; proxy_pass http://backend;").detail())
                .isEqualTo("\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
    }

    @Test
    void repeatedIgnoreHeadersAddUp() throws Exception {
        String text = "http {\n server { listen 127.0.0.1:0; location / { proxy_pass http://127.0.0.1:1;\n"
                + " proxy_ignore_headers Vary; proxy_ignore_headers X-Accel-Redirect expires; } }\n}\n";
        Node.check(ProxyNodes.parse(dir, text));
    }

    @Test
    void noServersInUpstream() throws Exception {
        String text = "http {\n upstream a { keepalive 2; }\n}\n";
        assertThatThrownBy(() -> Node.check(ProxyNodes.parse(dir, text)))
                .hasMessageStartingWith("no servers are inside upstream in ").hasMessageEndingWith(":2");
    }
}
