#!/usr/bin/env bash
# limit_req accuracy across a cluster, the whole table: for every rate in RATES and every burst in
# BURSTS, 1, 2 and 3 zonesync nodes sharing one `sync` zone with the load spread evenly, 2 and 3
# nodes with the load spread unevenly, and one nginx (Debian's open-source build) with the same
# limit beside them in the same run. Each cell is a run of bench/proxy/run.sh's part (2) (one key
# for every client, dense load on every node at once, accepted = the nodes' `passed` counts).
#
#   bench/limitreq/run.sh                      full table: 36 runs, about 12 minutes
#   RATES=100 BURSTS=0 ACC_DURATION=5 bench/limitreq/run.sh     one row group, about 2 minutes
#
# Environment (all optional): RATES="10 100 1000", BURSTS="0 20" (0: `limit_req zone=rl;`, no
# burst parameter), ACC_DURATION=10 seconds of load per cell, and anything bench/proxy/run.sh reads
# for its part (2) (ACC_CONNECTIONS, ACC_WORKERS, ACC_WARMUP, SKIP_INSTALL, ...).
# Target: every zonesync cell admits within 2% of what the one nginx admits over the same time
# ("vs nginx", both as a share of rate*T + burst, T each run's own length).
# Output: the runs' logs and a markdown table, saved as target/bench-results/limitreq-<UTC stamp>.log
# and .table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATES=${RATES:-"10 100 1000"} BURSTS=${BURSTS:-"0 20"}
export ACC_DURATION=${ACC_DURATION:-10}
mkdir -p target/bench-results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log=target/bench-results/limitreq-$stamp.log
table=target/bench-results/limitreq-$stamp.table
: >"$log"

# cell RATE BURST SPREAD NODES NGINX_NODES: one run of part (2), its RESULT lines appended to the log
cell() {
    echo "## rate=$1 burst=$2 spread=$3 zonesync nodes '$4' nginx nodes '$5'" | tee -a "$log"
    ONLY=acc ACC_RATE=$1 ACC_BURST=$2 ACC_SPREAD=$3 ACC_NODES=$4 ACC_NGINX_NODES=$5 bench/proxy/run.sh \
        2>&1 | sed "s/^RESULT acc\./RESULT r$1.b$2.$3.acc./" >>"$log"
}

for rate in $RATES; do
    for burst in $BURSTS; do
        cell "$rate" "$burst" even "1 2 3" "1"
        cell "$rate" "$burst" uneven "2 3" ""
    done
done

python3 - "$log" "$RATES" "$BURSTS" >"$table" <<'PY'
import re, sys
log, rates, bursts = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
r = {}
for line in open(log):
    m = re.match(r"RESULT (\S+) (\S+)", line)
    if m:
        r[m.group(1)] = float(m.group(2))
print("| rate r/s | burst | load | nodes | zonesync accepted | T s | of rate*T+burst | nginx (1 node) of rate*T+burst | vs nginx |")
print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
worst = None
for rate in rates:
    for burst in bursts:
        ng = r.get(f"r{rate}.b{burst}.even.acc.nginx.n1.ratio_rate_burst")
        for spread, sizes in (("even", (1, 2, 3)), ("uneven", (2, 3))):
            for n in sizes:
                k = f"r{rate}.b{burst}.{spread}.acc.zonesync.n{n}"
                if k + ".accepted" not in r:
                    print(f"| {rate} | {burst} | {spread} | {n} | (missing) | | | | |")
                    continue
                zs = r[k + ".ratio_rate_burst"]
                vs = zs / ng if ng else None
                if vs is not None and (worst is None or abs(vs - 1) > abs(worst - 1)):
                    worst = vs
                print(f"| {rate} | {burst} | {spread} | {n} | {int(r[k + '.accepted'])} | {r[k + '.seconds']:.2f} | "
                      f"{zs:.4f} | {ng:.4f} | {vs:.4f} |" if vs is not None else
                      f"| {rate} | {burst} | {spread} | {n} | {int(r[k + '.accepted'])} | {r[k + '.seconds']:.2f} | {zs:.4f} | | |")
if worst is not None:
    print(f"\nFurthest from nginx: {worst:.4f} (target: within 0.98 .. 1.02)")
PY
cat "$table"
echo "log: $log"
