package io.zonesync.net.dns;

import io.netty.handler.codec.dns.DnsRecordType;

/** The two kinds of address a name can have, and the record type that carries each. */
public enum AddressFamily {
    IPV4(DnsRecordType.A, 4),
    IPV6(DnsRecordType.AAAA, 16);

    private final DnsRecordType recordType;
    private final int length;

    AddressFamily(DnsRecordType recordType, int length) {
        this.recordType = recordType;
        this.length = length;
    }

    public DnsRecordType recordType() {
        return recordType;
    }

    /** The length in bytes of one address of this family, as it appears in record data. */
    public int length() {
        return length;
    }
}
