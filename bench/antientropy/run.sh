#!/usr/bin/env bash
# Anti-entropy: how long two linked nodes take to find and repair a difference they cannot learn
# of by pushes (records merged on one side only, as from a node that died before they reached the
# other), in a zone of RECORDS records, for each difference size given.
#
#   bench/antientropy/run.sh                           full size: 1M records, differences 1, 1000, 100000
#   RECORDS=100000 bench/antientropy/run.sh 1 1000     smaller
#
# Environment: RECORDS=1000000, INTERVAL=10s (zone_sync_digest_interval), JAVA_OPTS="-Xmx4g".
set -euo pipefail
cd "$(dirname "$0")/../.."
RECORDS=${RECORDS:-1000000} INTERVAL=${INTERVAL:-10s}
[ $# -gt 0 ] || set -- 1 1000 100000
mvn -B -o -q test-compile 2>/dev/null || mvn -B -q test-compile
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-ae.cp >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, $(java -version 2>&1 | head -1), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
exec java ${JAVA_OPTS:--Xmx4g} -cp "target/test-classes:target/classes:$(cat target/bench-ae.cp)" \
    io.zonesync.sync.cluster.AntiEntropyBench "$RECORDS" "$INTERVAL" "$@"
