#!/usr/bin/env bash
# Replication over mutual TLS against plain TCP, same run, same machine; and the handshake rate of
# a TLS zone_sync listener. Usage: bench/tls/run.sh [records] [handshake-seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -o -q test-compile
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-tls.cp >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, $(java -version 2>&1 | head -1)"
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-tls.cp)" \
    io.zonesync.sync.cluster.TlsSyncBench "${1:-200000}" "${2:-5}"
