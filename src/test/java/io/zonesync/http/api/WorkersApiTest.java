package io.zonesync.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.zonesync.net.ConnectionStats;
import io.zonesync.testing.TestApiState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /N/workers[/id]}: every response validated against doc/api/openapi.yaml. */
class WorkersApiTest {
    private final ConnectionStats stats = new ConnectionStats();
    private final EmbeddedChannel zero = new EmbeddedChannel();
    private final EmbeddedChannel one = new EmbeddedChannel();
    private final ApiHandler handler = new ApiHandler(new TestApiState() {
        @Override
        public NginxInfo nginx() {
            return new NginxInfo("1.27.2", "zonesync", 1, Instant.EPOCH, 4321, 1);
        }

        @Override
        public ConnectionStats connections() {
            return stats;
        }
    });

    /** Worker 0: a request in progress; worker 1: one finished on an idle connection, and one connection dropped. */
    WorkersApiTest() {
        stats.countPerWorker(List.of(zero.eventLoop(), one.eventLoop()));
        stats.accepted(zero);
        stats.readingHeader(zero);
        stats.headerRead(zero);
        stats.requestStarted(zero);
        stats.accepted(one);
        stats.readingHeader(one);
        stats.headerRead(one);
        stats.requestStarted(one);
        stats.requestEnded(one);
        stats.dropped(one);
    }

    private static final String ZERO = "{\"id\":0,\"pid\":4321,\"connections\":{\"accepted\":1,\"dropped\":0,"
            + "\"active\":1,\"idle\":0},\"http\":{\"requests\":{\"total\":1,\"current\":1}}}";
    private static final String ONE = "{\"id\":1,\"pid\":4321,\"connections\":{\"accepted\":2,\"dropped\":1,"
            + "\"active\":0,\"idle\":1},\"http\":{\"requests\":{\"total\":1,\"current\":0}}}";

    private String get(String path, String query) {
        ApiResponse r = ApiSpec.call(handler, "GET", path, query, false);
        assertThat(r.status()).as(path).isEqualTo(200);
        return ApiSpec.body(r);
    }

    @Test
    void listsEveryWorkerInOrderWithTheNodesPid() {
        assertThat(get("/9/workers/", null)).isEqualTo("[" + ZERO + "," + ONE + "]");
        assertThat(get("/9/workers/1", null)).isEqualTo(ONE);
        assertThat(get("/9/workers", "fields=id,connections"))
                .isEqualTo("[{\"id\":0,\"connections\":{\"accepted\":1,\"dropped\":0,\"active\":1,\"idle\":0}},"
                        + "{\"id\":1,\"connections\":{\"accepted\":2,\"dropped\":1,\"active\":0,\"idle\":1}}]");
        assertThat(get("/9/workers/0", "fields=http")).isEqualTo("{\"http\":{\"requests\":{\"total\":1,\"current\":1}}}");
    }

    @Test
    void anIdThatNamesNoWorkerIsWorkerNotFound() {
        for (String id : new String[] {"2", "-1", "x", "1.0", "99999999999"}) {
            ApiResponse r = ApiSpec.call(handler, "GET", "/9/workers/" + id, null, false);
            assertThat(r.status()).as(id).isEqualTo(404);
            assertThat(ApiSpec.body(r)).as(id).contains("\"code\":\"WorkerNotFound\"")
                    .contains("\"text\":\"worker not found\"");
        }
        assertThat(ApiSpec.call(handler, "DELETE", "/9/workers/7", null, true).status()).isEqualTo(404);
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/9/workers/0/x", null, false)))
                .contains("PathNotFound");
        assertThat(ApiSpec.body(ApiSpec.call(handler, "GET", "/8/workers/", null, false))).contains("PathNotFound");
    }

    @Test
    void deleteZeroesTotalsOfOneWorkerOrAll() {
        assertThat(ApiSpec.call(handler, "DELETE", "/9/workers/1", null, false).status())
                .as("needs write=on").isEqualTo(405);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/workers/1", null, true).status()).isEqualTo(204);
        assertThat(get("/9/workers/1", null)).isEqualTo("{\"id\":1,\"pid\":4321,\"connections\":{\"accepted\":0,"
                + "\"dropped\":0,\"active\":0,\"idle\":1},\"http\":{\"requests\":{\"total\":0,\"current\":0}}}");
        assertThat(get("/9/workers/0", null)).isEqualTo(ZERO);
        assertThat(ApiSpec.call(handler, "DELETE", "/9/workers/", null, true).status()).isEqualTo(204);
        assertThat(get("/9/workers/0", null)).isEqualTo("{\"id\":0,\"pid\":4321,\"connections\":{\"accepted\":0,"
                + "\"dropped\":0,\"active\":1,\"idle\":0},\"http\":{\"requests\":{\"total\":0,\"current\":1}}}");
        assertThat(stats.snapshot().accepted()).as("the node's totals stay").isEqualTo(3);
        assertThat(ApiSpec.call(handler, "POST", "/9/workers/0", null, true).status()).isEqualTo(405);
    }
}
