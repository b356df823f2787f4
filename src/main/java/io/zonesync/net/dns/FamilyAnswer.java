package io.zonesync.net.dns;

import java.util.List;
import java.util.Objects;

/**
 * What the name servers said about one name and one family (A or AAAA).
 *
 * <ul>
 *   <li>{@link Outcome#ANSWER}: NOERROR; {@code records} may be empty (the name exists but has no
 *       address of this family). A definite answer.</li>
 *   <li>{@link Outcome#NO_SUCH_NAME}: NXDOMAIN. A definite answer: the name has no addresses.</li>
 *   <li>{@link Outcome#FAILED}: no definite answer from any server (timeout, SERVFAIL, REFUSED, a
 *       malformed reply, a socket error); {@code detail} says what each server did.</li>
 * </ul>
 */
public record FamilyAnswer(AddressFamily family, Outcome outcome, List<TtlAddress> records, String detail) {

    public enum Outcome { ANSWER, NO_SUCH_NAME, FAILED }

    public FamilyAnswer {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(outcome, "outcome");
        records = List.copyOf(records);
        if (outcome != Outcome.ANSWER && !records.isEmpty()) {
            throw new IllegalArgumentException(outcome + " cannot carry records");
        }
        detail = detail == null ? "" : detail;
    }

    public static FamilyAnswer answer(AddressFamily family, List<TtlAddress> records) {
        return new FamilyAnswer(family, Outcome.ANSWER, records, "");
    }

    public static FamilyAnswer noSuchName(AddressFamily family) {
        return new FamilyAnswer(family, Outcome.NO_SUCH_NAME, List.of(), "NXDOMAIN");
    }

    public static FamilyAnswer failed(AddressFamily family, String detail) {
        return new FamilyAnswer(family, Outcome.FAILED, List.of(), detail);
    }

    /** True unless the servers gave no usable answer. */
    public boolean definite() {
        return outcome != Outcome.FAILED;
    }
}
