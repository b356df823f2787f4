#!/usr/bin/env bash
# Scale: clusters of 8, 16 and 32 zonesync processes on one machine, each a real bin/zonesync with a
# modest heap, on its own loopback address (127.0.1.X, all on the same ports; the whole of 127/8 is
# loopback on Linux, so no namespaces or root are needed), every node listing every other
# (zone_sync is a full mesh).
#
#   bench/scale/run.sh                          full size: about 15 minutes
#   SIZES="8" JOIN_NODES=8 JOIN_KEYS=20000 bench/scale/run.sh     smoke run, figures mean nothing
#
# Per cluster size N: all N nodes started, then once every node sees N-1 peers online:
# - propagation: WARMUP writes at 200/s to node 1 through the keyval API (not counted), then
#   WRITES writes 250 ms apart; each write's time to reach every node = the latest of its
#   arrivals on the N-1 others (ArrivalAgent, as in bench/e2e) minus its scheduled send time;
#   the median over the writes is the figure (p99 and max logged too);
# - per node, after a full GC (jcmd GC.run): heap used (jcmd GC.heap_info), RSS and threads
#   (/proc/PID/status), file descriptors (/proc/PID/fd); median and max over the nodes;
# - at N = JOIN_NODES only: JOIN_KEYS records POSTed to node 1 in one request ({"jK": 32 bytes, ...}),
#   timed until every node holds them all; then node N is stopped and started again empty, and
#   the clock runs from its spawn until it holds all JOIN_KEYS (its agent writes the moment),
#   with the time its API first answered and its first record arrived on the way: one peer's
#   snapshot (doc/protocol.md 11.7; the others send none of the zone).
# Then, per size, the same cluster of HAProxy processes with its peers, started after the zonesync
# nodes stopped (bench/scale/haproxy.py: RSS, threads, fds, one write to every process, and at
# JOIN_NODES the fill and a restarted empty process's resync), unless ANCHOR="" (haproxy is installed
# from Debian if missing, unless SKIP_INSTALL=1).
# Then plot.py draws how each figure grows with N (scale-<stamp>.svg beside the log).
#
# Environment (all optional): SIZES="8 16 32" HEAP=128m (each node's -Xmx) NODE_OPTS (more JVM
#   options of every node) WARMUP=1000 WRITES=20 JOIN_NODES=32 JOIN_KEYS=100000 KEEP_TMP=1
#   NODE1_OPTS (more JVM options for node 1, which the join's records are written to, e.g. a
#   larger heap or a profiler)
#   SYNC_EXTRA (more zone_sync directives for every node, e.g. "zone_sync_timeout 60s;": 32 JVMs
#   on 2 cores starve each other's event loops for longer than the default 5 s)
# Output: target/bench-results/scale-<UTC stamp>.log ("RESULT name value unit" lines), .table, .svg.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
SIZES=${SIZES:-"8 16 32"} HEAP=${HEAP:-128m} WARMUP=${WARMUP:-1000} WRITES=${WRITES:-20}
JOIN_NODES=${JOIN_NODES:-32} JOIN_KEYS=${JOIN_KEYS:-100000} ANCHOR=${ANCHOR-1}
NODE_OPTS="-Xmx$HEAP ${NODE_OPTS:-} -Dzonesync.arrivals.join=$JOIN_KEYS"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p target/bench-results
log=$repo/target/bench-results/scale-$stamp.log
table=$repo/target/bench-results/scale-$stamp.table
svg=$repo/target/bench-results/scale-$stamp.svg
tmp=$(mktemp -d /tmp/zonesync-scale-bench.XXXXXX)
source bench/e2e/nodes.sh
cleanup() {
    local status=$?
    set +e
    zs_cleanup
    if [[ -n "${KEEP_TMP:-}" ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

exec > >(tee -a "$log") 2>&1
if [[ -n "$ANCHOR" && -z "${SKIP_INSTALL:-}" ]] && ! command -v haproxy >/dev/null; then
    echo "installing haproxy (Debian package)"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy >/dev/null
fi
zs_prepare
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# scale benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), zonesync git $rev"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
echo "# java: $(java -version 2>&1 | sed -n 2p)"
[[ -n "$ANCHOR" ]] && echo "# haproxy: $(haproxy -v | head -1)"
echo "# SYNC_EXTRA='${SYNC_EXTRA:-}' NODE1_OPTS='${NODE1_OPTS:-}'"
echo "# SIZES='$SIZES' HEAP=$HEAP WARMUP=$WARMUP WRITES=$WRITES JOIN_NODES=$JOIN_NODES JOIN_KEYS=$JOIN_KEYS NODE_OPTS='$NODE_OPTS'"
load() { cut -d' ' -f1-3 /proc/loadavg; }
ms() { date +%s%3N; }
read -r HP SP <<<"$(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.1.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')"
addr() { echo "127.0.1.$1"; }

# node_config I N: node I of a cluster of N
node_config() {
    local i=$1 n=$2 d=$tmp/n$2/node$1 j
    mkdir -p "$d"
    {
        echo "pid zonesync.pid;"
        echo "error_log $d/error.log notice;"
        echo "events { }"
        echo "stream { server { listen $(addr "$i"):$SP; zone_sync; zone_sync_connect_retry_interval 500ms; ${SYNC_EXTRA:-}"
        for j in $(seq 1 "$n"); do echo "    zone_sync_server $(addr "$j"):$SP;"; done
        echo "} }"
        echo "http { access_log off; keyval_zone zone=kv:16m sync; keyval_zone zone=join:128m sync;"
        echo "    server { listen $(addr "$i"):$HP; location /api { api write=on; client_body_buffer_size 64m; client_max_body_size 64m; } } }"
    } >"$d/zonesync.conf"
}

# resources N PIDS...: per-node figures after a full GC
resources() {
    local n=$1 i=0 p jp
    shift
    for p in "$@"; do
        i=$((i + 1))
        jp=$(zs_java_pid "$p")
        jcmd "$jp" GC.run >/dev/null 2>&1 || true
        local heap rss threads fds
        heap=$(jcmd "$jp" GC.heap_info 2>/dev/null | awk '/used/ { for (k = 1; k <= NF; k++) if ($k == "used") { v = $(k + 1); sub(/K,?/, "", v); print v; exit } }')
        rss=$(awk '/^VmRSS/ {print $2}' "/proc/$jp/status")
        threads=$(awk '/^Threads/ {print $2}' "/proc/$jp/status")
        fds=$(ls "/proc/$jp/fd" | wc -l)
        echo "node $i (jvm pid $jp): heap used ${heap:-?} KiB, RSS $rss KiB, threads $threads, fds $fds"
        echo "PER n$n node$i ${heap:-0} $rss $threads $fds"
    done
}

for n in $SIZES; do
    echo "## $n nodes (loadavg $(load), free memory $(awk '/MemAvailable/{printf "%.1f GiB", $2/1048576}' /proc/meminfo))"
    pids=()
    t0=$(ms)
    for i in $(seq 1 "$n"); do
        node_config "$i" "$n"
        if [[ $i == 1 ]]; then zs_start "$tmp/n$n/node$i" "${NODE1_OPTS:-}"; else zs_start "$tmp/n$n/node$i"; fi
        pids+=("$started")
    done
    for i in $(seq 1 "$n"); do zs_wait_api "http://$(addr "$i"):$HP/api/9/" "${pids[i - 1]}"; done
    t1=$(ms)
    for i in $(seq 1 "$n"); do zs_wait_online "http://$(addr "$i"):$HP" $((n - 1)); done
    t2=$(ms)
    echo "RESULT n$n.start_s $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') s (all APIs answer)"
    echo "RESULT n$n.mesh_s $(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.2f", (b - a) / 1000 }') s (every node sees every peer)"
    $LOAD write "$(addr 1):$HP" kv 200 "$(awk -v w="$WARMUP" 'BEGIN { print w / 200 }')" 0 1 "$tmp/n$n/warmup.sched"
    sleep 1
    echo "# propagation: $WRITES writes 250 ms apart (loadavg $(load))"
    $LOAD write "$(addr 1):$HP" kv 4 "$(awk -v w="$WRITES" 'BEGIN { print w / 4 }')" 100000 1 "$tmp/n$n/writes.sched"
    sleep 2
    echo "# resources (loadavg $(load))"
    resources "$n" "${pids[@]}"
    if [[ $n == "$JOIN_NODES" ]]; then
        echo "# join: filling $JOIN_KEYS records into node 1 (loadavg $(load))"
        f0=$(ms)
        $LOAD fill "$(addr 1):$HP" join "$JOIN_KEYS" "$JOIN_KEYS"   # one POST: the API takes several pairs only into an empty zone
        for i in $(seq 2 "$n"); do
            for _ in $(seq 1 12000); do [[ -f "$tmp/n$n/node$i/arrivals.whole" ]] && break; sleep 0.05; done
            [[ -f "$tmp/n$n/node$i/arrivals.whole" ]] || { echo "ERROR: node $i never got all $JOIN_KEYS records"; exit 1; }
        done
        f1=$(ms)
        echo "RESULT join.fill_s $(awk -v a="$f0" -v b="$f1" 'BEGIN { printf "%.2f", (b - a) / 1000 }') s (POSTed to node 1 until every node holds them all)"
        echo "# resources with $JOIN_KEYS records (loadavg $(load))"
        resources "${n}full" "${pids[@]}"
        zs_stop "${pids[n - 1]}"
        d=$tmp/n$n/node$n
        mv "$d/arrivals" "$d/arrivals.before-rejoin"
        rm -f "$d/arrivals.whole"
        sleep 2
        echo "# node $n starts again, empty (loadavg $(load))"
        j0=$(ms)
        zs_start "$d"
        pids[n - 1]=$started
        zs_wait_api "http://$(addr "$n"):$HP/api/9/" "$started"
        j1=$(ms)
        for _ in $(seq 1 12000); do [[ -f "$d/arrivals.whole" ]] && break; sleep 0.02; done
        [[ -f "$d/arrivals.whole" ]] || { echo "ERROR: the joining node never got all $JOIN_KEYS records"; exit 1; }
        read -r first whole <"$d/arrivals.whole"
        echo "RESULT join.api_up_s $(awk -v a="$j0" -v b="$j1" 'BEGIN { printf "%.3f", (b - a) / 1000 }') s (spawn to API answering)"
        echo "RESULT join.first_record_s $(awk -v a="$j0" -v b="$first" 'BEGIN { printf "%.3f", (b - a) / 1000 }') s (spawn to first record)"
        echo "RESULT join.whole_s $(awk -v a="$j0" -v b="$whole" 'BEGIN { printf "%.3f", (b - a) / 1000 }') s (spawn to holding all $JOIN_KEYS)"
        echo "RESULT join.transfer_s $(awk -v a="$first" -v b="$whole" 'BEGIN { printf "%.3f", (b - a) / 1000 }') s (first record to all)"
        echo "# loadavg after the join: $(load)"
        sleep 1
        resources "${n}joined" "${pids[n - 1]}" | sed "s/node1 /node$n /; s/^node 1 /node $n /"
        grep -h -i 'snapshot' "$d/error.log" | head -5 || true
    fi
    zs_stop "${pids[@]}"
    for i in $(seq 2 "$n"); do
        [[ -f "$tmp/n$n/node$i/arrivals" ]] || { echo "ERROR: node $i left no arrivals file"; tail -5 "$tmp/n$n/node$i/stderr.log"; exit 1; }
    done
    others=()
    for i in $(seq 2 "$n"); do
        # the node that rejoined: its arrivals from before (the later file has the propagation writes as snapshot records)
        if [[ -f "$tmp/n$n/node$i/arrivals.before-rejoin" ]]; then
            others+=("$tmp/n$n/node$i/arrivals.before-rejoin")
        else
            others+=("$tmp/n$n/node$i/arrivals")
        fi
    done
    python3 bench/e2e/latency.py "n$n.prop" "$tmp/n$n/writes.sched" "${others[@]}" | grep -E '\.all\.|api_answer\.p50'
    cat "$tmp"/n"$n"/node*/error.log | grep -E '\[(error|crit|alert|emerg)\]' | head -5 || true
    echo "# loadavg after $n nodes: $(load)"
    if [[ -n "$ANCHOR" ]]; then
        echo "## HAProxy, $n processes (loadavg $(load))"
        python3 bench/scale/haproxy.py "$n" "$([[ $n == "$JOIN_NODES" ]] && echo "$JOIN_KEYS" || echo 0)" \
            "$tmp/hap$n" 127.0.1 "$WRITES" "$WARMUP" || echo "ERROR: the HAProxy anchor of $n processes failed (logs in $tmp/hap$n)"
        echo "# loadavg after HAProxy's $n processes: $(load)"
    fi
done

python3 bench/scale/plot.py "$log" "$table" "$svg"
cat "$table"
echo "log: $log"
echo "table: $table"
echo "plot: $svg"
