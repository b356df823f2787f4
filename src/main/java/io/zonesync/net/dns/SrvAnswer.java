package io.zonesync.net.dns;

import java.util.List;

/**
 * What the name servers said about a service name's SRV records: as {@link FamilyAnswer}, an
 * answer (perhaps without records), NXDOMAIN, or a failure with what each server did.
 */
public record SrvAnswer(FamilyAnswer.Outcome outcome, List<SrvRecord> records, String detail) {
    public SrvAnswer {
        records = List.copyOf(records);
        detail = detail == null ? "" : detail;
    }

    public boolean definite() {
        return outcome != FamilyAnswer.Outcome.FAILED;
    }
}
