#!/usr/bin/env bash
# Shared health check verdicts: how long after a backend dies no node of a 3-node cluster sends it
# requests any more, every node checking it with `health_check interval=INTERVAL_MS`, without
# `sync` on the upstream's zone (the anchor: each node finds out alone) and with it (the first
# node to find out tells the others). Nodes in one JVM on loopback; each run puts the nodes'
# check phases at random and kills the backend at a random moment. Prints every run and, per mode,
# median, mean, min, max and the ratio of the medians to the anchor; the whole output is kept in
# target/bench-results/healthsync-<UTC stamp>.log.
#
#   bench/healthsync/run.sh                 9 runs per mode, interval 1000 ms (about 1 minute)
#   RUNS=5 INTERVAL_MS=500 bench/healthsync/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-9} INTERVAL_MS=${INTERVAL_MS:-1000}
mvn -B -o -q test-compile 2>/dev/null || mvn -B -q test-compile
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-hs.cp >/dev/null
mkdir -p target/bench-results
log=target/bench-results/healthsync-$(date -u +%Y%m%dT%H%M%SZ).log
# The whole output (the nodes' log lines too) goes to the log; the runs and results to the terminal.
{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(git rev-parse --short HEAD 2>/dev/null || echo unknown) $(uname -srm), $(nproc) cores, $(java -version 2>&1 | head -1), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
    java ${JAVA_OPTS:-} -Dlogback.configurationFile=bench/sync/logback-bench.xml \
        -cp "target/test-classes:target/classes:$(cat target/bench-hs.cp)" \
        io.zonesync.http.healthcheck.HealthSyncBench "$RUNS" "$INTERVAL_MS" 2>&1
    echo "# done $(date -u +%H:%MZ), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log" | grep -E '^(#|run |RESULT)'
echo "log: $log"
