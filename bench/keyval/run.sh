#!/usr/bin/env bash
# keyval API write rate with and without state=, on this machine's loopback, in the same run.
#
#   bench/keyval/run.sh                              full size: about 5 minutes
#   ROUNDS=1 DURATION=3 WARMUP_KEYS=1000 bench/keyval/run.sh      smoke run, under a minute
#
# One zonesync node per round (fresh prefix directory on the disk /tmp is on, so state files are
# forced to a real device) with, for each size, two keyval zones of 16m: memN without state= and
# stateN with it. bench/keyval/writes.py (python3 http.client) drives both zones of one size at
# once, one keep-alive connection each, one request at a time, in alternating blocks of 50 requests,
# so that load from elsewhere on a shared machine slows both alike: fill: POST N new keys (2000 or
# 10000; 9-byte keys, 64-byte values), timed per zone as a whole and per tenth of the keys (a rate
# that falls as the zone fills shows as a last tenth slower than the first); then patch: PATCH
# random existing keys for DURATION seconds. A warm-up pair of zones (WARMUP_KEYS POSTs each, then
# PATCHes for DURATION) runs first and is not counted (JIT). Figures: the write rate one API client
# sees; medians over ROUNDS rounds; ratios are state= over without, the median of each round's
# ratio. Target: state= >= 0.7x, and its last tenth of the fill not slower than about its first.
#
# Environment (all optional):
#   ROUNDS=4 DURATION=10 WARMUP_KEYS=5000 SIZES="2000 10000"
#   JAVA_OPTS=""     extra JVM options for the node
#   KEEP_TMP=1       keep the temporary directory (configurations, state files, error logs)
# The zonesync jar and target/lib are copied to the temporary directory at the start, so a build
# running meanwhile does not change the code under test.
# Output: the log (greppable "RESULT name value unit" lines) and a markdown table, saved as
# target/bench-results/keyval-<UTC stamp>.log and .table.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

ROUNDS=${ROUNDS:-4} DURATION=${DURATION:-10} WARMUP_KEYS=${WARMUP_KEYS:-5000} SIZES=${SIZES:-"2000 10000"}
export JAVA_OPTS=${JAVA_OPTS:-}

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=target/bench-results
mkdir -p "$out"
log="$repo/$out/keyval-$stamp.log"
table="$repo/$out/keyval-$stamp.table"

for tool in python3 curl; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

jar=""
for candidate in target/zonesync-*.jar; do
    case "$candidate" in *-sources.jar | *-tests.jar | *-javadoc.jar) continue ;; esac
    [[ -f "$candidate" ]] && jar=$candidate && break
done
if [[ -z "$jar" || ! -d target/lib ]]; then
    echo "building (mvn package -DskipTests)" >&2
    mvn -q -B -o package -DskipTests || mvn -q -B package -DskipTests
    jar=$(ls target/zonesync-*.jar | grep -v -e -sources -e -tests -e -javadoc | head -1)
fi

tmp=$(mktemp -d /tmp/zonesync-keyval-bench.XXXXXX)
node_pid=""
cleanup() {
    local status=$?
    set +e
    if [[ -n "$node_pid" ]] && kill -0 "$node_pid" 2>/dev/null; then
        kill -TERM "$node_pid"
        wait "$node_pid" 2>/dev/null
    fi
    if [[ -n "${KEEP_TMP:-}" ]]; then
        echo "kept $tmp" >&2
    else
        rm -rf "$tmp"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/zs/lib"
cp "$jar" "$tmp/zs/zonesync.jar"
cp target/lib/*.jar "$tmp/zs/lib/"
export ZONESYNC_CLASSPATH="$tmp/zs/zonesync.jar:$tmp/zs/lib/*"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

exec 3>&1 4>&2 > >(tee -a "$log") 2>&1

rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || rev="$rev, working tree has uncommitted changes in src/"
echo "# keyval state= benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)"
echo "# disk of the state files: $(df -T "$tmp" | awk 'NR==2{print $1, $2}')"
echo "# java: $(java -version 2>&1 | sed -n 2p)"
echo "# zonesync: $jar ($(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC'), git $rev)"
echo "# ROUNDS=$ROUNDS DURATION=$DURATION WARMUP_KEYS=$WARMUP_KEYS SIZES='$SIZES' JAVA_OPTS='$JAVA_OPTS'"

for round in $(seq 1 "$ROUNDS"); do
    dir="$tmp/round$round"
    mkdir -p "$dir"
    port=$(free_port)
    {
        echo "pid zonesync.pid;"
        echo "error_log $dir/error.log notice;"
        echo "events { }"
        echo "http {"
        echo "    access_log off;"
        echo "    keyval_zone zone=memwarm:16m;"
        echo "    keyval_zone zone=statewarm:16m state=$dir/warm.keyval;"
        for n in $SIZES; do
            echo "    keyval_zone zone=mem$n:16m;"
            echo "    keyval_zone zone=state$n:16m state=$dir/state$n.keyval;"
        done
        echo "    server { listen 127.0.0.1:$port; location /api { api write=on; } }"
        echo "}"
    } >"$dir/zonesync.conf"
    bin/zonesync -c "$dir/zonesync.conf" -p "$dir" >"$dir/stderr.log" 2>&1 &
    node_pid=$!
    for _ in $(seq 1 300); do
        curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/api/9/" && break
        kill -0 "$node_pid" 2>/dev/null || { echo "ERROR: zonesync exited:"; cat "$dir/stderr.log"; exit 1; }
        sleep 0.1
    done
    echo "## round $round (node pid $node_pid, loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
    python3 bench/keyval/writes.py "$port" "$WARMUP_KEYS" "$DURATION" "warmup.r$round" warm
    for n in $SIZES; do
        python3 bench/keyval/writes.py "$port" "$n" "$DURATION" "n$n.r$round"
        echo "RESULT n$n.r$round.state.file_bytes $(stat -c %s "$dir/state$n.keyval") bytes"
    done
    echo "# loadavg at the end of round $round: $(cut -d' ' -f1-3 /proc/loadavg)"
    kill -QUIT "$node_pid"
    wait "$node_pid" || true
    node_pid=""
    grep -E '\[(warn|error|crit|alert|emerg)\]' "$dir/error.log" || true
done

python3 - "$log" "$SIZES" >"$table" <<'PY'
import re, statistics, sys
r = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT (n\d+)\.r(\d+)\.(\S+) (\S+) (\S+)", line)
    if m:
        r.setdefault(f"{m.group(1)}.{m.group(3)}", {})[int(m.group(2))] = float(m.group(4))
med = lambda k: statistics.median(r[k].values())
def ratio(n, a, b):  # median over rounds of state/mem
    return statistics.median(r[f"n{n}.state.{b}"][i] / r[f"n{n}.mem.{a}"][i] for i in r[f"n{n}.mem.{a}"])
print("| keys | figure | without state= | with state= | state= / without | target |")
print("| --- | --- | --- | --- | --- | --- |")
for n in sys.argv[2].split():
    for fig, label in (("fill_rps", "POST new keys, writes/s"), ("patch_rps", "PATCH existing keys, writes/s")):
        q = ratio(n, fig, fig)
        print(f"| {n} | {label} | {med(f'n{n}.mem.{fig}'):.0f} | {med(f'n{n}.state.{fig}'):.0f} | {q:.2f}x"
              f" | >= 0.7x: {'met' if q >= 0.7 else 'missed'} |")
    slow = lambda kind: statistics.median(r[f"n{n}.{kind}.fill_last_tenth_rps"][i] / r[f"n{n}.{kind}.fill_first_tenth_rps"][i]
                                          for i in r[f"n{n}.{kind}.fill_first_tenth_rps"])
    print(f"| {n} | fill: last tenth's rate / first tenth's | {slow('mem'):.2f} | {slow('state'):.2f} | |"
          f" state= not slowing (>= 0.8): {'met' if slow('state') >= 0.8 else 'missed'} |")
rounds = len(r[f"n{sys.argv[2].split()[0]}.mem.fill_rps"])
print()
print(f"Medians over {rounds} round(s); per zone one keep-alive connection, one request at a time,"
      " the two zones in alternating blocks of 50 requests.")
PY
cat "$table"
echo "log: $log" >&2
echo "table: $table" >&2
