#!/usr/bin/env bash
# End to end through real processes: three zonesync nodes started with bin/zonesync on this machine's
# loopback, written through the NGINX Plus keyval API, and a cluster-wide limit_req beside nginx.
#
#   bench/e2e/run.sh                                  full size: about 3 minutes
#   DURATION=3 WARMUP=2 LR_DURATION=5 bench/e2e/run.sh     smoke run, figures mean nothing
#
# (1) Propagation: PacedHttpLoad POSTs new keys ({"wN": 32 bytes}) to node 1's
#     /api/9/http/keyvals/kv at each rate of RATES for DURATION s (after WARMUP s at 1000/s, not
#     counted), on CONNECTIONS keep-alive connections, paced by a System.nanoTime schedule. Every
#     node runs the benchmark-only agent ArrivalAgent (src/bench/java), which stamps with
#     System.nanoTime the moment a record from a peer is applied (KeyvalZone.notifyRemote): the
#     node has no push or watch facility (neither has the NGINX Plus API), and polling the API would
#     measure the poll. Latency = arrival on node 2 / node 3 (and on both: the later) minus the
#     write's scheduled send time, so a writer or an API held up is charged; p50/p99/p999.
# (2) limit_req accuracy: `limit_req_zone $server_name zone=rl:1m rate=LR_RATE r/s sync;` and
#     `limit_req zone=rl;` (no burst) in front of a static file on the same three nodes;
#     PacedHttpLoad GETs at LR_OFFERED r/s in total, spread evenly over the three nodes, for
#     LR_DURATION s; allowed = 200 answers per second, over the whole run (until the last answer)
#     and over its steady part (requests sent 2 s after the start to 1 s before the scheduled end),
#     with the rate actually sent then (below the schedule when the nodes answer slower). The same load, same configuration without
#     `sync`, against three independent nginx processes (Debian's open-source build; nginx cannot
#     share limit_req state, so it admits about 3 x rate) and one nginx taking all of it (rate).
#
# Environment (all optional): RATES="1000 10000" DURATION=15 WARMUP=10 CONNECTIONS=16
#   LR_RATE=100 LR_OFFERED=1500 LR_DURATION=15 NODE_OPTS="" (JVM options of the nodes)
#   KEEP_TMP=1 (keep the scratch directory: configurations, node logs, schedules, arrivals)
# Output: the log (greppable "RESULT name value unit" lines) and a markdown table, saved as
# target/bench-results/e2e-<UTC stamp>.log and .table.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
RATES=${RATES:-"1000 10000"} DURATION=${DURATION:-15} WARMUP=${WARMUP:-10} CONNECTIONS=${CONNECTIONS:-16}
LR_RATE=${LR_RATE:-100} LR_OFFERED=${LR_OFFERED:-1500} LR_DURATION=${LR_DURATION:-15}
NODE_OPTS=${NODE_OPTS:-}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p target/bench-results
log=$repo/target/bench-results/e2e-$stamp.log
table=$repo/target/bench-results/e2e-$stamp.table
tmp=$(mktemp -d /tmp/zonesync-e2e-bench.XXXXXX)
source bench/e2e/nodes.sh
nginx_pids=()
cleanup() {
    local status=$?
    set +e
    zs_cleanup
    for p in "${nginx_pids[@]}"; do kill -QUIT "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    if [[ -n "${KEEP_TMP:-}" ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { echo "missing: nginx (Debian's nginx package)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

exec > >(tee -a "$log") 2>&1
zs_prepare
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# end-to-end benchmark (3 processes), $(date -u '+%Y-%m-%d %H:%M:%S UTC'), zonesync git $rev"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
echo "# java: $(java -version 2>&1 | sed -n 2p); nginx: $($NGINX -v 2>&1)"
echo "# RATES='$RATES' DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS LR_RATE=$LR_RATE" \
     "LR_OFFERED=$LR_OFFERED LR_DURATION=$LR_DURATION NODE_OPTS='$NODE_OPTS'"
load() { cut -d' ' -f1-3 /proc/loadavg; }

read -r -a ports <<<"$(python3 -c '
import socket
ss = [socket.socket() for _ in range(9)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')"
hp=("${ports[@]:0:3}") sp=("${ports[@]:3:3}") np=("${ports[@]:6:3}")
mkdir -p "$tmp/www"
chmod a+rx "$tmp" "$tmp/www"   # nginx's workers run as another user
echo ok >"$tmp/www/index.html"
npids=()
for i in 1 2 3; do
    d=$tmp/node$i
    mkdir -p "$d"
    {
        echo "pid zonesync.pid;"
        echo "error_log $d/error.log notice;"
        echo "events { }"
        echo "stream { server { listen 127.0.0.1:${sp[i - 1]}; zone_sync; zone_sync_connect_retry_interval 200ms;"
        for p in "${sp[@]}"; do echo "    zone_sync_server 127.0.0.1:$p;"; done
        echo "} }"
        echo "http {"
        echo "    access_log off;"
        echo "    keyval_zone zone=kv:64m sync;"
        echo "    limit_req_zone \$server_name zone=rl:1m rate=${LR_RATE}r/s sync;"
        echo "    limit_req_log_level info;"
        echo "    server { listen 127.0.0.1:${hp[i - 1]}; server_name bench;"
        echo "        location /api { api write=on; }"
        echo "        location / { limit_req zone=rl; root $tmp/www; } }"
        echo "}"
    } >"$d/zonesync.conf"
    zs_start "$d"
    npids+=("$started")
done
for i in 1 2 3; do zs_wait_api "http://127.0.0.1:${hp[i - 1]}/api/9/" "${npids[i - 1]}"; done
for i in 1 2 3; do zs_wait_online "http://127.0.0.1:${hp[i - 1]}" 2; done
echo "node 1 configuration:"; sed 's/^/    /' "$tmp/node1/zonesync.conf"

echo "## (1) propagation, writes to node 1 through the API; warm-up ${WARMUP} s at 1000/s (loadavg $(load))"
$LOAD write "127.0.0.1:${hp[0]}" kv 1000 "$WARMUP" 0 "$CONNECTIONS" "$tmp/warmup.sched"
first=$((1000 * WARMUP))
for rate in $RATES; do
    sleep 2
    echo "## rate $rate/s for $DURATION s, keys from w$first (loadavg before $(load))"
    $LOAD write "127.0.0.1:${hp[0]}" kv "$rate" "$DURATION" "$first" "$CONNECTIONS" "$tmp/rate$rate.sched"
    echo "# loadavg after: $(load)"
    first=$((first + rate * DURATION))
done

echo "## (2) limit_req rate=${LR_RATE}r/s sync, no burst; ${LR_OFFERED} r/s offered in total over 3 nodes for ${LR_DURATION} s (loadavg $(load))"
sleep 1
$LOAD get "$LR_OFFERED" "$LR_DURATION" 2 "127.0.0.1:${hp[0]}/" "127.0.0.1:${hp[1]}/" "127.0.0.1:${hp[2]}/" \
    | sed 's/^RESULT get\./RESULT lr.zonesync3./'
echo "# loadavg after: $(load)"
zs_stop "${npids[@]}"
for i in 1 2 3; do
    [[ -f "$tmp/node$i/arrivals" ]] || { echo "ERROR: node $i left no arrivals file"; tail -20 "$tmp/node$i/stderr.log"; exit 1; }
    grep -E '\[(warn|error|crit|alert|emerg)\]' "$tmp/node$i/error.log" | head -5 || true
done

for i in 1 2 3; do
    d=$tmp/nginx$i
    mkdir -p "$d/tmp"
    cat >"$d/nginx.conf" <<NGX
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $d/tmp/body; proxy_temp_path $d/tmp/proxy; fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi; scgi_temp_path $d/tmp/scgi;
    limit_req_zone \$server_name zone=rl:1m rate=${LR_RATE}r/s;
    limit_req_log_level info;
    server { listen 127.0.0.1:${np[i - 1]}; server_name bench; location / { limit_req zone=rl; root $tmp/www; } }
}
NGX
    "$NGINX" -p "$d" -c "$d/nginx.conf" 2>"$d/stderr.log" &
    nginx_pids+=($!)
done
for i in 1 2 3; do
    for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:${np[i - 1]}/" && break; sleep 0.1; done
done
sleep 1
echo "## nginx, 3 independent nodes, the same load (loadavg $(load))"
$LOAD get "$LR_OFFERED" "$LR_DURATION" 2 "127.0.0.1:${np[0]}/" "127.0.0.1:${np[1]}/" "127.0.0.1:${np[2]}/" \
    | sed 's/^RESULT get\./RESULT lr.nginx3./'
sleep 1
echo "## nginx, 1 node taking all of the load (loadavg $(load))"
$LOAD get "$LR_OFFERED" "$LR_DURATION" 6 "127.0.0.1:${np[0]}/" | sed 's/^RESULT get\./RESULT lr.nginx1./'
echo "# loadavg after: $(load)"

for rate in $RATES; do
    python3 bench/e2e/latency.py "w$rate" "$tmp/rate$rate.sched" "$tmp/node2/arrivals" "$tmp/node3/arrivals"
done

python3 - "$log" "$RATES" "$LR_RATE" <<'PY' >"$table"
import re, sys
r = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT (\S+) (\S+)", line)
    if m:
        r[m.group(1)] = float(m.group(2))
print("| writes/s to node 1 (scheduled) | taken by the API, writes/s | reached node 2, ms p50 / p99 / p999 | node 3 | both (the later), p50 / p99 / p999 / max | missing | API answer on node 1, p50 / p99 | both, from the API's answer: p50 / p99 / p999 |")
print("| ---: | ---: | --- | --- | --- | ---: | --- | --- |")
for rate in sys.argv[2].split():
    g = lambda k: r.get(f"w{rate}.{k}", float("nan"))
    t = lambda n: " / ".join(f"{g(f'{n}.{p}'):.2f}" for p in ("p50", "p99", "p999"))
    print(f"| {rate} | {g('api_taken_rps'):.0f} | {t('node2')} | {t('node3')} | {t('all')} / {g('all.max'):.1f} | {g('all.missing'):.0f} |"
          f" {g('api_answer.p50'):.2f} / {g('api_answer.p99'):.2f} | {t('after_answer')} |")
rate = float(sys.argv[3])
print()
print(f"| limit_req rate={rate:.0f}r/s, no burst | scheduled r/s | sent r/s, steady part | allowed r/s, whole run | allowed r/s, steady part | x rate (steady) | run finished late by, s |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for key, label in (("zonesync3", "zonesync, 3 nodes, `sync`"), ("nginx3", "nginx, 3 independent nodes"), ("nginx1", "nginx, 1 node")):
    g = lambda k: r.get(f"lr.{key}.{k}", float("nan"))
    print(f"| {label} | {g('offered_rps'):.0f} | {g('steady_sent_rps'):.0f} | {g('ok_rps'):.1f} | {g('steady_ok_rps'):.1f} | {g('steady_ok_rps') / rate:.2f} | {g('finished_late'):.1f} |")
PY
cat "$table"
echo "log: $log"
echo "table: $table"
