package io.zonesync.http.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NextUpstreamTest {
    @Test
    void onlyNotFoundAndForbiddenMoveOnWithoutChargingTheServer() {
        assertThat(NextUpstream.forStatus(403).countsAsFailure()).isFalse();
        assertThat(NextUpstream.forStatus(404).countsAsFailure()).isFalse();
        for (int status : new int[] {429, 500, 502, 503, 504}) {
            assertThat(NextUpstream.forStatus(status).countsAsFailure()).as("status %d", status).isTrue();
        }
        assertThat(NextUpstream.forStatus(200)).isNull();
    }
}
