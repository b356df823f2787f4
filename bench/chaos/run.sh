#!/usr/bin/env bash
# Chaos soak: CHAOS_NODES bin/zonesync processes, each in its own network namespace, take writes
# through the API on every node (about 50 a second each, into a keyval zone with a state file)
# while a random fault hits the cluster every 3 to 8 s: a partition (from one peer or all), SIGSTOP,
# a slow lossy link (1 Mbit/s, 2% loss), kill -9 and a restart, a reload that drops a peer and one
# that adds it back. Each fault is healed before the next. At the end it prints the writes
# acknowledged, those lost (must be 0), the nodes that diverged (must be 0), the longest time to
# converge after a fault healed, and each node's heap and file descriptors; it exits 1 if anything
# was lost or diverged. Needs root (namespaces, iptables, tc).
#
#   bench/chaos/run.sh                                  10 minutes, 3 nodes
#   CHAOS_SECONDS=60 CHAOS_NODES=5 bench/chaos/run.sh   a short run with 5 nodes
#
# Environment: CHAOS_SECONDS=600, CHAOS_NODES=3, CHAOS_SEED (printed; default: the time).
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ $(id -u) == 0 ]] || { echo "bench/chaos/run.sh needs root (network namespaces, iptables, tc)" >&2; exit 2; }
CHAOS_SECONDS=${CHAOS_SECONDS:-600} CHAOS_NODES=${CHAOS_NODES:-3} CHAOS_SEED=${CHAOS_SEED:-$(date +%s)}
mvn -B -o -q package -DskipTests 2>/dev/null || mvn -B -q package -DskipTests
mvn -B -o -q test-compile 2>/dev/null || mvn -B -q test-compile
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-chaos.cp >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -srm), $(nproc) cores, $(java -version 2>&1 | head -1), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# CHAOS_SECONDS=$CHAOS_SECONDS CHAOS_NODES=$CHAOS_NODES CHAOS_SEED=$CHAOS_SEED"
exec java -Dbasedir="$(pwd)" -cp "target/test-classes:target/classes:$(cat target/bench-chaos.cp)" \
    io.zonesync.bench.ChaosSoak "$CHAOS_SECONDS" "$CHAOS_NODES" "$CHAOS_SEED"
