#!/usr/bin/env bash
# Reverse-proxy benchmark, zonesync and nginx (Debian's open-source build) side by side, on this
# machine's loopback, both in front of the same backend in the same run.
#
#   bench/proxy/run.sh                 full size: about 8 minutes
#   DURATION=5 WARMUP=3 ROUNDS=1 ACC_DURATION=5 ACC_WARMUP=1 bench/proxy/run.sh    smoke run, about 1.5 min
#
# (1) proxy: requests/s and p99 latency through one zonesync node with `sticky learn` and `limit_req`
#     in the request path, against nginx with the nearest open-source configuration (`hash
#     $cookie_sid consistent` for session affinity, since nginx OSS has no `sticky`), same
#     limit_req, same upstream keepalive. Backend: one nginx (1 worker) on two loopback ports that
#     answers 200 with a small body and `Set-Cookie: sid=...` (the client's sid echoed, else
#     $request_id), so sticky learn has sessions to learn. Load: wrk with --latency; a Lua script
#     cycles through SESSIONS session cookies. A warm-up run per proxy (JIT) is not counted; then
#     ROUNDS rounds alternate zonesync and nginx. Also reported: the CPU time each proxy (JVM, or
#     nginx master + workers) used per request. Target: zonesync >= 0.8x nginx's requests/s and
#     p99 <= 2x nginx's.
# (2) acc: limit_req accuracy across a cluster: 1, 2, 3 zonesync nodes sharing one `sync` zone
#     (key: a constant, so every client shares one bucket), rate ACC_RATE r/s, burst ACC_BURST,
#     nodelay, load at many times the rate on every node at once (one wrk per node). Accepted =
#     sum of `passed` from each node's /api/9/http/limit_reqs/rl (cross-checked with wrk's 2xx
#     counts); reported over rate*T and over rate*T + burst, T the longest wrk run (they start
#     together). Also a steady-state rate, free of the burst and of the start: passed counts read
#     from the APIs 2 s after the start and 1 s before the end. Target: within 5% of
#     rate*T + burst. Reference: nginx with 1 node, and 3 independent nginx nodes (nginx OSS
#     cannot share limit_req state, so N nodes pass about N times the rate).
#     No backend-less `return 200` here: as in nginx, `return` (rewrite phase) answers before
#     limit_req (preaccess) runs, so the nodes proxy to the backend.
# (3) stream: the TCP proxy (`stream { upstream; server { proxy_pass } }`), zonesync against nginx's
#     stream module in front of the same backend ports: new connections per second (wrk sending
#     `Connection: close`, so every request is a new connection through the proxy and to the
#     backend; STREAM_CONNECTIONS connections) and throughput (1 MiB responses over kept-alive
#     connections, STREAM_BULK_CONNECTIONS of them; MB/s as wrk reports Transfer/sec). Also the CPU
#     time each proxy used per connection and per MiB. Rounds alternate as in (1).
#
# Environment (all optional):
#   DURATION=20        seconds of each measured proxy run; WARMUP=20 s warm-up per proxy (not counted;
#                      on 2 cores zonesync's CPU per request was still falling after 10 s of load)
#   ROUNDS=2           measured rounds (zonesync, nginx, zonesync, nginx, ...); medians reported
#   THREADS=2 CONNECTIONS=50   wrk threads and connections for (1)
#   SESSIONS=1000      distinct session cookies wrk sends in (1); 0 = no cookie (every response then
#                      creates a new sticky session; nginx's hash then sends everything to one server)
#   ACC_NODES="1 2 3"  cluster sizes for (2); ACC_NGINX_NODES="1 3" independent nginx nodes ("" = none)
#   ACC_RATE=100 ACC_BURST=20   the limit for (2), in r/s and requests; ACC_BURST=0 writes
#                      `limit_req zone=rl;` (no burst parameter, nginx's default) instead
#   ACC_DURATION=20    seconds of load for (2); ACC_WARMUP=3 s of load before it, not counted
#   ACC_CONNECTIONS=4  wrk connections per node in (2) (one wrk thread per node)
#   ACC_SPREAD=even    how (2)'s load is spread: even (ACC_CONNECTIONS on every node) or uneven (node 1
#                      takes all but one connection per other node of the N*ACC_CONNECTIONS)
#   ACC_WORKERS=auto   worker_processes (event loops) of each node in (2)
#   RULES=none         what else (1)'s request path carries, the same in both proxies: none;
#                      map-if (two maps, two ifs, a set and a proxy_set_header of it); map-if-gzip
#                      (the same, and gzip of the proxied responses, wrk asking for gzip)
#   STREAM_CONNECTIONS=50 STREAM_BULK_CONNECTIONS=4   wrk connections for (3)'s two runs
#   BALANCE=sticky     how (1) balances: sticky (zonesync `sticky learn`, nginx `hash $cookie_sid
#                      consistent`), least_conn (both), or least_conn-health (both least_conn, and
#                      zonesync also runs NGINX Plus's active health checks every second)
#   ONLY="proxy acc stream"   which parts to run
#   JAVA_OPTS=""       extra JVM options for the zonesync nodes
#   JAR=path           the zonesync jar to run (default: target/zonesync-*.jar) with target/lib, e.g. an
#                      older build kept aside, for an A/B on the same machine
#   ALLOC=1            after (1)'s rounds, one more zonesync run of DURATION under a JFR recording of
#                      the per-thread allocation counters (bench/keyval/alloc.jfc): bytes allocated
#                      per request, a figure the machine's load does not move
#   SKIP_INSTALL=1     do not apt-get install nginx/wrk when missing
#   KEEP_TMP=1         keep the temporary directory (configurations, error logs, wrk outputs)
# The zonesync jar and target/lib are copied to the temporary directory at the start, so a build
# running meanwhile does not change the code under test.
# Output: the log of every run (greppable "RESULT name value unit" lines) and a markdown summary
# table, saved as target/bench-results/proxy-<UTC stamp>.log and .table.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

DURATION=${DURATION:-20} WARMUP=${WARMUP:-20} ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2} CONNECTIONS=${CONNECTIONS:-50} SESSIONS=${SESSIONS:-1000}
ACC_NODES=${ACC_NODES:-"1 2 3"} ACC_NGINX_NODES=${ACC_NGINX_NODES-"1 3"}
ACC_RATE=${ACC_RATE:-100} ACC_BURST=${ACC_BURST:-20}
ACC_DURATION=${ACC_DURATION:-20} ACC_WARMUP=${ACC_WARMUP:-3} ACC_CONNECTIONS=${ACC_CONNECTIONS:-4}
ACC_WORKERS=${ACC_WORKERS:-auto} ACC_SPREAD=${ACC_SPREAD:-even}
[[ $ACC_SPREAD == even || $ACC_SPREAD == uneven ]] || { echo "ACC_SPREAD must be even or uneven" >&2; exit 2; }
ONLY=${ONLY:-"proxy acc stream"}
STREAM_CONNECTIONS=${STREAM_CONNECTIONS:-50} STREAM_BULK_CONNECTIONS=${STREAM_BULK_CONNECTIONS:-4}
RULES=${RULES:-none}
BALANCE=${BALANCE:-sticky}
[[ $BALANCE == sticky || $BALANCE == least_conn || $BALANCE == least_conn-health ]] || { echo "BALANCE must be sticky, least_conn or least_conn-health" >&2; exit 2; }
[[ $RULES == none || $RULES == map-if || $RULES == map-if-gzip ]] || { echo "RULES must be none, map-if or map-if-gzip" >&2; exit 2; }
export JAVA_OPTS=${JAVA_OPTS:-}

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=target/bench-results
mkdir -p "$out"
log="$repo/$out/proxy-$stamp.log"
table="$repo/$out/proxy-$stamp.table"

# ---------------------------------------------------------------- tools
need=()
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
    if [[ -n "${SKIP_INSTALL:-}" ]]; then
        echo "missing: ${need[*]} (SKIP_INSTALL is set)" >&2
        exit 1
    fi
    echo "installing ${need[*]} (Debian packages)" >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
PATH=$PATH:/usr/sbin

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

# ---------------------------------------------------------------- processes and cleanup
tmp=$(mktemp -d /tmp/zonesync-proxy-bench.XXXXXX)
chmod 755 "$tmp"  # nginx workers run as nobody when started as root
PIDS=()
cleanup() {
    local status=$?
    set +e
    local pid
    local mine=()
    for pid in "${PIDS[@]}"; do  # only processes still running as children of this script
        [[ "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" == "$$" ]] && mine+=("$pid")
    done
    for pid in "${mine[@]}"; do
        kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${mine[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "cleanup: pid $pid did not stop on TERM, killing it" >&2
            pkill -KILL -P "$pid" 2>/dev/null
            kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
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

# Graceful stop (QUIT: zonesync's launcher passes it on, nginx finishes requests in flight).
stop() {
    local pid
    for pid in "$@"; do kill -QUIT "$pid" 2>/dev/null || true; done
    for pid in "$@"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { echo "WARNING: pid $pid still running 10 s after QUIT, sending TERM"; kill -TERM "$pid"; }
        wait "$pid" 2>/dev/null || true
    done
}

# Free loopback ports, all distinct: free_ports N
free_ports() {
    python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

# wait_http URL PID NAME LOGFILE: until something answers HTTP at URL
wait_http() {
    local i
    for i in $(seq 1 300); do
        curl -s -o /dev/null --max-time 1 "$1" && return 0
        if ! kill -0 "$2" 2>/dev/null; then
            echo "ERROR: $3 exited before answering; its log:"; cat "$4"; return 1
        fi
        sleep 0.1
    done
    echo "ERROR: $3 does not answer at $1 after 30 s; its log:"; cat "$4"; return 1
}

# Snapshot of the code under test (a concurrent mvn build may rewrite target/).
mkdir -p "$tmp/zs/lib"
cp "$jar" "$tmp/zs/zonesync.jar"
cp target/lib/*.jar "$tmp/zs/lib/"
export ZONESYNC_CLASSPATH="$tmp/zs/zonesync.jar:$tmp/zs/lib/*"

# start_zonesync DIR NAME: runs DIR/zonesync.conf with prefix DIR; sets $started
start_zonesync() {
    bin/zonesync -c "$1/zonesync.conf" -p "$1" >"$1/stderr.log" 2>&1 &
    started=$!
    PIDS+=("$started")
    echo "started zonesync $2 (pid $started)"
}
# start_nginx DIR NAME: runs DIR/nginx.conf (daemon off) with prefix DIR; sets $started
start_nginx() {
    mkdir -p "$1/tmp"
    nginx -p "$1/" -e "$1/error.log" -c "$1/nginx.conf" >"$1/stderr.log" 2>&1 &
    started=$!
    PIDS+=("$started")
    echo "started nginx $2 (pid $started)"
}
nginx_common() {  # the lines every nginx configuration here shares; $1 = its directory
    cat <<EOF
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
EOF
}
nginx_http_common() {
    cat <<EOF
    access_log off;
    client_body_temp_path $1/tmp/body;
    proxy_temp_path $1/tmp/proxy;
    fastcgi_temp_path $1/tmp/fastcgi;
    uwsgi_temp_path $1/tmp/uwsgi;
    scgi_temp_path $1/tmp/scgi;
EOF
}

# parse_wrk FILE NAME: RESULT lines from one wrk output
parse_wrk() {
    python3 - "$1" "$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
name = sys.argv[2]
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
def out(k, v, u):
    print(f"RESULT {name}.{k} {v} {u}")
m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
if not m:
    print(f"ERROR: no wrk result in {sys.argv[1]}")
    sys.exit(1)
n = int(m.group(1))
secs = float(m.group(2)) * unit[m.group(3)] / 1000
out("requests", n, "count")
out("seconds", f"{secs:.3f}", "s")
m = re.search(r"Requests/sec:\s+([\d.]+)", text)
out("rps", m.group(1), "req/s")
for p in ("50", "90", "99"):
    m = re.search(rf"^\s+{p}(?:\.000)?%\s+([\d.]+)(\w+)", text, re.M)
    if m:
        out(f"p{p}", f"{float(m.group(1)) * unit[m.group(2)]:.3f}", "ms")
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
non2xx = int(m.group(1)) if m else 0
out("non2xx", non2xx, "count")
out("ok", n - non2xx, "count")
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
out("socket_errors", sum(int(x) for x in m.groups()) if m else 0, "count")
PY
}

# ---------------------------------------------------------------- the run
exec 3>&1 4>&2 > >(tee -a "$log") 2>&1
tee_pid=$!

rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || rev="$rev, working tree has uncommitted changes in src/"
echo "# proxy benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r)"
echo "# loadavg at start: $(cat /proc/loadavg)"
echo "# java: $(java -version 2>&1 | sed -n 2p)"
echo "# nginx: $(nginx -v 2>&1)"
echo "# wrk: $(wrk -v 2>&1 | head -1 || true)"
echo "# zonesync: $jar ($(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC'), git $rev)"
echo "# DURATION=$DURATION WARMUP=$WARMUP ROUNDS=$ROUNDS THREADS=$THREADS CONNECTIONS=$CONNECTIONS SESSIONS=$SESSIONS" \
     "ACC_NODES='$ACC_NODES' ACC_NGINX_NODES='$ACC_NGINX_NODES' ACC_RATE=$ACC_RATE ACC_BURST=$ACC_BURST" \
     "ACC_DURATION=$ACC_DURATION ACC_WARMUP=$ACC_WARMUP ACC_CONNECTIONS=$ACC_CONNECTIONS ACC_WORKERS=$ACC_WORKERS ACC_SPREAD=$ACC_SPREAD" \
     "ONLY='$ONLY' RULES=$RULES BALANCE=$BALANCE JAVA_OPTS='$JAVA_OPTS'"
echo "RESULT config.acc_rate $ACC_RATE r/s"
echo "RESULT config.acc_burst $ACC_BURST requests"
echo "RESULT config.rounds $ROUNDS count"

# ---------------------------------------------------------------- backend
read -r B1 B2 <<<"$(free_ports 2)"
mkdir -p "$tmp/backend/www"
head -c 1048576 /dev/urandom >"$tmp/backend/www/big"
{
    nginx_common "$tmp/backend"
    cat <<EOF
worker_processes 1;
events { worker_connections 4096; }
http {
$(nginx_http_common "$tmp/backend")
    keepalive_requests 1000000;
    map \$cookie_sid \$sid { "" \$request_id; default \$cookie_sid; }
    server {
        listen 127.0.0.1:$B1;
        listen 127.0.0.1:$B2;
        location = /big { root $tmp/backend/www; }   # (3): 1 MiB
        location / {
            add_header Set-Cookie "sid=\$sid; Path=/";
            add_header X-Backend \$server_port;
            return 200 "hello from the backend\n";
        }
    }
}
EOF
} >"$tmp/backend/nginx.conf"
echo "## backend: nginx, 1 worker, 127.0.0.1:$B1 and 127.0.0.1:$B2"
start_nginx "$tmp/backend" backend
backend_pid=$started
wait_http "http://127.0.0.1:$B1/" "$backend_pid" backend "$tmp/backend/stderr.log"
curl -s -i "http://127.0.0.1:$B1/" | tr -d '\r' | grep -E '^(HTTP|Set-Cookie|X-Backend)'

# check_200 URL NAME: one request must answer 200
check_200() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1" || true)
    if [[ "$code" != 200 ]]; then
        echo "ERROR: $2: GET $1 answered '$code', expected 200"
        return 1
    fi
    echo "$2: GET $1 -> 200"
}
# check_sticky URL NAME: a session cookie keeps going to one backend
check_sticky() {
    local sid="bench-$RANDOM$RANDOM" seen=() i
    for i in 1 2 3 4 5 6; do
        seen+=("$(curl -s -o /dev/null -D - -H "Cookie: sid=$sid" "$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-backend"{print $2}')")
    done
    local distinct
    distinct=$(printf '%s\n' "${seen[@]}" | sort -u | wc -l)
    local nocookie=()
    for i in 1 2 3 4; do
        nocookie+=("$(curl -s -o /dev/null -D - "$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-backend"{print $2}')")
    done
    echo "$2: sid=$sid went to backend port(s) ${seen[*]}; without a cookie: ${nocookie[*]}"
    if [[ "$distinct" == 1 && -n "${seen[0]}" ]]; then
        echo "$2: session affinity ok"
    else
        echo "WARNING: $2: one session went to more than one backend"
    fi
}

# tree_cpu PID: CPU time (utime + stime, clock ticks) of PID and its children (the JVM under the
# zonesync launcher, the workers under the nginx master)
tree_cpu() {
    local p total=0
    for p in "$1" $(pgrep -P "$1" || true); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

# wrk_run NAME URL SECONDS RESULT(0|1) [PID]: one wrk run, its output in the log; with PID, the CPU
# time that process tree used per request
wrk_run() {
    local name=$1 url=$2 secs=$3 counted=$4 pid=${5:-} f="$tmp/wrk-$1.txt" script=() cpu0=0 cpu1=0
    ((SESSIONS > 0)) && script=(-s "$tmp/sessions.lua")
    echo "### $name: wrk -t$THREADS -c$CONNECTIONS -d${secs}s --latency ${script[*]} $url   (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
    [[ -z "$pid" ]] || cpu0=$(tree_cpu "$pid")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency "${script[@]}" "$url" >"$f" 2>&1 || { cat "$f"; return 1; }
    [[ -z "$pid" ]] || cpu1=$(tree_cpu "$pid")
    sed 's/^/    /' "$f"
    local extra=""
    if [[ -n "$pid" ]]; then
        local n hz
        hz=$(getconf CLK_TCK)
        n=$(grep -o '^ *[0-9]* requests in' "$f" | grep -o '[0-9]*' || echo 0)
        echo "    proxy CPU: $(awk -v t=$((cpu1 - cpu0)) -v hz="$hz" -v s="$secs" 'BEGIN { printf "%.2f s = %.2f cores", t / hz, t / hz / s }')"
        extra="RESULT $name.cpu_us_per_req $(awk -v t=$((cpu1 - cpu0)) -v hz="$hz" -v n="${n:-0}" \
            'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }') us"
    fi
    if ((counted)); then
        parse_wrk "$f" "$name"
        [[ -z "$extra" ]] || echo "$extra"
    else
        { parse_wrk "$f" "$name"; [[ -z "$extra" ]] || echo "$extra"; } | sed 's/^RESULT /warmup: /'
    fi
    local non2xx
    non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$f" | grep -o '[0-9]*$' || true)
    [[ -z "$non2xx" ]] || echo "WARNING: $name: $non2xx responses were not 2xx/3xx"
}

# balance_zonesync / balance_nginx: BALANCE's lines for (1)'s upstream block
balance_zonesync() {
    if [[ $BALANCE == sticky ]]; then
        echo '        sticky learn create=$upstream_cookie_sid lookup=$cookie_sid zone=sess:1m;'
    else
        echo '        least_conn;'
    fi
}
balance_nginx() {
    if [[ $BALANCE == sticky ]]; then
        echo '        hash $cookie_sid consistent;    # nginx OSS has no sticky: the nearest session affinity'
    else
        echo '        least_conn;'
    fi
}

# rules_http / rules_location: RULES's lines for the http block and for location / of both proxies
rules_http() {
    [[ $RULES == none ]] && return 0
    cat <<'EOF'
    map $http_user_agent $client_class { default browser; "" none; ~*(bot|crawler|spider) bot; }
    map $request_method $method_allowed { GET 1; HEAD 1; default 0; }
EOF
    if [[ $RULES == map-if-gzip ]]; then
        cat <<'EOF'
    gzip on;
    gzip_types text/plain;
    gzip_min_length 0;
    gzip_proxied any;
EOF
    fi
}
rules_location() {
    [[ $RULES == none ]] && return 0
    cat <<'EOF'
            if ($client_class = bot) { return 403; }
            if ($method_allowed = 0) { return 405; }
            set $tier "$client_class-$cookie_sid";
            proxy_set_header X-Tier $tier;
EOF
}

if [[ " $ONLY " == *" proxy "* ]]; then
    echo
    echo "## (1) proxy throughput and latency: BALANCE=$BALANCE (sticky: sticky learn in zonesync, hash \$cookie_sid consistent in nginx), limit_req, keepalive 32"
    cat >"$tmp/sessions.lua" <<'LUA'
-- Cycles through SESSIONS session cookies; each thread starts at another place in the cycle.
local n = tonumber(os.getenv("SESSIONS")) or 1000
local counter = 0
local reqs, i = {}, 0
function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
end
function init(args)
    local gzip = os.getenv("RULES") == "map-if-gzip"
    for k = 1, n do
        local headers = { ["Cookie"] = "sid=s" .. k }
        if gzip then
            headers["Accept-Encoding"] = "gzip"
        end
        reqs[k] = wrk.format("GET", "/", headers)
    end
    i = ((tid or 1) - 1) * 7919 % n
end
function request()
    i = i % n + 1
    return reqs[i]
end
LUA
    export SESSIONS RULES
    read -r ZP NP <<<"$(free_ports 2)"

    mkdir -p "$tmp/zs-proxy"
    cat >"$tmp/zs-proxy/zonesync.conf" <<EOF
worker_processes auto;
pid zonesync.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    limit_req_zone \$binary_remote_addr zone=rl:10m rate=1000000r/s;
$(rules_http)
    upstream be {
        zone be 64k;
        server 127.0.0.1:$B1;
        server 127.0.0.1:$B2;
$(balance_zonesync)
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$ZP;
        location / {
            limit_req zone=rl burst=1000 nodelay;
$(rules_location)
            proxy_pass http://be;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
$( [[ $BALANCE == least_conn-health ]] && echo "            health_check interval=1s;")
        }
        location /api { api; }   # read after the runs: requests per backend
    }
}
EOF
    mkdir -p "$tmp/nginx-proxy"
    {
        nginx_common "$tmp/nginx-proxy"
        cat <<EOF
worker_processes auto;
events { worker_connections 4096; }
http {
$(nginx_http_common "$tmp/nginx-proxy")
    limit_req_zone \$binary_remote_addr zone=rl:10m rate=1000000r/s;
$(rules_http)
    upstream be {
        zone be 64k;
        server 127.0.0.1:$B1;
        server 127.0.0.1:$B2;
$(balance_nginx)
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$NP;
        location / {
            limit_req zone=rl burst=1000 nodelay;
$(rules_location)
            proxy_pass http://be;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
    } >"$tmp/nginx-proxy/nginx.conf"
    echo "### zonesync configuration"
    sed 's/^/    /' "$tmp/zs-proxy/zonesync.conf"
    echo "### nginx configuration (temp paths left out)"
    grep -v -e _temp_path -e '^pid ' -e '^error_log ' "$tmp/nginx-proxy/nginx.conf" | sed 's/^/    /'

    start_zonesync "$tmp/zs-proxy" proxy
    zs_pid=$started
    start_nginx "$tmp/nginx-proxy" proxy
    ngx_pid=$started
    wait_http "http://127.0.0.1:$ZP/" "$zs_pid" "zonesync proxy" "$tmp/zs-proxy/stderr.log"
    wait_http "http://127.0.0.1:$NP/" "$ngx_pid" "nginx proxy" "$tmp/nginx-proxy/stderr.log"
    check_200 "http://127.0.0.1:$ZP/" zonesync
    check_200 "http://127.0.0.1:$NP/" nginx
    if [[ $BALANCE == sticky ]]; then
        check_sticky "http://127.0.0.1:$ZP/" zonesync
        check_sticky "http://127.0.0.1:$NP/" nginx
    fi

    wrk_run proxy.zonesync.warmup "http://127.0.0.1:$ZP/" "$WARMUP" 0 "$zs_pid"
    wrk_run proxy.nginx.warmup "http://127.0.0.1:$NP/" "$WARMUP" 0 "$ngx_pid"
    for r in $(seq 1 "$ROUNDS"); do
        wrk_run "proxy.zonesync.r$r" "http://127.0.0.1:$ZP/" "$DURATION" 1 "$zs_pid"
        wrk_run "proxy.nginx.r$r" "http://127.0.0.1:$NP/" "$DURATION" 1 "$ngx_pid"
    done
    if [[ -n "${ALLOC:-}" ]]; then
        java_pid=$(pgrep -P "$zs_pid" java || echo "$zs_pid")
        jcmd "$java_pid" JFR.start name=alloc settings="$repo/bench/keyval/alloc.jfc" filename="$tmp/alloc.jfr" >/dev/null
        sleep 1.5
        wrk_run proxy.zonesync.alloc "http://127.0.0.1:$ZP/" "$DURATION" 0 "$zs_pid" >"$tmp/alloc-run.txt"
        sleep 1.5
        jcmd "$java_pid" JFR.stop name=alloc >/dev/null
        n=$(grep -o 'alloc.requests [0-9]*' "$tmp/alloc-run.txt" | grep -o '[0-9]*$')
        jfr print --json --events jdk.ThreadAllocationStatistics "$tmp/alloc.jfr" | python3 -c '
import json, sys
first, last = {}, {}
for e in json.load(sys.stdin)["recording"]["events"]:
    t = e["values"]["thread"]
    tid = (t or {}).get("javaThreadId") or (t or {}).get("osThreadId")
    first.setdefault(tid, e["values"]["allocated"])
    last[tid] = e["values"]["allocated"]
print(f"RESULT proxy.zonesync.alloc.bytes_per_req {round(sum(last[t] - first[t] for t in last) / int(sys.argv[1]))} bytes")
' "$n"
    fi
    check_200 "http://127.0.0.1:$ZP/" zonesync
    check_200 "http://127.0.0.1:$NP/" nginx
    echo "zonesync upstream be, requests per server: $(curl -s "http://127.0.0.1:$ZP/api/9/http/upstreams/be" |
        python3 -c 'import json,sys; print(", ".join("%s: %s" % (p["server"], p["requests"]) for p in json.load(sys.stdin)["peers"]))' 2>&1 || true)"
    stop "$zs_pid" "$ngx_pid"
    if [[ -s "$tmp/zs-proxy/stderr.log" ]]; then
        echo "zonesync proxy stderr (error_log warn):"
        sed 's/^/    /' "$tmp/zs-proxy/stderr.log"
    else
        echo "zonesync proxy stderr (error_log warn): empty"
    fi
    [[ -s "$tmp/nginx-proxy/error.log" ]] && { echo "nginx proxy error.log:"; sed 's/^/    /' "$tmp/nginx-proxy/error.log" | tail -20; }
fi

# ---------------------------------------------------------------- (2) limit_req accuracy
# passed_sample PORT...: "sum-of-passed mid-time-ns read-ms" over the nodes' APIs
passed_sample() {
    local t0 t1 sum=0 p v
    t0=$(date +%s%N)
    for p in "$@"; do
        v=$(curl -s --max-time 5 "http://127.0.0.1:$p/api/9/http/limit_reqs/rl" | grep -o '"passed":[0-9]*' | cut -d: -f2 || true)
        sum=$((sum + ${v:-0}))
    done
    t1=$(date +%s%N)
    echo "$sum $(((t0 + t1) / 2)) $(((t1 - t0) / 1000000))"
}
# steady_sampler START-NS PORT...: samples 2 s after START and 1 s before the end of the load
steady_sampler() {
    local start=$1 now
    shift
    now=$(date +%s%N)
    sleep "$(awk -v s="$start" -v n="$now" 'BEGIN { d = (s + 2e9 - n) / 1e9; print (d > 0 ? d : 0) }')"
    passed_sample "$@"
    now=$(date +%s%N)
    sleep "$(awk -v s="$start" -v n="$now" -v D="$ACC_DURATION" 'BEGIN { d = (s + (D - 1) * 1e9 - n) / 1e9; print (d > 0 ? d : 0) }')"
    passed_sample "$@"
}

# acc_load KIND N PORT...: ACC_WARMUP s of load, pause, then ACC_DURATION s measured, one wrk per node
# The part of (2)'s http block that zonesync and nginx share, so both get the same configuration:
# the backend upstream and the limited server on port $1, with $2 as one more location ("" for none).
acc_limit_req() {
    if ((ACC_BURST == 0)); then
        echo "limit_req zone=rl;"
    else
        echo "limit_req zone=rl burst=$ACC_BURST nodelay;"
    fi
}
acc_upstream_and_server() {
    cat <<EOF
    upstream be {
        server 127.0.0.1:$B1;
        keepalive 8;
    }
    server {
        listen 127.0.0.1:$1;
        server_name bench;
        location / {
            $(acc_limit_req)
            proxy_pass http://be;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
        $2
    }
EOF
}

# acc_conns I N: wrk connections for node I of N under ACC_SPREAD
acc_conns() {
    if [[ $ACC_SPREAD == uneven && $1 == 1 ]]; then
        echo $((ACC_CONNECTIONS * $2 - ($2 - 1)))
    elif [[ $ACC_SPREAD == uneven ]]; then
        echo 1
    else
        echo "$ACC_CONNECTIONS"
    fi
}

acc_load() {
    local kind=$1 n=$2 p pids=() i t0 t1
    shift 2
    if ((ACC_WARMUP > 0)); then
        i=0
        for p in "$@"; do
            i=$((i + 1))
            wrk -t1 -c"$(acc_conns "$i" "$n")" -d"${ACC_WARMUP}s" "http://127.0.0.1:$p/" >/dev/null 2>&1 &
            pids+=($!); PIDS+=($!)
        done
        for p in "${pids[@]}"; do wait "$p"; done
    fi
    # let the bucket drain (burst / rate seconds) and reset the statistics
    sleep "$(awk -v b="$ACC_BURST" -v r="$ACC_RATE" 'BEGIN { d = 2 * b / r; print (d > 1 ? d : 1) }')"
    if [[ $kind == zonesync ]]; then
        for p in "$@"; do curl -s -o /dev/null -X DELETE "http://127.0.0.1:$p/api/9/http/limit_reqs/rl"; done
    fi
    pids=()
    i=0
    t0=$(date +%s%N)
    for p in "$@"; do
        i=$((i + 1))
        wrk -t1 -c"$(acc_conns "$i" "$n")" -d"${ACC_DURATION}s" "http://127.0.0.1:$p/" >"$tmp/wrk-acc-$kind-n$n-$i.txt" 2>&1 &
        pids+=($!); PIDS+=($!)
    done
    # Steady state, free of the start: passed counts sampled during the load (in the background,
    # so that the end of the load is timed as it happens).
    local sampler=""
    if [[ $kind == zonesync ]] && ((ACC_DURATION >= 5)); then
        steady_sampler "$t0" "$@" >"$tmp/steady-n$n.txt" &
        sampler=$!; PIDS+=($!)
    fi
    for p in "${pids[@]}"; do wait "$p"; done
    t1=$(date +%s%N)
    [[ -z "$sampler" ]] || wait "$sampler"
    local ok=0 reqs=0 wrk_secs=0
    for i in $(seq 1 "$n"); do
        echo "### node $i: wrk -t1 -c$(acc_conns "$i" "$n") -d${ACC_DURATION}s"
        sed 's/^/    /' "$tmp/wrk-acc-$kind-n$n-$i.txt"
        parse_wrk "$tmp/wrk-acc-$kind-n$n-$i.txt" "acc.$kind.n$n.node$i" >"$tmp/parsed.txt"
        cat "$tmp/parsed.txt"
        ok=$((ok + $(awk '$2 ~ /\.ok$/ {print $3}' "$tmp/parsed.txt")))
        reqs=$((reqs + $(awk '$2 ~ /\.requests$/ {print $3}' "$tmp/parsed.txt")))
        wrk_secs=$(awk -v m="$wrk_secs" '$2 ~ /\.seconds$/ {print ($3 > m ? $3 : m)}' "$tmp/parsed.txt")
    done
    # T: the longest run as wrk measured it (the runs start within milliseconds of each other)
    local secs=$wrk_secs
    echo "RESULT acc.$kind.n$n.seconds $secs s"
    echo "RESULT acc.$kind.n$n.wall_seconds $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') s"
    echo "RESULT acc.$kind.n$n.offered_rps $(awk -v r="$reqs" -v s="$secs" 'BEGIN { printf "%.0f", r / s }') req/s"
    echo "RESULT acc.$kind.n$n.wrk_2xx $ok count"
    if [[ -n "$sampler" ]]; then
        local sa sb pa ta ra pb tb rb
        sa=$(sed -n 1p "$tmp/steady-n$n.txt")
        sb=$(sed -n 2p "$tmp/steady-n$n.txt")
        read -r pa ta ra <<<"$sa"
        read -r pb tb rb <<<"$sb"
        echo "steady state: passed $pa at +$(((ta - t0) / 1000000)) ms (API reads took $ra ms)," \
             "$pb at +$(((tb - t0) / 1000000)) ms ($rb ms)"
        awk -v pa="$pa" -v pb="$pb" -v ta="$ta" -v tb="$tb" -v rate="$ACC_RATE" -v name="acc.$kind.n$n" 'BEGIN {
            r = (pb - pa) / ((tb - ta) / 1e9)
            printf "RESULT %s.steady_rps %.2f r/s\nRESULT %s.steady_ratio %.4f x\n", name, r, name, r / rate }'
        if ((ra > 100 || rb > 100)); then
            echo "NOTE: slow API reads: the steady-state figure is uncertain by about ±$(((ra + rb) * ACC_RATE / 2000)) requests"
        fi
    fi
    local accepted=$ok
    if [[ $kind == zonesync ]]; then
        local passed=0 rejected=0 j
        i=0
        for p in "$@"; do
            i=$((i + 1))
            j=$(curl -s "http://127.0.0.1:$p/api/9/http/limit_reqs/rl")
            echo "node $i limit_reqs/rl: $j"
            passed=$((passed + $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["passed"])' "$j")))
            rejected=$((rejected + $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rejected"])' "$j")))
        done
        echo "RESULT acc.$kind.n$n.api_passed $passed count"
        echo "RESULT acc.$kind.n$n.api_rejected $rejected count"
        [[ $passed == "$ok" ]] || echo "NOTE: api passed ($passed) differs from wrk's 2xx count ($ok): requests in flight when wrk stopped"
        accepted=$passed
    fi
    python3 - "$kind" "$n" "$accepted" "$secs" "$ACC_RATE" "$ACC_BURST" <<'PY'
import sys
kind, n, acc, secs, rate, burst = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
print(f"RESULT acc.{kind}.n{n}.accepted {acc} count")
print(f"RESULT acc.{kind}.n{n}.accepted_rps {acc / secs:.2f} r/s")
print(f"RESULT acc.{kind}.n{n}.ratio_rate {acc / (rate * secs):.4f} x")
print(f"RESULT acc.{kind}.n{n}.ratio_rate_burst {acc / (rate * secs + burst):.4f} x")
PY
}

if [[ " $ONLY " == *" acc "* ]]; then
    echo
    echo "## (2) limit_req accuracy: rate=${ACC_RATE}r/s, $(acc_limit_req) one key for every client, load on every node at once"
    for n in $ACC_NODES; do
        echo
        echo "### zonesync, $n node(s)"
        read -r -a ports <<<"$(free_ports $((2 * n)))"
        hp=("${ports[@]:0:n}")
        sp=("${ports[@]:n}")
        servers=""
        for p in "${sp[@]}"; do servers+="        zone_sync_server 127.0.0.1:$p;"$'\n'; done
        npids=()
        for i in $(seq 1 "$n"); do
            d="$tmp/acc-zs-n$n-$i"
            mkdir -p "$d"
            cat >"$d/zonesync.conf" <<EOF
worker_processes $ACC_WORKERS;
pid zonesync.pid;
error_log stderr notice;
events { worker_connections 1024; }
stream {
    server {
        listen 127.0.0.1:${sp[i - 1]};
        zone_sync;
$servers    }
}
http {
    access_log off;
    limit_req_zone \$server_name zone=rl:1m rate=${ACC_RATE}r/s sync;
    limit_req_status 429;
    limit_req_log_level info;   # not every rejection into the error log
$(acc_upstream_and_server "${hp[i - 1]}" "location /api { api write=on; }")
}
EOF
            [[ $i == 1 ]] && { echo "node 1 configuration:"; sed 's/^/    /' "$d/zonesync.conf"; }
            start_zonesync "$d" "node $i/$n"
            npids+=("$started")
        done
        for i in $(seq 1 "$n"); do
            wait_http "http://127.0.0.1:${hp[i - 1]}/api/9/" "${npids[i - 1]}" "zonesync node $i" "$tmp/acc-zs-n$n-$i/stderr.log"
        done
        if ((n > 1)); then
            for i in $(seq 1 "$n"); do
                online=-1
                for _ in $(seq 1 300); do
                    online=$(curl -s "http://127.0.0.1:${hp[i - 1]}/api/9/stream/zone_sync" | python3 -c \
                        'import json,sys; print(json.load(sys.stdin)["status"]["nodes_online"])' 2>/dev/null || echo -1)
                    [[ "$online" == $((n - 1)) ]] && break
                    sleep 0.1
                done
                echo "node $i: nodes_online=$online"
                [[ "$online" == $((n - 1)) ]] || { echo "ERROR: node $i does not see the cluster"; cat "$tmp/acc-zs-n$n-$i/stderr.log"; exit 1; }
            done
        fi
        for i in $(seq 1 "$n"); do
            # one shared bucket: with no burst, each check takes the one request it holds for 1/rate s
            sleep "$(awk -v r="$ACC_RATE" 'BEGIN { print 1.5 / r }')"
            check_200 "http://127.0.0.1:${hp[i - 1]}/" "zonesync node $i"
        done
        acc_load zonesync "$n" "${hp[@]}"
        if ((n > 1)); then
            for i in $(seq 1 "$n"); do
                echo "node $i zone_sync: $(curl -s "http://127.0.0.1:${hp[i - 1]}/api/9/stream/zone_sync")"
            done
        fi
        stop "${npids[@]}"
        for i in $(seq 1 "$n"); do
            if grep -q -E '\[(warn|error|crit|alert|emerg)\]|Exception' "$tmp/acc-zs-n$n-$i/stderr.log"; then
                echo "node $i log (warnings and errors, at most 20 lines):"
                awk '/\[(warn|error|crit|alert|emerg)\]|Exception/ && n++ < 20 {print "    " $0}' "$tmp/acc-zs-n$n-$i/stderr.log"
            fi
        done
    done

    for n in $ACC_NGINX_NODES; do
        echo
        echo "### nginx, $n independent node(s) (nginx OSS cannot share limit_req state between nodes)"
        read -r -a hp <<<"$(free_ports "$n")"
        npids=()
        for i in $(seq 1 "$n"); do
            d="$tmp/acc-nginx-n$n-$i"
            mkdir -p "$d"
            {
                nginx_common "$d"
                cat <<EOF
worker_processes $ACC_WORKERS;
events { worker_connections 1024; }
http {
$(nginx_http_common "$d")
    limit_req_zone \$server_name zone=rl:1m rate=${ACC_RATE}r/s;
    limit_req_status 429;
    limit_req_log_level info;
$(acc_upstream_and_server "${hp[i - 1]}" "")
}
EOF
            } >"$d/nginx.conf"
            start_nginx "$d" "node $i/$n"
            npids+=("$started")
        done
        for i in $(seq 1 "$n"); do
            wait_http "http://127.0.0.1:${hp[i - 1]}/" "${npids[i - 1]}" "nginx node $i" "$tmp/acc-nginx-n$n-$i/stderr.log"
            sleep "$(awk -v r="$ACC_RATE" 'BEGIN { print 1.5 / r }')" # wait_http's request took the bucket's one
            check_200 "http://127.0.0.1:${hp[i - 1]}/" "nginx node $i"
        done
        acc_load nginx "$n" "${hp[@]}"
        stop "${npids[@]}"
    done
fi

# ---------------------------------------------------------------- (3) stream (TCP) proxy
# stream_run NAME URL SECONDS COUNTED PID CONNECTIONS [wrk options]: one wrk run through a TCP proxy;
# RESULT lines: rps (= new connections/s with Connection: close), mbps, cpu per request and per MiB
stream_run() {
    local name=$1 url=$2 secs=$3 counted=$4 pid=$5 conns=$6 f="$tmp/wrk-$1.txt" cpu0 cpu1
    shift 6
    echo "### $name: wrk -t$THREADS -c$conns -d${secs}s $* $url   (loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
    cpu0=$(tree_cpu "$pid")
    wrk -t"$THREADS" -c"$conns" -d"${secs}s" "$@" "$url" >"$f" 2>&1 || { cat "$f"; return 1; }
    cpu1=$(tree_cpu "$pid")
    sed 's/^/    /' "$f"
    python3 - "$f" "$name" "$((cpu1 - cpu0))" "$(getconf CLK_TCK)" "$counted" <<'PY'
import re, sys
text, name, ticks, hz, counted = open(sys.argv[1]).read(), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
prefix = "RESULT" if counted == "1" else "warmup:"
n = int(re.search(r"(\d+) requests in", text).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", text)
mb = float(m.group(1)) * {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)]
m = re.search(r"requests in [\d.]+\w+, ([\d.]+)(\w+) read", text)
read_mb = float(m.group(1)) * {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)] if m else 0
cpu = ticks / hz
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
bad = int(m.group(1)) if m else 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
bad += sum(int(x) for x in m.groups()) if m else 0
print(f"{prefix} {name}.rps {rps} req/s")
print(f"{prefix} {name}.mbps {mb:.1f} MB/s")
print(f"{prefix} {name}.cpu_us_per_req {cpu * 1e6 / n if n else 0:.1f} us")
print(f"{prefix} {name}.cpu_ms_per_mib {cpu * 1e3 / read_mb if read_mb else 0:.2f} ms")
print(f"{prefix} {name}.errors {bad} count")
PY
}

if [[ " $ONLY " == *" stream "* ]]; then
    echo
    echo "## (3) stream (TCP) proxy: new connections/s and 1 MiB throughput, round robin over the two backend ports"
    read -r ZT NT <<<"$(free_ports 2)"
    mkdir -p "$tmp/zs-stream" "$tmp/nginx-stream"
    cat >"$tmp/zs-stream/zonesync.conf" <<EOF
worker_processes auto;
pid zonesync.pid;
error_log stderr warn;
events { worker_connections 8192; }
stream {
    upstream be { server 127.0.0.1:$B1; server 127.0.0.1:$B2; }
    server { listen 127.0.0.1:$ZT; proxy_pass be; }
}
EOF
    stream_module=/usr/lib/nginx/modules/ngx_stream_module.so
    {
        [[ -e $stream_module ]] && echo "load_module $stream_module;"
        nginx_common "$tmp/nginx-stream"
        cat <<EOF
worker_processes auto;
events { worker_connections 8192; }
stream {
    upstream be { server 127.0.0.1:$B1; server 127.0.0.1:$B2; }
    server { listen 127.0.0.1:$NT; proxy_pass be; }
}
EOF
    } >"$tmp/nginx-stream/nginx.conf"
    echo "### zonesync configuration"
    sed 's/^/    /' "$tmp/zs-stream/zonesync.conf"
    echo "### nginx configuration"
    grep -v -e '^pid ' -e '^error_log ' "$tmp/nginx-stream/nginx.conf" | sed 's/^/    /'
    start_zonesync "$tmp/zs-stream" stream
    zs_pid=$started
    start_nginx "$tmp/nginx-stream" stream
    ngx_pid=$started
    wait_http "http://127.0.0.1:$ZT/" "$zs_pid" "zonesync stream" "$tmp/zs-stream/stderr.log"
    wait_http "http://127.0.0.1:$NT/" "$ngx_pid" "nginx stream" "$tmp/nginx-stream/stderr.log"
    check_200 "http://127.0.0.1:$ZT/big" zonesync
    check_200 "http://127.0.0.1:$NT/big" nginx
    for phase in conn bulk; do
        if [[ $phase == conn ]]; then
            args=(-H "Connection: close"); path=/; conns=$STREAM_CONNECTIONS
        else
            args=(); path=/big; conns=$STREAM_BULK_CONNECTIONS
        fi
        stream_run "stream.$phase.zonesync.warmup" "http://127.0.0.1:$ZT$path" "$WARMUP" 0 "$zs_pid" "$conns" "${args[@]}"
        stream_run "stream.$phase.nginx.warmup" "http://127.0.0.1:$NT$path" "$WARMUP" 0 "$ngx_pid" "$conns" "${args[@]}"
        for r in $(seq 1 "$ROUNDS"); do
            stream_run "stream.$phase.zonesync.r$r" "http://127.0.0.1:$ZT$path" "$DURATION" 1 "$zs_pid" "$conns" "${args[@]}"
            stream_run "stream.$phase.nginx.r$r" "http://127.0.0.1:$NT$path" "$DURATION" 1 "$ngx_pid" "$conns" "${args[@]}"
        done
    done
    stop "$zs_pid" "$ngx_pid"
    if [[ -s "$tmp/zs-stream/stderr.log" ]]; then
        echo "zonesync stream stderr (error_log warn):"
        sed 's/^/    /' "$tmp/zs-stream/stderr.log" | tail -20
    fi
    [[ -s "$tmp/nginx-stream/error.log" ]] && { echo "nginx stream error.log:"; sed 's/^/    /' "$tmp/nginx-stream/error.log" | tail -20; }
fi

stop "$backend_pid"
echo
echo "# loadavg at end: $(cat /proc/loadavg)"
# let tee write out everything before the summary reads the log
exec >&3 2>&4
wait "$tee_pid" 2>/dev/null || true

# ---------------------------------------------------------------- summary
python3 - "$log" <<'PY' >"$table"
import re, statistics, sys
r = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT (\S+) (\S+) (\S+)", line)
    if m:
        r[m.group(1)] = float(m.group(2))

def rounds(side, k):
    return [r[f"proxy.{side}.r{i}.{k}"] for i in range(1, 100) if f"proxy.{side}.r{i}.{k}" in r]

def med(side, k):
    v = rounds(side, k)
    return statistics.median(v) if v else None

def cell(side, k, fmt):
    v = rounds(side, k)
    if not v:
        return "n/a"
    s = fmt.format(statistics.median(v))
    return s + (" (" + ", ".join(fmt.format(x) for x in v) + ")" if len(v) > 1 else "")

rows = []
if rounds("zonesync", "rps"):
    zr, nr = med("zonesync", "rps"), med("nginx", "rps")
    zp, np_ = med("zonesync", "p99"), med("nginx", "p99")
    rr = zr / nr if zr and nr else None
    pr = zp / np_ if zp and np_ else None
    rows.append(("(1) requests/s, median (each round)", cell("zonesync", "rps", "{:.0f}"), cell("nginx", "rps", "{:.0f}"),
                 ">= 0.8x nginx", rr is not None and rr >= 0.8, f"{rr:.2f}x" if rr else "n/a"))
    rows.append(("(1) p99 latency ms, median (each round)", cell("zonesync", "p99", "{:.2f}"), cell("nginx", "p99", "{:.2f}"),
                 "<= 2x nginx", pr is not None and pr <= 2.0, f"{pr:.2f}x" if pr else "n/a"))
    rows.append(("(1) p50 latency ms, median", cell("zonesync", "p50", "{:.2f}"), cell("nginx", "p50", "{:.2f}"), "-", None, ""))
    rows.append(("(1) proxy CPU us per request, median", cell("zonesync", "cpu_us_per_req", "{:.1f}"),
                 cell("nginx", "cpu_us_per_req", "{:.1f}"), "-", None, ""))
    bad = lambda s: "{:.0f} / {:.0f}".format(sum(rounds(s, "non2xx")), sum(rounds(s, "socket_errors")))
    rows.append(("(1) non-2xx / socket errors, all rounds", bad("zonesync"), bad("nginx"), "0 / 0",
                 sum(rounds("zonesync", "non2xx")) + sum(rounds("zonesync", "socket_errors")) == 0, ""))
ns = sorted({int(m.group(1)) for k in r for m in [re.match(r"acc\.\w+\.n(\d+)\.accepted$", k)] if m})
for n in ns:
    def acc(kind):
        b = f"acc.{kind}.n{n}."
        if b + "accepted" not in r:
            return "-"
        steady = f"; steady state {r[b + 'steady_ratio']:.3f} of rate" if b + "steady_ratio" in r else ""
        return (f"{r[b + 'ratio_rate_burst']:.3f} ({r[b + 'accepted']:.0f} in {r[b + 'seconds']:.1f} s;"
                f" {r[b + 'ratio_rate']:.3f} of rate alone{steady}; offered {r[b + 'offered_rps']:.0f}/s)")
    z = r.get(f"acc.zonesync.n{n}.ratio_rate_burst")
    ok = None if z is None else abs(z - 1) <= 0.05
    rows.append((f"(2) limit_req accepted / (rate*T + burst), {n} node(s)", acc("zonesync"),
                 acc("nginx") + (" independent" if f"acc.nginx.n{n}.accepted" in r and n > 1 else ""),
                 "within 5%", ok, f"{z:.3f}" if z is not None else ""))
def srounds(phase, side, k):
    return [r[f"stream.{phase}.{side}.r{i}.{k}"] for i in range(1, 100) if f"stream.{phase}.{side}.r{i}.{k}" in r]

def scell(phase, side, k, fmt):
    v = srounds(phase, side, k)
    if not v:
        return "n/a"
    return fmt.format(statistics.median(v)) + (" (" + ", ".join(fmt.format(x) for x in v) + ")" if len(v) > 1 else "")

for phase, k, label, fmt in (("conn", "rps", "(3) stream: new connections/s, median (each round)", "{:.0f}"),
                             ("conn", "cpu_us_per_req", "(3) stream: proxy CPU us per connection, median", "{:.1f}"),
                             ("bulk", "mbps", "(3) stream: 1 MiB throughput MB/s, median (each round)", "{:.0f}"),
                             ("bulk", "cpu_ms_per_mib", "(3) stream: proxy CPU ms per MiB, median", "{:.2f}"),
                             ("conn", "errors", "(3) stream: errors (connections run)", "{:.0f}"),
                             ("bulk", "errors", "(3) stream: errors (throughput run)", "{:.0f}")):
    z, n = srounds(phase, "zonesync", k), srounds(phase, "nginx", k)
    if not z:
        continue
    ratio = statistics.median(z) / statistics.median(n) if n and statistics.median(n) else None
    rows.append((label, scell(phase, "zonesync", k, fmt), scell(phase, "nginx", k, fmt), "-", None,
                 f"{ratio:.2f}x" if ratio is not None and k in ("rps", "mbps") else ""))
print()
print(f"| figure | zonesync | nginx {'(OSS)'} | target | verdict |")
print("| --- | --- | --- | --- | --- |")
for name, z, ng, t, ok, ratio in rows:
    v = "-" if ok is None else ("met" if ok else "missed")
    if ratio and ok is not None:
        v += f" ({ratio})"
    elif ratio:
        v = f"{ratio} of nginx"
    print(f"| {name} | {z} | {ng} | {t} | {v} |")
print()
print("(1): balancing per BALANCE (sticky: zonesync `sticky learn` vs nginx `hash $cookie_sid consistent`, nginx OSS")
print("has no sticky), both with limit_req (never limiting) and upstream keepalive 32, 2 backend ports on one nginx worker.")
print("(3): the TCP proxy, round robin over the same 2 backend ports; connections/s with `Connection: close`.")
print("(2): T = the longest of the concurrent wrk runs; steady state = passed between API samples 2 s after the")
print("start and 1 s before the end, over the time between them; nginx OSS nodes cannot share limit_req state.")
PY
cat "$table"
cat "$table" >>"$log"
echo "log: $log" >&2
echo "table: $table" >&2
