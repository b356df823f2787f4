package io.zonesync.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.http.api.NginxInfo;
import io.zonesync.http.statuszone.StatusZones;
import io.zonesync.http.statuszone.TestStatusZones;
import io.zonesync.net.ConnectionStats;
import io.zonesync.net.HandshakeCounters;
import io.zonesync.sync.cluster.SnapshotDurations;
import io.zonesync.testing.MutableClock;
import io.zonesync.testing.TestApiState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics page's names, labels, types and values, in both formats, and promtool's verdict on them. */
class NodeMetricsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

    private final ConnectionStats connections = new ConnectionStats();
    private final StatusZones statusZones = new StatusZones();
    private final MetricsFeature feature = new MetricsFeature(new NodeMetrics(new SyncedState(), connections,
            statusZones, NodeMetricsTest::streamZones, clock()));

    private static MutableClock clock() {
        return new MutableClock(NOW.toEpochMilli());
    }

    private String text() {
        return new String(feature.expose(null).body(), StandardCharsets.UTF_8);
    }

    @Test
    void zoneSyncFiguresKeepTheExportersNamesAndLabels() {
        String t = text();
        assertThat(t).contains("# TYPE nginxplus_stream_zone_sync_status_nodes_online gauge\n")
                .contains("\nnginxplus_stream_zone_sync_status_nodes_online 1.0\n")
                .contains("# TYPE nginxplus_stream_zone_sync_status_bytes_in untyped\n")
                .contains("\nnginxplus_stream_zone_sync_status_bytes_in 4096.0\n")
                .contains("\nnginxplus_stream_zone_sync_status_msgs_out 12.0\n")
                .contains("\nnginxplus_stream_zone_sync_zone_records_pending{zone=\"sessions\"} 3.0\n")
                .contains("\nnginxplus_stream_zone_sync_zone_records_total{zone=\"sessions\"} 42.0\n");
    }

    @Test
    void eachPeerHasZonesyncsOwnFigures() {
        String t = text();
        String peer = "direction=\"outbound\",peer=\"10.0.0.2:12345\"";
        assertThat(t).contains("# TYPE zonesync_peer_records_sent_total counter\n")
                .contains("\nzonesync_peer_records_sent_total{" + peer + "} 7.0\n")
                .contains("\nzonesync_peer_records_received_total{" + peer + "} 5.0\n")
                .contains("\nzonesync_peer_records_pending{" + peer + "} 3.0\n")
                .contains("\nzonesync_peer_online{" + peer + "} 1.0\n")
                .contains("\nzonesync_peer_online_seconds{" + peer + "} 60.0\n")
                .contains("\nzonesync_peer_state{" + peer + ",state=\"online\"} 1.0\n")
                .contains("\nzonesync_peer_online{direction=\"outbound\",peer=\"10.0.0.3:12345\"} 0.0\n")
                .doesNotContain("zonesync_peer_online_seconds{direction=\"outbound\",peer=\"10.0.0.3:12345\"}");
    }

    @Test
    void eachPeerHasItsBytesRoundTripReconnectsAndSilence() {
        String t = text();
        String peer = "direction=\"outbound\",peer=\"10.0.0.2:12345\"";
        String down = "direction=\"outbound\",peer=\"10.0.0.3:12345\"";
        assertThat(t).contains("# TYPE zonesync_peer_bytes_sent_total counter\n")
                .contains("\nzonesync_peer_bytes_sent_total{" + peer + "} 700.0\n")
                .contains("\nzonesync_peer_bytes_received_total{" + peer + "} 500.0\n")
                .contains("# TYPE zonesync_peer_reconnects_total counter\n")
                .contains("\nzonesync_peer_reconnects_total{" + peer + "} 2.0\n")
                .contains("# TYPE zonesync_peer_rtt_seconds gauge\n")
                .contains("\nzonesync_peer_rtt_seconds{" + peer + "} 2.5E-4\n")
                .contains("# TYPE zonesync_peer_last_seen_age_seconds gauge\n")
                .contains("\nzonesync_peer_last_seen_age_seconds{" + peer + "} 1.5\n")
                .doesNotContain("zonesync_peer_rtt_seconds{" + down + "}")
                .doesNotContain("zonesync_peer_last_seen_age_seconds{" + down + "}");
    }

    @Test
    void eachOnlinePeerHasItsReplicationLag() {
        String t = text();
        String peer = "direction=\"outbound\",peer=\"10.0.0.2:12345\"";
        assertThat(t).contains("# TYPE zonesync_peer_replication_lag_seconds gauge\n")
                .contains("\nzonesync_peer_replication_lag_seconds{" + peer + "} 2.75\n")
                .doesNotContain("zonesync_peer_replication_lag_seconds{direction=\"outbound\",peer=\"10.0.0.3:12345\"}");
    }

    @Test
    void snapshotDurationsAreHistogramsPerZoneWithCumulativeBuckets() {
        String t = text();
        assertThat(t).contains("# TYPE zonesync_snapshot_send_duration_seconds histogram\n")
                .contains("\nzonesync_snapshot_send_duration_seconds_bucket{zone=\"sessions\",le=\"0.005\"} 2\n")
                .contains("\nzonesync_snapshot_send_duration_seconds_bucket{zone=\"sessions\",le=\"0.5\"} 2\n")
                .contains("\nzonesync_snapshot_send_duration_seconds_bucket{zone=\"sessions\",le=\"1.0\"} 3\n")
                .contains("\nzonesync_snapshot_send_duration_seconds_bucket{zone=\"sessions\",le=\"+Inf\"} 3\n")
                .contains("\nzonesync_snapshot_send_duration_seconds_count{zone=\"sessions\"} 3\n")
                .contains("\nzonesync_snapshot_send_duration_seconds_sum{zone=\"sessions\"} 0.75\n")
                .contains("\nzonesync_snapshot_receive_duration_seconds_bucket{zone=\"sessions\",le=\"300.0\"} 0\n")
                .contains("\nzonesync_snapshot_receive_duration_seconds_bucket{zone=\"sessions\",le=\"+Inf\"} 1\n");
    }

    @Test
    void syncedZonesHaveTheirSizeUseAndStickySessions() {
        String t = text();
        assertThat(t).contains("# TYPE zonesync_zone_size_bytes gauge\n")
                .contains("\nzonesync_zone_size_bytes{zone=\"sessions\"} 32768.0\n")
                .contains("\nzonesync_zone_used_bytes{zone=\"sessions\"} 1200.0\n")
                .contains("\nzonesync_zone_size_bytes{zone=\"learned\"} 1048576.0\n")
                .contains("\nzonesync_zone_used_bytes{zone=\"learned\"} 4864.0\n")
                .contains("\nzonesync_zone_sticky_sessions{zone=\"learned\"} 3.0\n")
                .contains("\nzonesync_zone_sticky_sessions_max{zone=\"learned\"} 4080.0\n")
                .doesNotContain("zonesync_zone_sticky_sessions{zone=\"sessions\"}")
                .doesNotContain("{zone=\"purges\"}");
    }

    @Test
    void connectionsAndRequestsComeFromTheStubStatusCounters() {
        EmbeddedChannel ch = new EmbeddedChannel();
        connections.readingHeader(ch);
        connections.headerRead(ch);
        connections.requestStarted(ch);
        String t = text();
        assertThat(t).contains("# TYPE nginxplus_http_requests_total counter\n")
                .contains("\nnginxplus_http_requests_total 1.0\n")
                .contains("\nnginxplus_http_requests_current 1.0\n")
                .contains("# TYPE nginxplus_connections_accepted untyped\n")
                .contains("\nnginxplus_up 1.0\n");
    }

    @Test
    void eachWorkerHasTheExportersSeriesLabelledWithItsIdAndPid() {
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();
        connections.countPerWorker(List.of(first.eventLoop(), second.eventLoop()));
        assertThat(text()).contains("\nnginxplus_worker_connection_accepted{id=\"1\",pid=\"4321\"} 0.0\n");
        connections.accepted(second);
        connections.dropped(second);
        connections.readingHeader(second);
        connections.headerRead(second);
        connections.requestStarted(second);
        connections.accepted(first);
        String w1 = "{id=\"1\",pid=\"4321\"} ";
        String w0 = "{id=\"0\",pid=\"4321\"} ";
        assertThat(text()).contains("# TYPE nginxplus_worker_connection_accepted untyped\n")
                .contains("\nnginxplus_worker_connection_accepted" + w1 + "2.0\n")
                .contains("\nnginxplus_worker_connection_dropped" + w1 + "1.0\n")
                .contains("# TYPE nginxplus_worker_connection_active gauge\n")
                .contains("\nnginxplus_worker_connection_active" + w1 + "1.0\n")
                .contains("\nnginxplus_worker_connection_idle" + w1 + "0.0\n")
                .contains("\nnginxplus_worker_connection_idle" + w0 + "1.0\n")
                .contains("# TYPE nginxplus_worker_http_requests_total counter\n")
                .contains("\nnginxplus_worker_http_requests_total" + w1 + "1.0\n")
                .contains("\nnginxplus_worker_http_requests_current" + w1 + "1.0\n")
                .contains("\nnginxplus_worker_http_requests_total" + w0 + "0.0\n");
    }

    private static Map<String, StreamZoneFigures> streamZones() {
        HandshakeCounters tls = new HandshakeCounters();
        tls.succeeded(true);
        tls.failed(HandshakeCounters.Failure.TIMEOUT);
        tls.failed(HandshakeCounters.Failure.OTHER);
        return Map.of("tcp", new StreamZoneFigures(2, 10, 6, 1, 1, 0, 500, 700, tls.report()));
    }

    @Test
    void tlsHandshakesKeepTheExportersNames() {
        connections.handshakes().succeeded(false);
        connections.handshakes().succeeded(true);
        connections.handshakes().failed(HandshakeCounters.Failure.NO_COMMON_CIPHER);
        TestStatusZones.served(statusZones, "front", null, 200, 1, 1);
        TestStatusZones.handshakes(statusZones, "front").succeeded(false);
        String t = text();
        assertThat(t).contains("# TYPE nginxplus_ssl_handshakes untyped\n")
                .contains("\nnginxplus_ssl_handshakes 2.0\n")
                .contains("\nnginxplus_ssl_handshakes_failed 1.0\n")
                .contains("\nnginxplus_ssl_session_reuses 1.0\n")
                .contains("\nnginxplus_server_zone_ssl_handshakes{server_zone=\"front\"} 1.0\n")
                .contains("\nnginxplus_server_zone_ssl_handshakes_failed{server_zone=\"front\"} 0.0\n")
                .contains("\nnginxplus_stream_server_zone_ssl_handshakes{server_zone=\"tcp\"} 1.0\n")
                .contains("\nnginxplus_stream_server_zone_ssl_handshakes_failed{server_zone=\"tcp\"} 2.0\n")
                .contains("\nnginxplus_stream_server_zone_ssl_session_reuses{server_zone=\"tcp\"} 1.0\n")
                .doesNotContain("nginxplus_location_zone_ssl");
    }

    @Test
    void streamServerZonesKeepTheExportersNamesAndLabels() {
        String t = text();
        assertThat(t).contains("# TYPE nginxplus_stream_server_zone_processing gauge\n")
                .contains("\nnginxplus_stream_server_zone_processing{server_zone=\"tcp\"} 2.0\n")
                .contains("\nnginxplus_stream_server_zone_connections{server_zone=\"tcp\"} 10.0\n")
                .contains("\nnginxplus_stream_server_zone_sessions{code=\"2xx\",server_zone=\"tcp\"} 6.0\n")
                .contains("\nnginxplus_stream_server_zone_sessions{code=\"5xx\",server_zone=\"tcp\"} 1.0\n")
                .contains("\nnginxplus_stream_server_zone_sent{server_zone=\"tcp\"} 700.0\n");
    }

    @Test
    void jvmAndProcessMetricsAreIncluded() {
        assertThat(text()).contains("\njvm_memory_used_bytes{").contains("\nprocess_cpu_seconds_total ")
                .contains("\njvm_threads_current ");
    }

    @Test
    void openMetricsWhenTheAcceptHeaderAsksForIt() {
        MetricsFeature.Exposition e = feature.expose("application/openmetrics-text; version=1.0.0; charset=utf-8");
        String body = new String(e.body(), StandardCharsets.UTF_8);
        assertThat(e.contentType()).startsWith("application/openmetrics-text");
        assertThat(body).endsWith("# EOF\n").contains("# TYPE nginxplus_stream_zone_sync_status_bytes_in unknown\n");
        assertThat(feature.expose("text/plain").contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void promtoolAcceptsThePage(@TempDir Path dir) throws IOException, InterruptedException {
        Path page = dir.resolve("metrics.txt");
        Files.write(page, feature.expose(null).body());
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(page.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // The page parses (exit 1 would say it does not); of the lint rules, it breaks only the one the
        // exporter's own name breaks: a gauge whose name ends in _total, kept so dashboards find it.
        assertThat(out.lines()).as(out).containsOnly(
                "nginxplus_stream_zone_sync_zone_records_total non-counter metrics should not have \"_total\" suffix");
        assertThat(p.exitValue()).as(out).isEqualTo(3);
    }

    /** A node with zone_sync: one zone, one peer online and one being dialled, as the API shows them. */
    private static final class SyncedState extends TestApiState {
        @Override
        public NginxInfo nginx() {
            return new NginxInfo("1.27.2", "zonesync", 1, Instant.EPOCH, 4321, 1); // the workers' pid
        }

        @Override
        public Object streamZoneSync() {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("bytes_in", 4096L);
            status.put("msgs_in", 10L);
            status.put("msgs_out", 12L);
            status.put("bytes_out", 2048L);
            status.put("nodes_online", 1);
            return Map.of("zones", Map.of("sessions", Map.of("records_pending", 3L, "records_total", 42L)),
                    "status", status);
        }

        @Override
        public Object streamZoneSyncNodes() {
            Map<String, Object> online = new HashMap<>();
            online.put("address", "10.0.0.2:12345");
            online.put("direction", "outbound");
            online.put("state", "online");
            online.put("online_since", "2026-01-01T00:00:00Z");
            online.put("records_sent", 7L);
            online.put("records_received", 5L);
            online.put("records_pending", 3L);
            online.put("bytes_sent", 700L);
            online.put("bytes_received", 500L);
            online.put("reconnects", 2L);
            online.put("rtt", 0.25);
            online.put("last_seen_age", 1500L);
            online.put("replication_lag", 2750L);
            Map<String, Object> dialling = new HashMap<>(online);
            dialling.put("address", "10.0.0.3:12345");
            dialling.put("state", "connecting");
            dialling.put("online_since", null);
            dialling.put("rtt", null);
            dialling.put("last_seen_age", null);
            dialling.put("replication_lag", null);
            return List.of(online, dialling);
        }

        @Override
        public Map<String, Map<String, Object>> streamZoneSyncZones() {
            Map<String, Object> keyval = new HashMap<>();
            keyval.put("type", "keyval");
            keyval.put("size", 32768L);
            keyval.put("used", 1200L);
            keyval.put("sessions", null);
            Map<String, Object> sticky = new HashMap<>(keyval);
            sticky.put("type", "sticky");
            sticky.put("size", 1048576L);
            sticky.put("used", 4096L + 3 * 256);
            sticky.put("sessions", Map.of("current", 3, "max", 4080));
            Map<String, Object> purges = new HashMap<>(keyval);
            purges.put("size", null);
            purges.put("used", null);
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            out.put("sessions", keyval);
            out.put("learned", sticky);
            out.put("purges", purges);
            return out;
        }

        @Override
        public List<SnapshotDurations.Histogram> snapshotDurations() {
            long[] sent = new long[SnapshotDurations.BOUNDS.length + 1];
            sent[0] = 2; // two in at most 5 ms
            sent[7] = 1; // one in (0.5 s, 1 s]
            long[] received = new long[SnapshotDurations.BOUNDS.length + 1];
            received[SnapshotDurations.BOUNDS.length] = 1; // one over the last bound
            return List.of(new SnapshotDurations.Histogram("sessions", SnapshotDurations.Direction.SEND, sent, 0.75),
                    new SnapshotDurations.Histogram("sessions", SnapshotDurations.Direction.RECEIVE, received, 400));
        }
    }
}
