package io.zonesync.sync.discovery;

import static io.zonesync.sync.discovery.FakeDnsLookup.v4;
import static io.zonesync.sync.discovery.FakeDnsLookup.v6;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.zonesync.net.Endpoint;
import io.zonesync.net.dns.AddressFamily;
import io.zonesync.net.dns.FamilyAnswer;
import io.zonesync.net.dns.ManualScheduler;
import io.zonesync.net.dns.RefreshPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** DnsMembership on a scripted DNS and a scheduler whose time the test moves. */
class DnsMembershipTest {
    private static final String NAME = "cluster.test";
    private static final Endpoint CLUSTER = Endpoint.inet(NAME, 12345);

    private final FakeDnsLookup dns = new FakeDnsLookup();
    private final ManualScheduler time = new ManualScheduler();
    private final List<MembershipChange> changes = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(DnsMembership.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    private DnsMembership membership(Long validMs, Endpoint... names) {
        return new DnsMembership(List.of(names), dns, RefreshPolicy.valid(validMs), time, changes::add);
    }

    private DnsMembership started(Long validMs) {
        DnsMembership m = membership(validMs, CLUSTER);
        m.start();
        time.runDue();
        return m;
    }

    private static List<String> keys(List<Member> members) {
        return members.stream().map(Member::key).toList();
    }

    private List<ILoggingEvent> events(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Test
    void aNameWithThreeAddressesIsThreeMembers() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3", "127.0.0.4"));
        DnsMembership m = started(null);

        assertThat(changes).hasSize(1);
        MembershipChange c = changes.get(0);
        assertThat(keys(c.added())).containsExactly("127.0.0.2:12345", "127.0.0.3:12345", "127.0.0.4:12345");
        assertThat(c.removed()).isEmpty();
        assertThat(c.current()).isEqualTo(c.added());
        assertThat(m.members()).isEqualTo(c.current());
        assertThat(c.added()).allSatisfy(member -> assertThat(member.source()).isEqualTo(CLUSTER));
    }

    @Test
    void anAddressAddedToDnsJoinsAtTheNextLookup() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        DnsMembership m = started(null);
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3", "127.0.0.4"));

        time.advance(29_999);
        assertThat(changes).hasSize(1);
        time.advance(1);
        assertThat(changes).hasSize(2);
        assertThat(keys(changes.get(1).added())).containsExactly("127.0.0.4:12345");
        assertThat(changes.get(1).removed()).isEmpty();
        assertThat(keys(m.members())).hasSize(3);
    }

    @Test
    void anAddressRemovedFromDnsLeavesAtTheNextLookup() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3", "127.0.0.4"));
        DnsMembership m = started(null);
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.4"));

        time.advance(30_000);
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).added()).isEmpty();
        assertThat(keys(changes.get(1).removed())).containsExactly("127.0.0.3:12345");
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345", "127.0.0.4:12345");
    }

    @Test
    void theSameAnswerInAnotherOrderIsNoChange() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        started(null);
        dns.answer(NAME, v4(30, "127.0.0.3", "127.0.0.2"));
        time.advance(120_000);
        assertThat(changes).hasSize(1);
    }

    @Test
    void aServerThatGoesSilentChangesNothingAndLookupsDoNotPileUp() {
        dns.answer(NAME, v4(5, "127.0.0.2", "127.0.0.3"));
        DnsMembership m = started(null);
        dns.silent(true);

        time.advance(600_000);
        assertThat(changes).hasSize(1);
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345", "127.0.0.3:12345");
        assertThat(dns.lookups(NAME)).isEqualTo(2); // the one in flight is waited for, not repeated
    }

    @Test
    void failuresKeepTheLastKnownSetAndAreLoggedOncePerOutage() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        DnsMembership m = started(null);
        dns.answer(NAME, FamilyAnswer.failed(AddressFamily.IPV4, "127.0.0.1:5353 answered SERVFAIL"));

        time.advance(30_000 + 5_000 * 10);
        assertThat(dns.lookups(NAME)).isEqualTo(12); // after a failure: every retry period (5 s)
        assertThat(changes).hasSize(1);
        assertThat(keys(m.members())).hasSize(2);
        assertThat(events(Level.ERROR)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("\"cluster.test\"", "fake-dns:53", "A: 127.0.0.1:5353 answered SERVFAIL",
                        "127.0.0.2, 127.0.0.3"));

        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        time.advance(5_000);
        assertThat(log.list).filteredOn(e -> e.getFormattedMessage().contains("resolves again")).hasSize(1);
        dns.answer(NAME, FamilyAnswer.failed(AddressFamily.IPV4, "timeout"));
        time.advance(30_000);
        assertThat(events(Level.ERROR)).hasSize(2); // a new outage is logged again
        assertThat(changes).hasSize(1);
    }

    @Test
    void nothingIsReportedUntilTheNameFirstResolves() {
        dns.answer(NAME, FamilyAnswer.failed(AddressFamily.IPV4, "timeout"));
        DnsMembership m = started(null);
        time.advance(20_000);
        assertThat(changes).isEmpty();
        dns.answer(NAME, v4(30, "127.0.0.2"));
        time.advance(5_000);
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345");
    }

    @Test
    void nxdomainIsADefiniteAnswerThatRemovesEveryone() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        DnsMembership m = started(null);
        dns.answer(NAME, FamilyAnswer.noSuchName(AddressFamily.IPV4));

        time.advance(30_000);
        assertThat(keys(changes.get(1).removed())).containsExactly("127.0.0.2:12345", "127.0.0.3:12345");
        assertThat(m.members()).isEmpty();
        assertThat(events(Level.ERROR)).isEmpty();
        dns.answer(NAME, v4(30, "127.0.0.2"));
        time.advance(5_000); // no TTL to go by: asked again after the retry period
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345");
    }

    @Test
    void aFailingFamilyKeepsItsAddressesWhileTheOtherChanges() {
        dns.answer(NAME, v4(30, "127.0.0.2"), v6(30, "::1"));
        DnsMembership m = started(null);
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345", "[0:0:0:0:0:0:0:1]:12345");
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"),
                FamilyAnswer.failed(AddressFamily.IPV6, "127.0.0.1:53 answered SERVFAIL"));

        time.advance(30_000);
        assertThat(keys(changes.get(1).added())).containsExactly("127.0.0.3:12345");
        assertThat(changes.get(1).removed()).isEmpty();
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345", "127.0.0.3:12345", "[0:0:0:0:0:0:0:1]:12345");
        assertThat(events(Level.ERROR)).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("AAAA: 127.0.0.1:53 answered SERVFAIL"));
    }

    @Test
    void theSmallestTtlDecidesWhenToLookAgain() {
        dns.answer(NAME, v4(10, "127.0.0.2"), v6(20, "::1"));
        started(null);
        time.advance(9_999);
        assertThat(dns.lookups(NAME)).isEqualTo(1);
        time.advance(1);
        assertThat(dns.lookups(NAME)).isEqualTo(2);
    }

    @Test
    void validOverridesTheTtl() {
        dns.answer(NAME, v4(3600, "127.0.0.2"));
        started(3_000L);
        time.advance(2_999);
        assertThat(dns.lookups(NAME)).isEqualTo(1);
        time.advance(1);
        assertThat(dns.lookups(NAME)).isEqualTo(2);
        time.advance(3_000);
        assertThat(dns.lookups(NAME)).isEqualTo(3);
    }

    @Test
    void aZeroTtlIsAskedAgainAfterTheFloorAndAnHourLongTtlAfterTheCap() {
        dns.answer(NAME, v4(0, "127.0.0.2"));
        started(null);
        time.advance(RefreshPolicy.DEFAULT_FLOOR_MS);
        assertThat(dns.lookups(NAME)).isEqualTo(2);

        dns.answer(NAME, v4(3600, "127.0.0.2"));
        time.advance(RefreshPolicy.DEFAULT_FLOOR_MS); // lookup 3 sees the long TTL
        time.advance(RefreshPolicy.DEFAULT_CAP_MS - 1);
        assertThat(dns.lookups(NAME)).isEqualTo(3);
        time.advance(1);
        assertThat(dns.lookups(NAME)).isEqualTo(4);
    }

    @Test
    void twoNamesAreOneSetAndASharedAddressCountsOnce() {
        Endpoint other = Endpoint.inet("more.test", 12345);
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        dns.answer("more.test", v4(30, "127.0.0.3", "127.0.0.4"));
        DnsMembership m = membership(null, CLUSTER, other);
        m.start();
        time.runDue();
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345", "127.0.0.3:12345", "127.0.0.4:12345");

        dns.answer(NAME, v4(30, "127.0.0.2"));
        time.advance(30_000);
        assertThat(keys(m.members())).containsExactly("127.0.0.2:12345", "127.0.0.3:12345", "127.0.0.4:12345");
        assertThat(changes).hasSize(2); // one per name's first answer, none for 127.0.0.3 moving
    }

    @Test
    void aRestartFromThePreviousMembersKeepsThemWhileDnsIsDown() {
        dns.answer(NAME, v4(30, "127.0.0.2", "127.0.0.3"));
        DnsMembership first = started(null);
        List<Member> previous = first.stop();
        time.advance(60_000);
        assertThat(dns.lookups(NAME)).isEqualTo(1);

        changes.clear();
        dns.answer(NAME, FamilyAnswer.failed(AddressFamily.IPV4, "timeout"));
        DnsMembership second = membership(null, CLUSTER);
        second.start(previous);
        time.runDue();
        assertThat(changes).isEmpty();
        assertThat(second.members()).isEqualTo(previous);

        dns.answer(NAME, v4(30, "127.0.0.2"));
        time.advance(5_000);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(keys(c.removed())).containsExactly("127.0.0.3:12345");
            assertThat(c.added()).isEmpty();
        });
    }

    @Test
    void previousMembersOfANameNoLongerConfiguredAreRemovedAtStart() {
        Endpoint old = Endpoint.inet("old.test", 12345);
        dns.answer("old.test", v4(30, "127.0.0.9"));
        DnsMembership first = membership(null, old);
        first.start();
        time.runDue();
        List<Member> previous = first.stop();

        changes.clear();
        dns.answer(NAME, v4(30, "127.0.0.2"));
        DnsMembership second = membership(null, CLUSTER);
        second.start(previous);
        time.runDue();
        assertThat(changes).hasSize(2);
        assertThat(keys(changes.get(0).removed())).containsExactly("127.0.0.9:12345");
        assertThat(keys(changes.get(1).added())).containsExactly("127.0.0.2:12345");
    }

    @Test
    void afterStopTheListenerIsNotCalledAndNoLookupIsScheduled() {
        dns.answer(NAME, v4(30, "127.0.0.2"));
        DnsMembership m = started(null);
        dns.answer(NAME, v4(30, "127.0.0.3"));
        m.stop();
        time.advance(600_000);
        assertThat(changes).hasSize(1);
        assertThat(dns.lookups(NAME)).isEqualTo(1);
    }

    @Test
    void aListenerThatThrowsDoesNotStopDiscovery() {
        dns.answer(NAME, v4(30, "127.0.0.2"));
        List<MembershipChange> seen = new ArrayList<>();
        DnsMembership m = new DnsMembership(List.of(CLUSTER), dns, RefreshPolicy.valid(null), time, c -> {
            seen.add(c);
            throw new IllegalStateException("boom");
        });
        m.start();
        time.runDue();
        dns.answer(NAME, v4(30, "127.0.0.3"));
        time.advance(30_000);
        assertThat(seen).hasSize(2);
    }
}
