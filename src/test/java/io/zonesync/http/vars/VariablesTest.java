package io.zonesync.http.vars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.SourceLocation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VariablesTest {
    private static final SourceLocation AT = new SourceLocation("v.conf", 3);
    private final VariableRegistry vars = registry();
    private final FakeRequest req = new FakeRequest();

    private static VariableRegistry registry() {
        VariableRegistry r = new VariableRegistry();
        new CoreVariables(ZoneOffset.ofHours(2)).defineVariables(r);
        return r;
    }

    private String eval(String text) throws ConfigException {
        return ComplexValue.compile(text, vars, AT).evaluate(req);
    }

    @Test
    void anIpv6ClientIsWrittenAsNginxWritesIt() {
        assertThat(CoreVariables.addressText(new InetSocketAddress("::1", 80))).isEqualTo("::1");
        assertThat(CoreVariables.addressText(new InetSocketAddress("2001:db8:0:0:0:0:0:7", 80)))
                .isEqualTo("2001:db8::7");
    }

    @Test
    void connectionAndRequestLine() throws ConfigException {
        req.method = "POST";
        req.requestUri = "/a%20b?x=1";
        req.uri = "/a b";
        req.args = "x=1";
        assertThat(eval("$remote_addr:$remote_port $server_addr:$server_port")).isEqualTo("192.0.2.7:50123 127.0.0.1:8080");
        assertThat(eval("$binary_remote_addr").getBytes(StandardCharsets.ISO_8859_1)).containsExactly(192, 0, 2, 7);
        assertThat(eval("$request")).isEqualTo("POST /a%20b?x=1 HTTP/1.1");
        assertThat(eval("$uri|$document_uri|$request_uri|$args|$query_string|$is_args"))
                .isEqualTo("/a b|/a b|/a%20b?x=1|x=1|x=1|?");
        assertThat(eval("$request_method $server_protocol $scheme $https.")).isEqualTo("POST HTTP/1.1 http .");
        assertThat(eval("$connection/$connection_requests $request_id")).isEqualTo("5/2 0123456789abcdef0123456789abcdef");
    }

    @Test
    void argumentsCookiesAndHeaders() throws ConfigException {
        req.args = "a=1&B=two&empty=&flag&a=3";
        req.header("Cookie", "sid=abc; theme=dark").header("Cookie", "x=y");
        req.header("X-Forwarded-For", "1.1.1.1").header("X-Forwarded-For", "2.2.2.2");
        req.header("User-Agent", "curl/8");
        assertThat(eval("[$arg_a][$arg_b][$arg_empty][$arg_flag][$arg_none]")).isEqualTo("[1][two][][][]");
        assertThat(eval("$cookie_sid $cookie_theme $cookie_x")).isEqualTo("abc dark y");
        assertThat(eval("$http_user_agent|$http_x_forwarded_for|$http_cookie"))
                .isEqualTo("curl/8|1.1.1.1, 2.2.2.2|sid=abc; theme=dark; x=y");
        assertThat(vars.lookup("http_missing").value(req)).isNull();
        assertThat(vars.lookup("ARG_A").value(req)).isEqualTo("1");
    }

    @Test
    void hostFallsBackToTheServerName() throws ConfigException {
        assertThat(eval("$host")).isEqualTo("example.test");
        req.header("Host", "WWW.Example.COM.:8080");
        assertThat(eval("$host $server_name")).isEqualTo("www.example.com example.test");
    }

    @Test
    void responseAndTime() throws ConfigException {
        req.status = 404;
        assertThat(eval("$status $body_bytes_sent $bytes_sent")).isEqualTo("404 100 300");
        assertThat(eval("$request_time $msec")).isEqualTo("0.123 1700000000.123");
        assertThat(eval("$time_local")).isEqualTo("15/Nov/2023:00:13:20 +0200");
        assertThat(eval("$time_iso8601")).isEqualTo("2023-11-15T00:13:20+02:00");
        req.status = 0;
        assertThat(eval("$status")).isEqualTo("000");
    }

    @Test
    void complexValuesMixTextBracesAndCaptures() throws ConfigException {
        req.captures = new String[] {"/u/42", "42"};
        ComplexValue v = ComplexValue.compile("id=${1}x $1$2 ${remote_addr}z", vars, AT);
        assertThat(v.evaluate(req)).isEqualTo("id=42x 42 192.0.2.7z");
        assertThat(v.isConstant()).isFalse();
        assertThat(ComplexValue.compile("$12", vars, AT).evaluate(req)).isEqualTo("422");
        ComplexValue c = ComplexValue.compile("plain text", vars, AT);
        assertThat(c.isConstant()).isTrue();
        assertThat(c.evaluate(req)).isEqualTo("plain text");
    }

    @Test
    void aValueThatIsOneVariableOrNoneAnswersLikeAnyOther() throws ConfigException {
        VariableRegistry mine = vars.copy();
        mine.define("missing", r -> null);
        mine.define("word", r -> "w");
        assertThat(ComplexValue.compile("$word", mine, AT).evaluate(req)).isEqualTo("w");
        assertThat(ComplexValue.compile("$missing", mine, AT).evaluate(req)).isEqualTo("");
        assertThat(ComplexValue.compile("a$missing", mine, AT).evaluate(req)).isEqualTo("a");
        assertThat(ComplexValue.compile("$word$word", mine, AT).evaluate(req)).isEqualTo("ww");
        assertThat(ComplexValue.constant("").evaluate(req)).isEqualTo("");
        assertThat(ComplexValue.constant("").isConstant()).isTrue();
        assertThat(ComplexValue.compile("$word", mine, AT).isConstant()).isFalse();
    }

    @Test
    void badReferencesFailWithNginxsWordsAndTheLocation() {
        assertThatThrownBy(() -> eval("x $nope y")).hasMessage("unknown \"nope\" variable in v.conf:3");
        assertThatThrownBy(() -> eval("${host")).hasMessage("the closing bracket in \"host\" variable is missing in v.conf:3");
        assertThatThrownBy(() -> eval("a $")).hasMessage("invalid variable name in \"a $\" in v.conf:3");
        assertThatThrownBy(() -> eval("${}")).hasMessage("invalid variable name in \"${}\" in v.conf:3");
    }

    @Test
    void otherPackagesAddVariablesAndPrefixes() throws ConfigException {
        VariableRegistry mine = vars.copy();
        mine.define("kv_user", r -> "alice");
        mine.definePrefix("upstream_http_", name -> r -> "hdr:" + name);
        assertThat(ComplexValue.compile("$kv_user $upstream_http_x_y", mine, AT).evaluate(req))
                .isEqualTo("alice hdr:x_y");
        assertThat(vars.isDefined("kv_user")).isFalse();
        assertThatThrownBy(() -> mine.define("KV_USER", r -> "")).isInstanceOf(IllegalStateException.class);
        mine.freeze();
        assertThatThrownBy(() -> mine.define("other", r -> "")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hostHeaderValidation() {
        assertThat(HostHeader.validate("Example.com:80")).isEqualTo("example.com");
        assertThat(HostHeader.validate("[::1]:8080")).isEqualTo("[::1]");
        assertThat(HostHeader.validate("a/b")).isNull();
        assertThat(HostHeader.validate("a..b")).isNull();
        assertThat(HostHeader.validate("a:x")).isNull();
        assertThat(HostHeader.validate("")).isNull();
    }
}
