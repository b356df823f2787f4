package io.zonesync.http.limitreq;

import io.zonesync.config.ConfigException;
import io.zonesync.config.Directive;
import io.zonesync.config.ParsedConfig;
import io.zonesync.config.SourceLocation;
import io.zonesync.config.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code limit_req_zone key zone=name:size rate=Nr/s|Nr/m [sync]}, checked as nginx checks it.
 *
 * @param rateMilli milli-requests per second
 */
public record LimitReqZoneConf(String name, long sizeBytes, String key, long rateMilli, boolean sync,
        SourceLocation where) {

    /** The zones of the http block (their names against other families' are the zone table's check). */
    public static List<LimitReqZoneConf> compileAll(ParsedConfig config) throws ConfigException {
        Directive http = config.root().first("http");
        if (http == null || !http.hasBlock()) {
            return List.of();
        }
        Map<String, LimitReqZoneConf> byName = new LinkedHashMap<>();
        for (Directive d : http.block().all(LimitReqModule.ZONE)) {
            LimitReqZoneConf c = compile(d);
            LimitReqZoneConf before = byName.get(c.name);
            if (before != null) {
                if (before.sizeBytes != c.sizeBytes) {
                    throw d.error("the size %d of shared memory zone \"%s\" conflicts with already declared size %d",
                            c.sizeBytes, c.name, before.sizeBytes);
                }
                throw d.error("%s \"%s\" is already bound to key \"%s\"", d.name(), c.name, before.key);
            }
            byName.put(c.name, c);
        }
        return new ArrayList<>(byName.values());
    }

    static LimitReqZoneConf compile(Directive d) throws ConfigException {
        String name = "";
        long size = 0;
        long rate = 1;
        long scale = 1;
        boolean sync = false;
        for (int i = 1; i < d.argCount(); i++) {
            String a = d.arg(i);
            if (a.startsWith("zone=")) {
                int colon = a.indexOf(':', 5);
                if (colon < 0) {
                    throw d.error("invalid zone size \"%s\"", a);
                }
                name = a.substring(5, colon);
                size = size(a.substring(colon + 1));
                if (size < 0) {
                    throw d.error("invalid zone size \"%s\"", a);
                }
                if (size < LimitReqZone.MIN_SIZE) {
                    throw d.error("zone \"%s\" is too small", a);
                }
                continue;
            }
            if (a.startsWith("rate=")) {
                String digits = a.substring(5);
                scale = 1;
                if (digits.endsWith("r/s")) {
                    digits = digits.substring(0, digits.length() - 3);
                } else if (digits.endsWith("r/m")) {
                    digits = digits.substring(0, digits.length() - 3);
                    scale = 60;
                }
                rate = number(digits);
                if (rate <= 0) {
                    throw d.error("invalid rate \"%s\"", a);
                }
                continue;
            }
            if (a.equals("sync")) {
                sync = true;
                continue;
            }
            throw d.error("invalid parameter \"%s\"", a);
        }
        if (name.isEmpty()) {
            throw d.error("\"%s\" must have \"zone\" parameter", d.name());
        }
        return new LimitReqZoneConf(name, size, d.arg(0), rate * 1000 / scale, sync, d.where());
    }

    /** A non-negative integer of at most 2^31-1 (nginx's ngx_atoi on an int), or -1. */
    static long number(String s) {
        long n = Values.parseDigits(s);
        return n > Integer.MAX_VALUE ? -1 : n;
    }

    private static long size(String s) {
        return Values.parseSize(s);
    }
}
