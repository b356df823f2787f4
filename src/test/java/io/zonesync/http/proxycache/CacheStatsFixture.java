package io.zonesync.http.proxycache;

/** Cache figures filled as requests would fill them, for tests outside the package (the API's). */
public final class CacheStatsFixture {
    private CacheStatsFixture() {
    }

    /** Figures with {@code n} responses of {@code bodyBytes} each under {@code status}, each also written. */
    public static CacheStats with(CacheStats stats, CacheStatus status, int n, long bodyBytes) {
        for (int i = 0; i < n; i++) {
            stats.served(status, bodyBytes);
            stats.written(status, bodyBytes);
        }
        return stats;
    }
}
