package io.zonesync.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One timestamp per absent peer: what its link owed at close, else the first change after. */
class AwayPeersTest {
    private final AwayPeers away = new AwayPeers();

    @Test
    void anAbsentPeerIsOwedFromTheFirstChangeAfterItLeftAndLaterChangesDoNotMoveIt() {
        away.away(7, AwayPeers.NONE);
        assertThat(AwayPeers.lag(away.owedSince(7), 1_000)).as("nothing changed yet").isZero();
        away.changed(1_000);
        away.changed(4_000);
        assertThat(away.owedSince(7)).isEqualTo(1_000);
        assertThat(AwayPeers.lag(away.owedSince(7), 6_000)).isEqualTo(5_000);
    }

    @Test
    void whatTheLinkOwedWhenItClosedCountsFromWhenItWasOwed() {
        away.away(7, 500);
        away.changed(1_000);
        assertThat(AwayPeers.lag(away.owedSince(7), 2_000)).isEqualTo(1_500);
    }

    @Test
    void aPeerBackWithNothingMissedIsForgottenAtOnceOneThatMissedChangesWhenItCaughtUp() {
        away.away(7, AwayPeers.NONE);
        away.away(8, AwayPeers.NONE);
        away.back(7);
        assertThat(away.owedSince(7)).as("its link's own lag from now on").isEqualTo(-1);
        away.changed(1_000);
        assertThat(away.owedSince(7)).as("no longer absent: changes go to its link").isEqualTo(-1);
        away.back(8);
        assertThat(away.owedSince(8)).as("kept while it catches up").isEqualTo(1_000);
        away.forget(8);
        assertThat(AwayPeers.lag(away.owedSince(8), 2_000)).isEqualTo(-1);
    }

    @Test
    void unknownPeersHaveNoLag() {
        assertThat(AwayPeers.lag(away.owedSince(0), 1_000)).isEqualTo(-1);
        away.away(0, 5);
        assertThat(away.owedSince(0)).as("node id 0: a link that never said HELLO").isEqualTo(-1);
    }
}
