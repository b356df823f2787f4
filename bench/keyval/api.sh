#!/usr/bin/env bash
# keyval API write rate under concurrent clients (wrk, 8 connections), beside two anchors in the
# same run: a zonesync location answering a static 204 and nginx answering the same.
#
#   bench/keyval/api.sh                               full size: about 4 minutes
#   ROUNDS=1 DURATION=3 bench/keyval/api.sh           smoke run, figures mean nothing
#
# One zonesync node (fresh prefix directory on the disk /tmp is on, so the state file is forced to
# a real device) with two keyval zones of 16m: mem without state= and state with it, both filled
# with KEYS keys (key000000.., 64-byte values) by one POST (client_body_buffer_size 1m for it); `access_log off`, `api write=on`, and
# `location = /anchor { return 204; }`. One nginx (/usr/sbin/nginx) with the same anchor location.
# Each round runs, DURATION seconds each, `wrk -t2 -c8 --latency` against: the zonesync anchor, the
# nginx anchor, PATCH of random existing keys of mem, PATCH of state (bench/keyval/wrk-patch.lua).
# A warm-up (DURATION s of each) runs first and is not counted (JIT). Per run: requests/s, p50 and
# p99 latency (wrk), and the node's CPU per request (utime+stime from /proc/PID/stat over the run,
# divided by the requests). After the rounds, one more PATCH run per zone under a JFR recording of
# jdk.ThreadAllocationStatistics only (bench/keyval/alloc.jfc) gives the bytes the node allocated
# per request, a figure that does not depend on the machine's load. Figures are medians over the
# rounds; ratios are PATCH/s over the zonesync anchor's requests/s, the median of each round's.
# Every answer must be 2xx (wrk's error count is checked).
#
# Environment (all optional):
#   ROUNDS=5 DURATION=10 KEYS=1000 CONNECTIONS=8 THREADS=2
#   JAVA_OPTS=""     extra JVM options for the node
#   JAR=path         the zonesync jar to run (default: target/zonesync-*.jar) with target/lib, e.g.
#                    an older build kept aside, to compare two versions on the same machine
#   PROFILE=1        also record a JFR profile of one PATCH run on mem (and one on state) and
#                    summarise it with bench/sync/jfr-top.py
#   KEEP_TMP=1       keep the temporary directory (configurations, logs, recordings)
# Output: the log (greppable "RESULT name value unit" lines) and a markdown table, saved as
# target/bench-results/keyval-api-<UTC stamp>.log and .table.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-10} KEYS=${KEYS:-1000} CONNECTIONS=${CONNECTIONS:-8} THREADS=${THREADS:-2}
export JAVA_OPTS=${JAVA_OPTS:-} KEYS

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=target/bench-results
mkdir -p "$out"
log="$repo/$out/keyval-api-$stamp.log"
table="$repo/$out/keyval-api-$stamp.table"

for tool in python3 curl wrk jcmd jfr /usr/sbin/nginx; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

jar=${JAR:-}
for candidate in ${jar:-target/zonesync-*.jar}; do
    case "$candidate" in *-sources.jar | *-tests.jar | *-javadoc.jar) continue ;; esac
    [[ -f "$candidate" ]] && jar=$candidate && break
done
if [[ -z "$jar" || ! -d target/lib ]]; then
    echo "building (mvn package -DskipTests)" >&2
    mvn -q -B -o package -DskipTests || mvn -q -B package -DskipTests
    jar=$(ls target/zonesync-*.jar | grep -v -e -sources -e -tests -e -javadoc | head -1)
fi

tmp=$(mktemp -d /tmp/zonesync-keyval-api-bench.XXXXXX)
node_pid="" nginx_pid=""
cleanup() {
    local status=$?
    set +e
    for pid in "$node_pid" "$nginx_pid"; do
        if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            wait "$pid" 2>/dev/null
        fi
    done
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

mkdir -p "$tmp/zs/lib" "$tmp/node" "$tmp/nginx/logs"
cp "$jar" "$tmp/zs/zonesync.jar"
cp target/lib/*.jar "$tmp/zs/lib/"
export ZONESYNC_CLASSPATH="$tmp/zs/zonesync.jar:$tmp/zs/lib/*"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

exec 3>&1 4>&2 > >(tee -a "$log") 2>&1

rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || rev="$rev, working tree has uncommitted changes in src/"
[[ -z "${JAR:-}" ]] || rev="not known: JAR given; the worktree is at $rev"
echo "# keyval API write benchmark (wrk), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)"
echo "# disk of the state file: $(df -T "$tmp" | awk 'NR==2{print $1, $2}')"
echo "# java: $(java -version 2>&1 | sed -n 2p); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); $(/usr/sbin/nginx -v 2>&1)"
echo "# zonesync: $jar ($(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC'), git $rev)"
echo "# ROUNDS=$ROUNDS DURATION=$DURATION KEYS=$KEYS CONNECTIONS=$CONNECTIONS THREADS=$THREADS JAVA_OPTS='$JAVA_OPTS'"

port=$(free_port)
nginx_port=$(free_port)
cat >"$tmp/node/zonesync.conf" <<CONF
pid zonesync.pid;
error_log $tmp/node/error.log notice;
events { }
http {
    access_log off;
    keyval_zone zone=mem:16m;
    keyval_zone zone=state:16m state=$tmp/node/state.keyval;
    server {
        listen 127.0.0.1:$port;
        location /api { api write=on; client_body_buffer_size 1m; }
        location = /anchor { return 204; }
    }
}
CONF
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log notice;
events { }
http {
    access_log off;
    server { listen 127.0.0.1:$nginx_port; location = /anchor { return 204; } }
}
CONF
/usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>"$tmp/nginx/stderr.log" &
nginx_pid=$!
bin/zonesync -c "$tmp/node/zonesync.conf" -p "$tmp/node" >"$tmp/node/stderr.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/api/9/" && break
    kill -0 "$node_pid" 2>/dev/null || { echo "ERROR: zonesync exited:"; cat "$tmp/node/stderr.log"; exit 1; }
    sleep 0.1
done
curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$nginx_port/anchor" || { echo "ERROR: nginx:"; cat "$tmp/nginx/stderr.log"; exit 1; }
java_pid=$(pgrep -P "$node_pid" java || echo "$node_pid")  # bin/zonesync execs java, or forks it
echo "# zonesync pid $java_pid, nginx pid $nginx_pid"

python3 - "$KEYS" >"$tmp/fill.json" <<'PY'
import json, sys
print(json.dumps({f"key{i:06d}": "v" * 64 for i in range(int(sys.argv[1]))}))
PY
for zone in mem state; do
    code=$(curl -s -o "$tmp/fill.out" -w '%{http_code}' -X POST --data-binary "@$tmp/fill.json" \
        "http://127.0.0.1:$port/api/9/http/keyvals/$zone")
    [[ "$code" == 201 ]] || { echo "ERROR: filling $zone answered $code: $(cat "$tmp/fill.out")"; exit 1; }
done

ticks() {  # utime + stime of the node, in clock ticks
    awk '{print $14 + $15}' "/proc/$java_pid/stat"
}
hz=$(getconf CLK_TCK)

# run NAME TARGET: one wrk run; prints RESULT lines
run() {
    local name=$1 target=$2 url t0 t1 line
    case "$target" in
        zs-anchor) url="http://127.0.0.1:$port/anchor"; unset ZONE_PATH ;;
        nginx-anchor) url="http://127.0.0.1:$nginx_port/anchor"; unset ZONE_PATH ;;
        mem | state) url="http://127.0.0.1:$port/api/9/http/keyvals/$target"; export ZONE_PATH="/api/9/http/keyvals/$target" ;;
    esac
    t0=$(ticks)
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/keyval/wrk-patch.lua "$url" | grep '^WRK ')
    t1=$(ticks)
    unset ZONE_PATH
    read -r _ _ req _ dur _ p50 _ p99 _ err <<<"$line"
    [[ "$err" == 0 ]] || { echo "ERROR: $name $target: $err errors or non-2xx answers of $req"; exit 1; }
    echo "RESULT $name.$target.rps $(python3 -c "print(round($req * 1e6 / $dur))") req/s"
    echo "RESULT $name.$target.p50 $(python3 -c "print($p50 / 1000)") ms"
    echo "RESULT $name.$target.p99 $(python3 -c "print($p99 / 1000)") ms"
    if [[ "$target" != nginx-anchor ]]; then
        echo "RESULT $name.$target.cpu_us_per_req $(python3 -c "print(round(($t1 - $t0) * 1e6 / $hz / $req, 1))") us"
    fi
    echo "RESULT $name.$target.requests $req requests"
}

targets=(zs-anchor nginx-anchor mem state)
echo "## warm-up (not counted), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${targets[@]}"; do run warmup "$t" >/dev/null; done
for round in $(seq 1 "$ROUNDS"); do
    echo "## round $round, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
    # rotate the order, so that a load change hits each target in a different slot
    for i in 0 1 2 3; do run "r$round" "${targets[$(( (i + round) % 4 ))]}" | tee -a "$tmp/results"; done
done
echo "# loadavg after the rounds: $(cut -d' ' -f1-3 /proc/loadavg)"

# allocation per request: a JFR recording of the per-thread allocation counters around one run
for zone in mem state; do
    rec="$tmp/alloc-$zone.jfr"
    jcmd "$java_pid" JFR.start name="alloc-$zone" settings="$repo/bench/keyval/alloc.jfc" filename="$rec" >/dev/null
    sleep 1.5
    req=$(run alloc "$zone" | awk '/\.requests /{print $3}')
    sleep 1.5
    jcmd "$java_pid" JFR.stop name="alloc-$zone" >/dev/null
    jfr print --json --events jdk.ThreadAllocationStatistics "$rec" | python3 -c '
import json, sys
first, last = {}, {}
for e in json.load(sys.stdin)["recording"]["events"]:
    t = e["values"]["thread"]
    tid = (t or {}).get("javaThreadId") or (t or {}).get("osThreadId")
    a = e["values"]["allocated"]
    first.setdefault(tid, a)
    last[tid] = a
total = sum(last[t] - first[t] for t in last)
print(f"RESULT alloc.'"$zone"'.bytes_per_req {round(total / int(sys.argv[1]))} bytes")
' "$req" | tee -a "$tmp/results"
done

if [[ -n "${PROFILE:-}" ]]; then
    for zone in mem state; do
        rec="$tmp/profile-$zone.jfr"
        jcmd "$java_pid" JFR.start name="profile-$zone" settings=profile filename="$rec" >/dev/null
        run profile "$zone" >/dev/null
        jcmd "$java_pid" JFR.stop name="profile-$zone" >/dev/null
        echo "## JFR profile of one PATCH run on $zone ($rec)"
        python3 bench/sync/jfr-top.py "$rec" 30
    done
fi

grep -E '\[(warn|error|crit|alert|emerg)\]' "$tmp/node/error.log" || true

python3 - "$tmp/results" >"$table" <<'PY'
import re, statistics, sys
r = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT (r\d+|alloc)\.(\S+)\.(\S+) (\S+) (\S+)", line)
    if m:
        r.setdefault((m.group(2), m.group(3)), {})[m.group(1)] = float(m.group(4))
med = lambda t, f: statistics.median(r[(t, f)].values()) if (t, f) in r else float("nan")
def ratio(t):
    a = r[(t, "rps")]; b = r[("zs-anchor", "rps")]
    return statistics.median(a[k] / b[k] for k in a)
print("| target | requests/s | p50 ms | p99 ms | node CPU µs/request | node bytes allocated/request | requests/s over the zonesync anchor's |")
print("| --- | --- | --- | --- | --- | --- | --- |")
names = {"zs-anchor": "zonesync `return 204` (anchor)", "nginx-anchor": "nginx 1.22 `return 204` (anchor)",
         "mem": "PATCH, zone without `state=`", "state": "PATCH, zone with `state=`"}
for t in ("zs-anchor", "nginx-anchor", "mem", "state"):
    cpu = med(t, "cpu_us_per_req")
    alloc = r.get((t, "bytes_per_req"), {}).get("alloc")
    print(f"| {names[t]} | {med(t, 'rps'):.0f} | {med(t, 'p50'):.2f} | {med(t, 'p99'):.2f} | "
          + ("—" if cpu != cpu else f"{cpu:.0f}") + " | " + ("—" if alloc is None else f"{alloc:.0f}")
          + f" | {ratio(t):.2f}x |")
rounds = len(r[("zs-anchor", "rps")])
print()
print(f"Medians over {rounds} round(s) of wrk -c8; ratios are the median of each round's ratio.")
PY
cat "$table"
echo "log: $log" >&2
echo "table: $table" >&2
