package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonesync.config.Block;
import io.zonesync.config.ConfigException;
import io.zonesync.config.ConfigParser;
import io.zonesync.config.Context;
import io.zonesync.config.DirectiveRegistry;
import io.zonesync.config.Scope;
import io.zonesync.stream.StreamCoreModule;
import io.zonesync.stream.StreamServerConf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZoneSyncSettingsTest {
    /** "cluster.test" stands for three nodes; everything else must be an address literal. */
    private static final ZoneSyncSettings.HostResolver HOSTS = host -> {
        if (host.equals("cluster.test")) {
            return new InetAddress[] {InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                InetAddress.getByName("10.0.0.3")};
        }
        if (host.equals("nowhere.test")) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] {InetAddress.getByName(host)};
    };

    private static Optional<ZoneSyncSettings> compile(String stream) throws ConfigException {
        Block root = ConfigParser.parseString("stream {\n" + stream + "\n}\n", "s.conf");
        DirectiveRegistry registry = new DirectiveRegistry();
        registry.registerAll(new StreamCoreModule(), new ZoneSyncModule());
        registry.validate(root);
        Scope scope = Scope.root(root).child(Context.STREAM, root.first("stream").block());
        return ZoneSyncSettings.compile(StreamServerConf.compileAll(scope), HOSTS);
    }

    private static ZoneSyncSettings settings(String serverBody) throws ConfigException {
        return compile("server {\n listen 127.0.0.1:9000;\n zone_sync;\n" + serverBody + "\n}").orElseThrow();
    }

    @Test
    void nginxPlusDefaults() throws ConfigException {
        ZoneSyncSettings s = settings("zone_sync_server 10.0.0.1:9000;");
        assertThat(s.bufferCount()).isEqualTo(8);
        assertThat(s.bufferSize()).isEqualTo(4096);
        assertThat(s.recvBufferSize()).isEqualTo(8 * 4096);
        assertThat(s.intervalMs()).isEqualTo(1000);
        assertThat(s.connectTimeoutMs()).isEqualTo(5000);
        assertThat(s.connectRetryIntervalMs()).isEqualTo(1000);
        assertThat(s.timeoutMs()).isEqualTo(5000);
        assertThat(s.staticPeers()).extracting(ZoneSyncSettings.StaticPeer::key).containsExactly("10.0.0.1:9000");
    }

    @Test
    void settingsAreInheritedFromTheStreamBlockAndOverriddenInTheServer() throws ConfigException {
        ZoneSyncSettings s = compile("zone_sync_buffers 256 8k; zone_sync_timeout 10s;\n"
                + "server { listen 9000; zone_sync; zone_sync_timeout 2s; zone_sync_recv_buffer_size 1m;"
                + " zone_sync_interval 500ms; zone_sync_connect_timeout 1s; zone_sync_connect_retry_interval 250ms;"
                + " }").orElseThrow();
        assertThat(s.bufferCount()).isEqualTo(256);
        assertThat(s.bufferSize()).isEqualTo(8192);
        assertThat(s.recvBufferSize()).isEqualTo(1024 * 1024);
        assertThat(s.timeoutMs()).isEqualTo(2000);
        assertThat(s.intervalMs()).isEqualTo(500);
        assertThat(s.connectTimeoutMs()).isEqualTo(1000);
        assertThat(s.connectRetryIntervalMs()).isEqualTo(250);
    }

    @Test
    void aNameStandsForEveryAddressItResolvesToAndUnixSocketsAreNodesToo() throws ConfigException {
        ZoneSyncSettings s = settings("zone_sync_server cluster.test:12345;\nzone_sync_server unix:/run/z.sock;");
        assertThat(s.staticPeers()).extracting(ZoneSyncSettings.StaticPeer::key)
                .containsExactly("10.0.0.1:12345", "10.0.0.2:12345", "10.0.0.3:12345", "unix:/run/z.sock");
        assertThat(s.staticPeers().get(0).name()).isEqualTo("cluster.test");
    }

    @Test
    void noZoneSyncNoSettings() throws ConfigException {
        assertThat(compile("server { listen 9000; }")).isEmpty();
    }

    @Test
    void configurationErrorsNameFileAndLine() {
        assertError("server { listen 1; zone_sync; }\nserver { listen 2;\n zone_sync; }",
                "\"zone_sync\" directive is duplicate in s.conf:4");
        assertError("server {\n zone_sync;\n}", "no \"listen\" is defined for server in s.conf:2");
        assertServerError("zone_sync_server 10.0.0.1;", "no port in \"10.0.0.1\" of the \"zone_sync_server\" directive");
        assertServerError("zone_sync_server 10.0.0.1:99999;", "invalid port in \"10.0.0.1:99999\"");
        assertServerError("zone_sync_server 10.0.0.1:1;\nzone_sync_server 10.0.0.1:1;",
                "zone_sync_server \"10.0.0.1:1\" is listed twice in s.conf:6");
        assertServerError("zone_sync_server cluster.test:1;\nzone_sync_server 10.0.0.2:1;",
                "lists the node 10.0.0.2:1 a second time");
        assertServerError("zone_sync_server nowhere.test:1;", "host not found in zone_sync_server \"nowhere.test:1\"");
        assertServerError("zone_sync_server 10.0.0.1:1 sometimes;", "invalid parameter \"sometimes\"");
        assertServerError("zone_sync_buffers 8 4k;\nzone_sync_recv_buffer_size 2k;",
                "zone_sync_recv_buffer_size 2k is smaller than one zone_sync_buffers buffer (4096 bytes)");
        assertServerError("zone_sync_buffers 0 4k;", "invalid value \"0\" in \"zone_sync_buffers\" directive");
        // below one minimal frame, every link would fail at its first HELLO
        assertServerError("zone_sync_buffers 4 64;", "zone_sync_buffers size \"64\" must be between 512 and 64m");
        assertServerError("zone_sync_timeout 0;", "\"zone_sync_timeout\" must be greater than zero");
        assertServerError("zone_sync_server cluster.test:1 resolve;",
                "no resolver defined to resolve \"cluster.test:1\": add a \"resolver\" directive");
        assertServerError("resolver 127.0.0.1;\nzone_sync_server cluster.test:1 resolve;\nzone_sync_server 10.0.0.9:1;",
                "cannot be mixed with static zone_sync_server entries");
    }

    @Test
    void resolveKeepsTheNameForDiscovery() throws ConfigException {
        ZoneSyncSettings s = settings("resolver 127.0.0.1:5353 valid=10s ipv6=off;\n"
                + "zone_sync_server cluster.test:12345 resolve;");
        assertThat(s.staticPeers()).isEmpty();
        assertThat(s.dnsNames()).hasSize(1);
        assertThat(s.dnsNames().get(0).host()).isEqualTo("cluster.test");
        assertThat(s.resolver().validMs()).isEqualTo(10_000L);
        assertThat(s.resolver().ipv6()).isFalse();
        assertThat(s.resolver().servers().get(0).port()).isEqualTo(5353);
    }

    private static void assertError(String stream, String message) {
        assertThatThrownBy(() -> compile(stream)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    private static void assertServerError(String body, String message) {
        assertThatThrownBy(() -> settings(body)).isInstanceOf(ConfigException.class).hasMessageContaining(message)
                .hasMessageContaining(" in s.conf:");
    }
}
