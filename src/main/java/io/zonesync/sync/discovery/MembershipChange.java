package io.zonesync.sync.discovery;

import java.util.List;

/**
 * The cluster as DNS now says it is: who joined, who left, and everyone. Lists are in
 * configuration order, then in the order the name servers gave the addresses; no address appears
 * twice (an address two names share counts once, for the first name).
 */
public record MembershipChange(List<Member> added, List<Member> removed, List<Member> current) {
    public MembershipChange {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        current = List.copyOf(current);
    }
}
