package io.zonesync.http.ssi;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonesync.testing.Differential;
import io.zonesync.testing.DifferentialSuite;
import io.zonesync.testing.Nginx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ssi against Debian's nginx: includes of static and proxied targets (with args, relative, nested,
 * missing, waited, into variables, with stubs), echo with its encodings and defaults, set, the
 * expression forms of if/elif/else with regular expression captures, config errmsg and timefmt,
 * malformed commands, ssi_silent_errors, ssi_types, ssi_value_length, ssi_last_modified, gzip after
 * ssi, proxied pages, and a page whose commands straddle the blocks a file is read in.
 */
class SsiDifferentialIT extends DifferentialSuite {
    private static final Set<String> HEADERS = Set.of("content-length", "last-modified", "etag", "transfer-encoding");
    private Nginx backend;

    @Override
    protected Differential start(Path dir) throws Exception {
        Path root = dir.resolve("html");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("inc.txt"), "inc-body");
        Files.writeString(root.resolve("empty.txt"), "");
        Files.writeString(root.resolve("sub/rel.txt"), "relative");
        Files.writeString(root.resolve("style.css"), "p{} <!--# echo var=\"uri\" -->");
        Files.writeString(root.resolve("basic.shtml"), """
                <p>start</p>
                A<!--# include virtual="/inc.txt" -->
                B<!--# include virtual="/p/echo?x=1&y=two" -->
                C<!--# include file="inc.txt" -->
                D<!--# include virtual="sub/rel.txt?q=1" -->
                E<!--# include virtual="/missing.txt" -->
                F<!--# include virtual="/nested.shtml?n=1" wait="yes" -->[<!--# echo var="fromnested" default="no" -->]
                G<!--# include virtual="/p/inc.txt" wait="yes" -->
                H<!--# include virtual="/p/missing" -->
                I<!--# include virtual="/p/raw.shtml" -->
                end
                """);
        Files.setLastModifiedTime(root.resolve("basic.shtml"), FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        Files.writeString(root.resolve("nested.shtml"), """
                nested[<!--# echo var="uri" -->][<!--# echo var="arg_n" -->]<!--# set var="fromnested" value="yes" -->\
                <!--# include virtual="/inc.txt" -->""");
        StringBuilder large = new StringBuilder();
        for (int i = 0; large.length() < 300_000; i++) {
            large.append(i).append(' ');
        }
        Files.writeString(root.resolve("large.txt"), large);
        Files.writeString(root.resolve("large.shtml"), "<!--# include virtual=\"/p/large.txt\" -->|"
                + "<!--# include virtual=\"/large.txt\" -->|<!--# include virtual=\"/large.txt\" -->|" + large);
        Files.writeString(root.resolve("order.shtml"), "[<!--#ECHO var=\"uri\" -->]");
        Files.writeString(root.resolve("loop.shtml"), "L<!--# include file=\"loop.shtml\" -->");
        Files.writeString(root.resolve("raw.shtml"), "raw[<!--# echo var=\"uri\" -->]");
        Files.writeString(root.resolve("echo.shtml"), """
                [<!--# echo var="arg_a" -->][<!--# echo var="arg_a" encoding="url" -->][<!--# echo var="arg_a" -->]\
                [<!--# echo var="arg_a" encoding="none" -->][<!--# echo var="nope" default="dflt<>" -->]\
                [<!--# echo var="nope" -->][<!--# echo var="nope" default="" -->]
                <!--# set var="s" value="v=$arg_a \\$x \\\\ \\q ${uri}! \\"q\\"" -->[<!--# echo var="s" encoding="entity" -->]\
                [<!--# echo var="S" -->]
                <!--# set var="uri" value="shadow" -->[<!--# echo var="uri" -->]
                <!--# set var='s2' value='<b "q"> #%^{|}' -->[<!--# echo var="s2" -->][<!--# echo var="s2" encoding="url" -->]\
                [<!--# echo var="s2" encoding="bogus" -->]
                <!--# set var="bad" value="$" -->[<!--# set var="bad" value="${uri" -->][<!--# echo var="bad" default="unset" -->]
                """);
        Files.writeString(root.resolve("cond.shtml"), """
                <!--# if expr="$arg_x = /^(a+)(b*)\\$/" -->m[<!--# echo var="1" -->][<!--# echo var="2" -->]\
                <!--# elif expr="$arg_x = /(?<nm>z+)/" -->z[<!--# echo var="nm" -->]<!--# elif expr="$arg_x" -->nonempty\
                <!--# else -->empty<!--# endif -->
                |<!--# if expr="$arg_x != zz" -->notzz<!--# else -->zz<!--# endif -->
                |<!--# if expr="$arg_x=\\/abc" -->slash<!--# endif -->
                |<!--# if expr="$ARG_X = ABC" -->upper<!--# endif -->
                |<!--# if expr="  $arg_x" -->sp<!--# endif -->
                |<!--# else -->
                |<!--# if expr="$arg_x" --><!--# if expr="1" -->nested<!--# endif --><!--# endif -->
                |<!--# if expr="$arg_x = /^(a+)(b*)$/" -->dollar<!--# endif -->
                |<!--# if expr="$arg_x ~ a" -->tilde<!--# endif -->
                |<!--# if expr="$arg_x" --><!--# elif expr="$arg_x" -->x<!--# else -->y<!--# foo --><!--# endif -->
                """);
        Files.writeString(root.resolve("misc.shtml"), """
                <!--#foo -->|<!--# echo -->|<!--# echo var="a" bad -->|<!--# echo var="a" var="b" -->\
                |<!--# config errmsg="[oops]" --><!--#foo -->|<!--# echo var = "uri" -->|<!--# echo var="x"--->\
                |<!--# include virtual="/missing.txt" stub="none" -->|<!--# block name="one" -->STUB text<!--# endblock -->\
                |<!--# include virtual="/missing.txt" stub="one" -->|<!--# include virtual="/empty.txt" stub="one" -->\
                |<!--# include virtual="/inc.txt" stub="one" -->|<!--# include virtual="/p/echo?s=1" set="v" -->[<!--# echo var="v" -->]\
                |<!--# include virtual="/missing.txt" set="m" -->[<!--# echo var="m" default="D" -->]\
                |<!--# include virtual="/inc.txt" wait="maybe" -->|<!--# include file="/inc.txt" wait="yes" -->\
                |<!--# include virtual="/sub/../inc.txt" -->|<!--# include -->|<!--# include virtual="/a" file="/b" -->\
                |<!--# include virtual="/inc.txt" set="x" stub="one" -->|<!--#endblock -->|<<!--#echo var="uri"-->\
                |<!-- plain comment -->|<!--# echo var="uri" -- >|<!--#  echo  var='uri'  -->|<!--#echo var="uri" -->\
                |<!--# config timefmt="%Y" --><!--# set var="y" value="$date_gmt" --><!--# if expr="$y = /^20[0-9][0-9]\\$/" -->year<!--# endif -->\
                |end<!--# echo var="uri"
                """);
        Files.writeString(root.resolve("stub.shtml"), """
                <!--# block name="one" -->S[<!--# echo var="uri" -->]<!--# endblock -->\
                |<!--# include virtual="/missing.txt" stub="one" -->|<!--# include virtual="/off/missing.txt" stub="one" -->\
                |<!--# include virtual="/p/echo" stub="one" -->|<!--# include virtual="/p/nothere" stub="one" -->
                """);
        Files.writeString(root.resolve("dates.shtml"), """
                [<!--# echo var="date_gmt" -->][<!--# echo var="date_local" -->]\
                <!--# config timefmt="%a %b %e %H:%M:%S %Y %j %m %d %y %%" -->[<!--# echo var="date_gmt" -->]
                """);
        String filler = "x".repeat(65536 - 10);
        Files.writeString(root.resolve("big.shtml"), filler + "<!--# echo var=\"uri\" -->" + "y".repeat(70000)
                + "<!--# include virtual=\"/inc.txt\" -->" + "z".repeat(1000) + "<!--");
        backend = Nginx.start(dir.resolve("backend"), """
                access_log off;
                types { text/html html shtml; text/plain txt; }
                server {
                    listen LISTEN;
                    root %s;
                    location /echo { return 200 "args=$args uri=$uri"; }
                }
                """.formatted(root));
        return Differential.start(dir, """
                access_log off;
                types { text/html html shtml; text/plain txt; text/css css; }
                server {
                    listen LISTEN;
                    root %s;
                    ssi on;
                    location /p/ { proxy_pass http://%s/; }
                    location /silent/ { alias %1$s/; ssi_silent_errors on; }
                    location /css/ { alias %1$s/; ssi_types text/css; }
                    location /off/ { alias %1$s/; ssi off; }
                    location /lm/ { alias %1$s/; ssi_last_modified on; }
                    location /short/ { alias %1$s/; ssi_value_length 8; }
                    location /gz/ { alias %1$s/; gzip on; gzip_min_length 1; }
                    location /both/ { alias %1$s/; sub_filter ECHO echo; }
                    location = /ret { default_type text/html; return 200 '<!--# echo var="arg_a" -->!'; }
                }
                """.formatted(root, backend.address()));
    }

    @AfterAll
    void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private static String get(String target, String... headers) {
        StringBuilder b = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: diff.test\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("Connection: close\r\n\r\n").toString();
    }

    static List<String> requests() {
        return List.of(get("/basic.shtml"), get("/echo.shtml?a=x%20y%3Cz%3E&b=1"), get("/echo.shtml"),
                get("/cond.shtml?x=aab"), get("/cond.shtml?x=zzz"), get("/cond.shtml?x=zz"),
                get("/cond.shtml?x=/abc"), get("/cond.shtml?x=abc"), get("/cond.shtml"), get("/misc.shtml"),
                get("/silent/misc.shtml"), get("/short/echo.shtml?a=longer-than-eight"), get("/style.css"),
                get("/css/style.css"), get("/off/basic.shtml"), get("/inc.txt"), get("/lm/basic.shtml"),
                get("/ret?a=1"), get("/gz/basic.shtml", "Accept-Encoding: gzip"), get("/p/basic.shtml"),
                get("/missing.shtml"), get("/big.shtml"), get("/stub.shtml"), get("/large.shtml"), get("/both/order.shtml"), get("/order.shtml"), get("/basic.shtml", "Range: bytes=0-10"),
                get("/basic.shtml", "If-Modified-Since: Tue, 01 Jan 2030 00:00:00 GMT"),
                get("/p/basic.shtml", "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT"), get("/nested.shtml"),
                "HEAD /basic.shtml HTTP/1.1\r\nHost: diff.test\r\nConnection: close\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("requests")
    void processesAsNginxDoes(String request) throws Exception {
        assertSameAnswers(servers.both(request, HEADERS), request);
    }

    @Test
    void theComparedPagesRunTheirCommands() throws Exception {
        assertThat(servers.get("/basic.shtml").zonesync().body()).contains("Ainc-body", "Bargs=x=1&y=two uri=/echo",
                "Cinc-body", "Drelative", "E<html>", "nested[/nested.shtml][1]inc-body[yes]", "Ginc-body", "Iraw[/p/raw.shtml]");
        assertThat(servers.get("/stub.shtml").zonesync().body()).startsWith("|S[/missing.txt]|S[<!--#echo var=\"uri\" -->]|");
        assertThat(servers.get("/cond.shtml?x=aab").zonesync().body()).startsWith("m[aa][b]");
        assertThat(servers.get("/both/order.shtml").zonesync().body()).isEqualTo("[/both/order.shtml]");
        assertThat(servers.get("/misc.shtml").zonesync().body()).contains("[an error occurred while processing the directive]",
                "[oops]", "STUB text");
    }

    @Test
    void aPageNotModifiedIsAnsweredWithoutABody() throws Exception {
        String request = get("/basic.shtml", "If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT");
        Differential.Pair p = servers.both(request, Set.of("transfer-encoding", "content-length", "last-modified"));
        assertSameAnswers(p, request);
        assertThat(p.nginx().status()).isEqualTo(304);
    }

    /** A known difference: includes nest as deep as internal redirects go (10), nginx's 50. */
    @Test
    void aPageIncludingItselfEnds() throws Exception {
        Differential.Pair p = servers.get("/loop.shtml");
        assertThat(p.nginx().body()).isEqualTo("L".repeat(52) + "[an error occurred while processing the directive]");
        assertThat(p.zonesync().status()).isEqualTo(200);
        assertThat(p.zonesync().body()).startsWith("L".repeat(11) + "<html>").contains("500 Internal Server Error");
    }

    @Test
    void datesAreFormattedAsNginxFormatsThem() throws Exception {
        Differential.Pair p = servers.get("/dates.shtml");
        assertThat(masked(p.zonesync())).isEqualTo(masked(p.nginx()));
        assertThat(p.nginx().body()).matches("(?s)\\[\\w+, \\d\\d-\\w{3}-\\d{4} \\d\\d:\\d\\d:\\d\\d GMT\\].*");
    }

    private static Differential.Answer masked(Differential.Answer a) {
        return new Differential.Answer(a.status(), a.headers(), a.body().replaceAll("\\d\\d:\\d\\d:\\d\\d", "HH:MM:SS"));
    }
}
