package io.zonesync.http.limitreq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.ParsedConfig;
import io.zonesync.node.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The directives through the node's own check ({@code -t}): nginx's wording, FILE:LINE. */
class LimitReqConfigTest {

    private static ParsedConfig parse(String http) throws ConfigException {
        String text = "http {\n" + http + "\n}\n";
        return new ParsedConfig(Path.of("/etc/zonesync/t.conf"), Path.of("/etc/zonesync"),
                ConfigParser.parseString(text, "t.conf"), List.of());
    }

    private static void check(String http) throws ConfigException {
        Node.check(parse(http));
    }

    private static final String ZONE = "limit_req_zone $binary_remote_addr zone=one:32k rate=10r/s;\n";

    @Test
    void aFullConfigurationPasses() throws Exception {
        check("access_log off; # the prefix /etc/zonesync has no logs/ for -t to open\n" + ZONE
                + "limit_req_zone $uri zone=two:1m rate=30r/m sync;\n"
                + "limit_req zone=one burst=5;\nlimit_req_status 429;\nlimit_req_log_level warn;\n"
                + "server { listen 127.0.0.1:0; limit_req_dry_run on;\n"
                + "  location / { limit_req zone=one burst=10 nodelay; limit_req zone=two burst=4 delay=2; }\n"
                + "  location /x { } }");
    }

    @Test
    void zoneParametersAreReadAsNginxReadsThem() throws Exception {
        List<LimitReqZoneConf> z = LimitReqZoneConf.compileAll(parse(ZONE
                + "limit_req_zone $uri zone=two:1M rate=30r/m sync;\nlimit_req_zone $uri rate=5 zone=three:64k;"));
        assertThat(z).extracting(LimitReqZoneConf::name).containsExactly("one", "two", "three");
        assertThat(z).extracting(LimitReqZoneConf::rateMilli).containsExactly(10_000L, 500L, 5000L);
        assertThat(z).extracting(LimitReqZoneConf::sizeBytes).containsExactly(32_768L, 1_048_576L, 65_536L);
        assertThat(z).extracting(LimitReqZoneConf::sync).containsExactly(false, true, false);
        assertThat(z.get(0).where().toString()).endsWith("t.conf:2");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "limit_req_zone $a zone=one:31k rate=1r/s;|zone \"zone=one:31k\" is too small in t.conf:2",
        "limit_req_zone $a zone=one rate=1r/s;|invalid zone size \"zone=one\" in t.conf:2",
        "limit_req_zone $a zone=one:12q rate=1r/s;|invalid zone size \"zone=one:12q\" in t.conf:2",
        "limit_req_zone $a zone=one:32k rate=0r/s;|invalid rate \"rate=0r/s\" in t.conf:2",
        "limit_req_zone $a zone=one:32k rate=fast;|invalid rate \"rate=fast\" in t.conf:2",
        "limit_req_zone $a zone=one:32k rate=1r/h;|invalid rate \"rate=1r/h\" in t.conf:2",
        "limit_req_zone $a zone=one:32k rate=1r/s bogus;|invalid parameter \"bogus\" in t.conf:2",
        "limit_req_zone $a rate=1r/s sync;|\"limit_req_zone\" must have \"zone\" parameter in t.conf:2",
        "limit_req_zone $a zone=one:32k;|invalid number of arguments in \"limit_req_zone\" directive in t.conf:2",
        "limit_req_zone $nosuch zone=one:32k rate=1r/s;|unknown \"nosuch\" variable in t.conf:2",
        "limit_req_zone $a zone=one:32k rate=1r/s;limit_req_zone $b zone=one:32k rate=2r/s;|"
                + "limit_req_zone \"one\" is already bound to key \"$a\" in t.conf:3",
        "limit_req_zone $a zone=one:32k rate=1r/s;limit_req_zone $a zone=one:64k rate=1r/s;|"
                + "the size 65536 of shared memory zone \"one\" conflicts with already declared size 32768 in t.conf:3",
        "server { limit_req_zone $a zone=one:32k rate=1r/s; }|\"limit_req_zone\" directive is not allowed here in t.conf:2",
        "limit_req zone=none;|zero size shared memory zone \"none\" in t.conf:2",
        "limit_req burst=5;|\"limit_req\" must have \"zone\" parameter in t.conf:2",
        "limit_req zone=one burst=0;|invalid burst value \"burst=0\" in t.conf:3",
        "limit_req zone=one burst=x;|invalid burst value \"burst=x\" in t.conf:3",
        "limit_req zone=one delay=-1;|invalid delay value \"delay=-1\" in t.conf:3",
        "limit_req zone=one fast;|invalid parameter \"fast\" in t.conf:3",
        "limit_req zone=one a b c;|invalid number of arguments in \"limit_req\" directive in t.conf:3",
        "limit_req zone=one; limit_req zone=one burst=2;|\"limit_req\" directive is duplicate in t.conf:3",
        "limit_req_status 600;|value must be between 400 and 599 in t.conf:3",
        "limit_req_status 399;|value must be between 400 and 599 in t.conf:3",
        "limit_req_status abc;|\"limit_req_status\" directive invalid number in t.conf:3",
        "limit_req_status 429; limit_req_status 430;|\"limit_req_status\" directive is duplicate in t.conf:3",
        "limit_req_log_level debug;|invalid value \"debug\" in t.conf:3",
        "limit_req_dry_run yes;|invalid value \"yes\" in \"limit_req_dry_run\" directive, it must be \"on\" or \"off\""
                + " in t.conf:3",
    })
    void errors(String directives, String message) {
        String http = directives.startsWith("limit_req_zone") || directives.startsWith("server")
                ? directives.replace(";limit_req_zone", ";\nlimit_req_zone")
                : (directives.startsWith("limit_req zone=one") || directives.startsWith("limit_req_")
                        ? ZONE : "") + directives;
        assertThatThrownBy(() -> check(http + "\nserver { listen 127.0.0.1:0; }"))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith(message);
    }

    @Test
    void aSharedZoneNameCannotServeKeyvalAndLimitReq() {
        assertThatThrownBy(() -> check("keyval_zone zone=one:32k;\n" + ZONE))
                .hasMessage("the shared memory zone \"one\" is already declared for a different use in t.conf:3");
    }

    @Test
    void aReloadMayChangeTheRateButNotTheKeyOfAZoneItKeeps() throws Exception {
        LimitReqFamily family = new LimitReqFamily(MonotonicClock.system(), null, Clock.systemUTC());
        LimitReqZoneConf first = family.declare(parse(ZONE)).get(0);
        LimitReqZone zone = family.zoneFor(first, null);
        LimitReqZoneConf faster = family.declare(parse("limit_req_zone $binary_remote_addr zone=one:32k rate=20r/s;"))
                .get(0);
        assertThat(family.zoneFor(faster, zone)).isSameAs(zone);
        family.commit(faster, zone, null);
        assertThat(zone.rate()).isEqualTo(20_000);
        LimitReqZoneConf otherKey = family.declare(parse("limit_req_zone $uri zone=one:32k rate=20r/s;")).get(0);
        assertThatThrownBy(() -> family.zoneFor(otherKey, zone))
                .hasMessage("limit_req \"one\" uses the \"$uri\" key while previously it used the"
                        + " \"$binary_remote_addr\" key in t.conf:2");
        LimitReqZoneConf bigger = family.declare(parse("limit_req_zone $uri zone=one:64k rate=20r/s;")).get(0);
        assertThat(family.zoneFor(bigger, zone)).as("a new size is a new zone, whatever its key").isNotSameAs(zone);
    }
}
