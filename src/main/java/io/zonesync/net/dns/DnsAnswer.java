package io.zonesync.net.dns;

import java.util.List;
import java.util.Objects;

/** The answers for one name, one per family the resolver is configured to look up. */
public record DnsAnswer(String name, List<FamilyAnswer> families) {
    public DnsAnswer {
        Objects.requireNonNull(name, "name");
        families = List.copyOf(families);
    }

    /** True when every family failed: nothing at all was learnt about the name. */
    public boolean failedEntirely() {
        return families.stream().noneMatch(FamilyAnswer::definite);
    }
}
