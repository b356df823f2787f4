#!/usr/bin/env bash
# Cache purges across a cluster (proxy_cache_path ... sync): the time from a PURGE on node A until
# node C answers the purged URL with a MISS, for one key and for a wildcard over ten keys, three
# whole nodes in one JVM with FILL cached entries each, median of RUNS runs after WARMUP. The
# anchor, measured in the same run on the same links: a keyval write on A until C's API shows it.
#
#   bench/purgesync/run.sh                        21 runs after 5 warm-up, 1000 entries a node
#   RUNS=5 WARMUP=1 FILL=100 bench/purgesync/run.sh     smoke run
#
# Output: the figures as RESULT lines, also saved to target/bench-results/purgesync-<UTC stamp>.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-21} WARMUP=${WARMUP:-5} FILL=${FILL:-1000}
mvn -B -o -q test-compile 2>/dev/null || mvn -B -q test-compile
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-purgesync.cp >/dev/null
mkdir -p target/bench-results
log=target/bench-results/purgesync-$(date -u +%Y%m%dT%H%M%SZ).log
{
    echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, $(java -version 2>&1 | head -1), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
    java ${JAVA_OPTS:-} -Dlogback.configurationFile=bench/sync/logback-bench.xml -cp "target/test-classes:target/classes:$(cat target/bench-purgesync.cp)" \
        io.zonesync.bench.PurgeSyncBench "$RUNS" "$WARMUP" "$FILL"
} 2>&1 | tee "$log"
