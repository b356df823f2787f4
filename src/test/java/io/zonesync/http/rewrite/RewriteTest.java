package io.zonesync.http.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.http.core.TestConfigs;
import io.zonesync.http.core.TestServer;
import io.zonesync.testing.LogCapture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code set}, {@code if}, {@code rewrite} and {@code break}, spoken to over real HTTP. */
class RewriteTest {
    @TempDir
    Path dir;
    @AutoClose
    private TestServer server;

    private void start(String locations) throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0; root " + dir + ";\n"
                + locations + " } }");
    }

    private String body(String path) throws Exception {
        return server.get(path).body();
    }

    @Test
    void setAndIfWithEveryKindOfCondition() throws Exception {
        Files.writeString(dir.resolve("x.txt"), "x");
        start("""
                location /set { set $a "x$arg_v"; if ($a = xy) { return 200 "yes $a"; } return 200 "no $a"; }
                location /ne { if ($arg_v != "") { return 200 "given $arg_v"; } return 200 none; }
                location /re { if ($arg_p ~* ^(ab)(c)?$) { return 200 "m $1 [$2]"; } return 200 nomatch; }
                location /neg { if ($arg_p !~ ^a) { return 200 "not a"; } return 200 a; }
                location /truth { if ($arg_t) { return 200 true; } return 200 false; }
                location /file { if (-f $document_root/x.txt) { return 200 file; } return 200 nofile; }
                location /nofile { if (!-e $request_filename) { return 200 "no $uri"; } return 200 there; }
                location /dir { if (-d $document_root) { return 200 dir; } return 200 nodir; }
                location /unset { return 200 "[$never]"; }
                location /later { if ($arg_x) { set $never "set"; } return 200 "[$never]"; }
                """);
        assertThat(body("/set?v=y")).isEqualTo("yes xy");
        assertThat(body("/set?v=z")).isEqualTo("no xz");
        assertThat(body("/ne?v=1")).isEqualTo("given 1");
        assertThat(body("/ne")).isEqualTo("none");
        assertThat(body("/re?p=ABC")).isEqualTo("m AB [C]");
        assertThat(body("/re?p=ab")).isEqualTo("m ab []");
        assertThat(body("/re?p=x")).isEqualTo("nomatch");
        assertThat(body("/neg?p=b")).isEqualTo("not a");
        assertThat(body("/neg?p=a")).isEqualTo("a");
        assertThat(body("/truth?t=1")).isEqualTo("true");
        assertThat(body("/truth?t=0")).isEqualTo("false");
        assertThat(body("/truth")).isEqualTo("false");
        assertThat(body("/file")).isEqualTo("file");
        assertThat(body("/nofile/y")).isEqualTo("no /nofile/y");
        assertThat(body("/dir")).isEqualTo("dir");
        assertThat(body("/unset")).isEqualTo("[]");
        assertThat(body("/later?x=1")).isEqualTo("[set]");
        assertThat(body("/later")).isEqualTo("[]");
    }

    @Test
    void rewriteWithEachFlagAndTheRequestsArguments() throws Exception {
        start("""
                location /old/ { rewrite ^/old/(.*)$ /new/$1 last; return 200 "not reached"; }
                location /new/ { return 200 "new $uri $args"; }
                location /brk/ { rewrite ^/brk/(.*)$ /other/$1 break; return 200 "not reached"; }
                location /other/ { return 200 "other"; }
                location /noflag { rewrite ^/noflag(.*)$ /new$1; set $z 1; }
                location /ret { rewrite ^/ret(.*)$ /new$1; return 200 "return is a rewrite step too"; }
                location /args { rewrite ^ /new/a?x=1; }
                location /drop { rewrite ^ /new/d?; }
                location /r { rewrite ^/r(.*)$ /dest$1 redirect; }
                location /p { rewrite ^ https://example.test/p? permanent; }
                location /abs { rewrite ^ http://example.test/abs; }
                location /loop { rewrite ^ /loop last; }
                """);
        assertThat(body("/old/a/b?k=v")).isEqualTo("new /new/a/b k=v");
        HttpResponse<String> brk = server.get("/brk/f");
        assertThat(brk.statusCode()).as("break: the new URI, served by this location's content").isEqualTo(404);
        assertThat(body("/noflag/z")).isEqualTo("new /new/z ");
        assertThat(body("/ret/z")).isEqualTo("return is a rewrite step too");
        assertThat(body("/args?y=2")).isEqualTo("new /new/a x=1&y=2");
        assertThat(body("/drop?y=2")).isEqualTo("new /new/d ");

        HttpResponse<String> r = server.get("/r/x?q=1");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("location")).hasValue("http://127.0.0.1:" + server.port() + "/dest/x?q=1");
        HttpResponse<String> p = server.get("/p?q=1");
        assertThat(p.statusCode()).isEqualTo(301);
        assertThat(p.headers().firstValue("location")).hasValue("https://example.test/p");
        HttpResponse<String> abs = server.get("/abs?q=1");
        assertThat(abs.statusCode()).isEqualTo(302);
        assertThat(abs.headers().firstValue("location")).hasValue("http://example.test/abs?q=1");

        assertThat(server.get("/loop").statusCode()).as("rewrite or internal redirection cycle").isEqualTo(500);
    }

    @Test
    void rewriteLogTellsWhatMatchedAndWhatItBecame() throws Exception {
        try (LogCapture logs = new LogCapture()) {
            start("location /logged/ { rewrite_log on; rewrite ^/nope / last; rewrite ^/logged/(.*)$ /new/$1?x=1 last; }\n"
                    + "location /quiet/ { rewrite ^/quiet/(.*)$ /new/$1 last; }\n"
                    + "location /new/ { return 200 \"new $uri $args\"; }\n");
            assertThat(body("/logged/a")).isEqualTo("new /new/a x=1");
            assertThat(body("/quiet/b")).isEqualTo("new /new/b ");
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("notice \"^/nope\" does not match \"/logged/a\""))
                    .anyMatch(l -> l.startsWith("notice \"^/logged/(.*)$\" matches \"/logged/a\", client: 127.0.0.1:"))
                    .anyMatch(l -> l.startsWith("notice rewritten data: \"/new/a\", args: \"x=1\""))
                    .noneMatch(l -> l.contains("/quiet/"));
        }
    }

    @Test
    void serverLevelStepsRunBeforeTheLocationIsChosen() throws Exception {
        server = TestServer.start(dir, "http { access_log off; server { listen 127.0.0.1:0;\n"
                + " set $who server; rewrite ^/legacy/(.*)$ /current/$1;\n"
                + " location /current/ { return 200 \"$who $uri\"; } } }");
        assertThat(body("/legacy/page")).isEqualTo("server /current/page");
    }

    @Test
    void configurationErrorsNameTheLine() {
        assertError("location / { if $a { return 403; } }", "invalid condition \"$a\"");
        assertError("location / { if ($arg_a ~ \"(\") { return 403; } }", "pcre_compile() failed");
        assertError("location / { set a 1; }", "invalid variable name \"a\"");
        assertError("location / { set $uri 1; }", "the duplicate \"uri\" variable");
        assertError("location / { rewrite ^ /x bogus; }", "invalid parameter \"bogus\"");
        assertError("location / { if ($arg_a = b c) { return 403; } }", "invalid condition");
        assertError("location / { if ($arg_a) { root /tmp; } }", "\"root\" directive is not allowed here");
    }

    private void assertError(String locations, String message) {
        assertThatThrownBy(() -> TestConfigs.compile("http { server { listen 127.0.0.1:0;\n" + locations + " } }",
                dir, List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message).hasMessageContaining("t.conf:2");
    }

    @Test
    void readingAVariableBeforeItIsSetIsLoggedUnlessTurnedOff() throws Exception {
        start("""
                location /warn { return 200 "[$never]"; }
                location /quiet { uninitialized_variable_warn off; return 200 "[$never]"; }
                location /quiet-if { if ($arg_q) { uninitialized_variable_warn off; } return 200 "[$never]"; }
                location /named { return 200 "[$part]"; }
                location ~ ^/re/(?<part>.*)$ { set $never x; return 200 "[$part]"; }
                """);
        try (LogCapture log = new LogCapture()) {
            assertThat(body("/warn")).isEqualTo("[]");
            assertThat(log.count("warn using uninitialized \"never\" variable")).isEqualTo(1);
            assertThat(body("/quiet")).isEqualTo("[]");
            assertThat(body("/quiet-if?q=1")).isEqualTo("[]");
            assertThat(log.count("using uninitialized")).isEqualTo(1);
            assertThat(body("/quiet-if")).isEqualTo("[]");
            assertThat(body("/named")).isEqualTo("[]");
            assertThat(log.count("using uninitialized")).isEqualTo(3);
            assertThat(log.contains("warn using uninitialized \"part\" variable")).isTrue();
            assertThat(body("/re/abc")).isEqualTo("[abc]");
            assertThat(log.count("using uninitialized")).isEqualTo(3);
        }
    }
}
