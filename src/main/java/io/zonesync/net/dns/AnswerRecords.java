package io.zonesync.net.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the addresses (or SRV records) of one name out of a NOERROR response's answer section. A recursive server
 * answers a name that is an alias with the CNAME chain and the target's records in one response;
 * the chain is followed here, and an address's TTL is the smallest along its chain.
 */
final class AnswerRecords {
    /** Longer chains than this are not followed (a loop, or a misconfigured zone). */
    static final int MAX_CNAME_HOPS = 8;
    /** RFC 2181 section 8: a TTL with the top bit set is read as zero. */
    private static final long MAX_TTL = 0x7fff_ffffL;

    private AnswerRecords() {
    }

    static List<TtlAddress> addresses(DnsResponse response, String name, AddressFamily family) {
        int count = response.count(DnsSection.ANSWER);
        Map<String, Long> owners = owners(response, name);
        Map<InetAddress, Long> found = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            Long via = owners.get(normalize(r.name()));
            if (r.type() != family.recordType() || via == null || !(r instanceof DnsRawRecord raw)) {
                continue;
            }
            InetAddress address = address(raw.content(), family, r.name());
            found.merge(address, Math.min(via, ttl(r)), Math::min);
        }
        List<TtlAddress> out = new ArrayList<>(found.size());
        found.forEach((a, ttl) -> out.add(new TtlAddress(a, ttl)));
        return out;
    }

    /** The name and the aliases the response's CNAME chain gives it, each with the smallest TTL on the way. */
    private static Map<String, Long> owners(DnsResponse response, String name) {
        int count = response.count(DnsSection.ANSWER);
        Map<String, Long> owners = new HashMap<>(); // the name and its aliases -> smallest TTL on the way
        owners.put(normalize(name), Long.MAX_VALUE);
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            boolean grew = false;
            for (int i = 0; i < count; i++) {
                DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
                Long via = owners.get(normalize(r.name()));
                if (r.type() == DnsRecordType.CNAME && via != null && r instanceof DnsRawRecord raw) {
                    String target = normalize(DefaultDnsRecordDecoder.decodeName(raw.content().duplicate()));
                    long ttl = Math.min(via, ttl(r));
                    Long known = owners.get(target);
                    if (known == null || known > ttl) {
                        owners.put(target, ttl);
                        grew = true;
                    }
                }
            }
            if (!grew) {
                break;
            }
        }
        return owners;
    }

    /** The SRV records of {@code name} (or of the name it is an alias of) in a NOERROR response. */
    static List<SrvRecord> services(DnsResponse response, String name) {
        Map<String, Long> owners = owners(response, name);
        List<SrvRecord> out = new ArrayList<>();
        int count = response.count(DnsSection.ANSWER);
        for (int i = 0; i < count; i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            Long via = owners.get(normalize(r.name()));
            if (r.type() != DnsRecordType.SRV || via == null || !(r instanceof DnsRawRecord raw)) {
                continue;
            }
            ByteBuf data = raw.content().duplicate();
            if (data.readableBytes() < 7) {
                throw new IllegalArgumentException("SRV record of \"" + r.name() + "\" has " + data.readableBytes()
                        + " bytes of data, too few");
            }
            int priority = data.readUnsignedShort();
            int weight = data.readUnsignedShort();
            int port = data.readUnsignedShort();
            String target = normalize(DefaultDnsRecordDecoder.decodeName(data));
            out.add(new SrvRecord(priority, weight, port, target, Math.min(via, ttl(r))));
        }
        return out;
    }

    private static InetAddress address(ByteBuf data, AddressFamily family, String owner) {
        if (data.readableBytes() != family.length()) {
            throw new IllegalArgumentException(family.recordType().name() + " record of \"" + owner + "\" has "
                    + data.readableBytes() + " bytes of data, expected " + family.length());
        }
        byte[] bytes = ByteBufUtil.getBytes(data);
        try {
            // Inet6Address keeps an IPv4-mapped AAAA as IPv6, where InetAddress.getByAddress would not.
            return family == AddressFamily.IPV6 ? Inet6Address.getByAddress(null, bytes, -1)
                    : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // not reachable: the length is checked
        }
    }

    private static long ttl(DnsRecord r) {
        long ttl = r.timeToLive();
        return ttl < 0 || ttl > MAX_TTL ? 0 : ttl;
    }

    static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
