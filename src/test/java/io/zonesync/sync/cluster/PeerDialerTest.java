package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerDialerTest {

    @Test
    void howLongAPeerWasAwayReadsAsAnOperatorWouldSayIt() {
        assertThat(PeerDialer.duration(850)).isEqualTo("850ms");
        assertThat(PeerDialer.duration(42_000)).isEqualTo("42s");
        assertThat(PeerDialer.duration(41_600)).isEqualTo("42s");
        assertThat(PeerDialer.duration(60_000)).isEqualTo("1m");
        assertThat(PeerDialer.duration(192_000)).isEqualTo("3m12s");
        assertThat(PeerDialer.duration(3_600_000)).isEqualTo("1h");
        assertThat(PeerDialer.duration(7_500_000)).isEqualTo("2h5m");
    }
}
