package io.zonesync.http.api;

import java.time.Instant;

/**
 * What {@code GET /N/nginx} reports about the running node: version (e.g. {@code 1.27.2}), build
 * name (e.g. {@code zonesync-0.1.0}), the number of reloads, the time of the last (re)load, and
 * process ids. The handler adds the current time and the address that accepted the request.
 */
public record NginxInfo(String version, String build, long generation, Instant loadTimestamp,
        long pid, long ppid) {
}
