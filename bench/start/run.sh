#!/usr/bin/env bash
# Start time of a node: bin/zonesync from its spawn until its pid file appears (every listener bound,
# zone_sync dialling), with the launcher's class-data archive (AppCDS, doc/operations.md "Starting
# faster") and without it (JAVA_OPTS=-Xshare:auto: the JVM's own default, which the launcher takes
# as the operator's word on sharing and so adds no archive), the two alternating, and Debian's nginx
# (/usr/sbin/nginx, master and one worker) from spawn to its pid file in the same rounds as the anchor.
#
#   bench/start/run.sh                  full size: 15 starts of each, about a minute
#   ROUNDS=3 bench/start/run.sh         smoke run
#
# A first start (not counted) writes the archive for this JDK and these jars if there is none yet.
# The node: an HTTP server with the API, a 64m keyval zone with sync, a stream server with zone_sync
# and one peer that is not there. Environment: ROUNDS=15, JAVA_HOME (the JDK to run).
# Output: target/bench-results/start-<UTC stamp>.log ("RESULT name value unit" lines).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
ROUNDS=${ROUNDS:-15}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p target/bench-results
log=$repo/target/bench-results/start-$stamp.log
command -v /usr/sbin/nginx >/dev/null || { echo "missing: /usr/sbin/nginx (apt-get install nginx)" >&2; exit 1; }
ls target/zonesync-*.jar >/dev/null 2>&1 && [[ -d target/lib ]] || mvn -q -B -o package -DskipTests || mvn -q -B package -DskipTests
tmp=$(mktemp -d /tmp/zonesync-start-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
exec > >(tee -a "$log") 2>&1

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
cat >"$tmp/zonesync.conf" <<CONF
pid zonesync.pid;
error_log stderr notice;
events { }
http {
    access_log off;
    keyval_zone zone=one:64m sync;
    keyval \$arg_text \$text zone=one;
    server { listen 127.0.0.1:$(free_port); location /api { api write=on; } location / { return 200 "\$text"; } }
}
stream {
    server { listen 127.0.0.1:$(free_port); zone_sync; zone_sync_server 127.0.0.1:$(free_port); }
}
CONF

mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log notice;
events { }
http { access_log off; server { listen 127.0.0.1:$(free_port); location / { return 200 "x"; } } }
CONF

# the anchor: Debian's nginx on the same machine, from spawn to its pid file
nginx_start() {
    rm -f "$tmp/nginx/nginx.pid"
    local t0 t1 pid
    t0=$(date +%s%N)
    /usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>>"$tmp/nginx/stderr.log" &
    pid=$!
    until [[ -s "$tmp/nginx/nginx.pid" ]]; do sleep 0.005; done
    t1=$(date +%s%N)
    kill -QUIT "$pid"
    wait "$pid" || true
    python3 -c "print(round(($t1 - $t0) / 1e9, 3))"
}

# one start: prints the seconds from spawn to the pid file
start() {
    rm -f "$tmp/zonesync.pid"
    local t0 t1 pid
    t0=$(date +%s%N)
    JAVA_OPTS="$1" bin/zonesync -p "$tmp" -c "$tmp/zonesync.conf" >>"$tmp/out.log" 2>&1 &
    pid=$!
    until [[ -s "$tmp/zonesync.pid" ]]; do
        kill -0 "$pid" 2>/dev/null || { echo "ERROR: the node exited:"; cat "$tmp/out.log"; exit 1; }
        sleep 0.005
    done
    t1=$(date +%s%N)
    kill -TERM "$pid"
    wait "$pid" || true
    python3 -c "print(round(($t1 - $t0) / 1e9, 3))"
}

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
echo "# start time benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), zonesync git $(git rev-parse --short HEAD)"
echo "# machine: $(nproc) cores; java: $($java -version 2>&1 | sed -n 2p); ROUNDS=$ROUNDS; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# first start (writes the archive if this JDK and these jars have none): $(start "") s"
ls target/zonesync-cds-*.jsa | sed 's/^/# archive: /'
with=() without=() anchor=()
for round in $(seq 1 "$ROUNDS"); do
    a=$(start "") b=$(start "-Xshare:auto") n=$(nginx_start)
    with+=("$a") without+=("$b") anchor+=("$n")
    echo "round $round: with the archive $a s, without $b s; nginx $n s"
done
echo "# loadavg at end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -q "warning" "$tmp/out.log" && { echo "ERROR: the JVM warned:"; grep warning "$tmp/out.log"; exit 1; }
python3 - "${with[*]}" "${without[*]}" "${anchor[*]}" <<'PY'
import statistics, sys
w, wo, n = ([float(x) for x in a.split()] for a in sys.argv[1:4])
mw, mwo, mn = statistics.median(w), statistics.median(wo), statistics.median(n)
print(f"RESULT start.with_archive.median {mw:.3f} s")
print(f"RESULT start.without_archive.median {mwo:.3f} s")
print(f"RESULT start.ratio {mw / mwo:.2f} x")
print(f"RESULT start.nginx.median {mn:.3f} s")
PY
