package io.zonesync.net.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.net.Endpoint;
import io.zonesync.net.ResolverConf;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resolver status zones: found in the configuration, shared by name, kept or forgotten at reload. */
class ResolverZonesTest {

    private static ResolverConf conf(String zone) {
        return new ResolverConf(List.of(Endpoint.inet("127.0.0.1", 53)), null, true, true, 1000, zone);
    }

    private static Set<String> declared(String text) throws ConfigException {
        return ResolverZones.declaredBy(ConfigParser.parseString(text, "test.conf"));
    }

    @Test
    void resolversNamingOneZoneShareItsCounts() {
        ResolverZones zones = new ResolverZones();
        zones.declare(List.of("dns"));
        ResolverConf http = conf("dns");
        ResolverConf stream = new ResolverConf(List.of(Endpoint.inet("127.0.0.2", 53)), 5000L, true, false, 2000, "dns");
        zones.of(http).asked(ResolverStats.Query.NAME);
        zones.of(stream).asked(ResolverStats.Query.NAME);
        assertThat(zones.of(http)).isSameAs(zones.of(stream));
        assertThat(zones.zone("dns").orElseThrow().figures().name()).isEqualTo(2);
        assertThat(zones.of(conf(null))).as("no status_zone: not counted").isNull();
    }

    @Test
    void aReloadKeepsTheCountsOfANameThatStaysAndForgetsTheOthers() {
        ResolverZones zones = new ResolverZones();
        zones.declare(List.of("b", "a"));
        zones.of(conf("a")).timedOut();
        zones.of(conf("b")).timedOut();
        assertThat(zones.names()).containsExactly("a", "b");
        zones.declare(List.of("a", "c"));
        assertThat(zones.names()).containsExactly("a", "c");
        assertThat(zones.zone("a").orElseThrow().figures().timedout()).isEqualTo(1);
        assertThat(zones.zone("b")).isEmpty();
        zones.declare(List.of("a", "b"));
        assertThat(zones.zone("b").orElseThrow().figures().timedout()).as("b came back anew").isZero();
    }

    @Test
    void aZoneNoConfigurationNamesIsNotListed() {
        ResolverZones zones = new ResolverZones();
        zones.of(conf("early")).failed(); // a lookup may start before its configuration's names are declared
        assertThat(zones.zone("early")).isEmpty();
        zones.declare(List.of("early"));
        assertThat(zones.zone("early").orElseThrow().figures().unknown()).isEqualTo(1);
    }

    @Test
    void everyResolverOfHttpAndStreamAtEveryLevelDeclaresItsZone() throws Exception {
        assertThat(declared("""
                http {
                    resolver 127.0.0.1 status_zone=http_main;
                    map $host $x { resolver status_zone=not_a_resolver; }
                    upstream u { zone u 64k; resolver 127.0.0.1 valid=5s status_zone=in_upstream; }
                    server {
                        resolver 127.0.0.1 status_zone=in_server;
                        location / { resolver 127.0.0.1 ipv6=off status_zone=in_location; }
                        location /b { resolver 127.0.0.1 status_zone=http_main; }
                        location /c { resolver 127.0.0.1; }
                    }
                }
                stream {
                    resolver 127.0.0.1 status_zone=stream_main;
                    server { listen 1; resolver 127.0.0.1 status_zone=in_stream_server; }
                }
                """)).containsExactly("http_main", "in_location", "in_server", "in_stream_server", "in_upstream",
                        "stream_main");
    }

    @Test
    void aStatusZoneWithoutANameIsRefusedAtItsLine() {
        assertThatThrownBy(() -> declared("http {\n    server {\n        resolver 127.0.0.1 status_zone=;\n    }\n}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid parameter \"status_zone=\"")
                .hasMessageContaining("test.conf:3");
    }

    @Test
    void aResolverNothingUsesIsStillChecked() {
        assertThatThrownBy(() -> declared("stream {\n    resolver 127.0.0.1 ipv4=off ipv6=off;\n}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"ipv4\" and \"ipv6\" cannot both be \"off\"")
                .hasMessageContaining("test.conf:2");
    }
}
