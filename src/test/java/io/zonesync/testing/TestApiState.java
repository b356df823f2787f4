package io.zonesync.testing;

import io.zonesync.http.api.ApiState;
import io.zonesync.http.api.NginxInfo;
import io.zonesync.keyval.KeyvalZone;
import java.time.Instant;
import java.util.Map;

/**
 * The state an API test starts from: no keyval zone, a node that has loaded once (nginx 1.27.2,
 * pid 1), and ApiState's own defaults for the rest. A test overrides what it is about.
 */
public abstract class TestApiState implements ApiState {
    @Override
    public Map<String, KeyvalZone> httpKeyvalZones() {
        return Map.of();
    }

    @Override
    public Map<String, KeyvalZone> streamKeyvalZones() {
        return Map.of();
    }

    @Override
    public NginxInfo nginx() {
        return new NginxInfo("1.27.2", "zonesync", 1, Instant.EPOCH, 1, 0);
    }
}
