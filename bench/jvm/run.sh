#!/usr/bin/env bash
# JDK and garbage collector comparison for the sync engine: bench/sync/run.sh parts (a) throughput,
# (b) latency and (c) snapshot, run once per configuration, configurations interleaved so that load
# from elsewhere on a shared machine falls on all of them alike.
#
#   bench/jvm/run.sh                               two passes of 6 configurations, about 30 minutes
#   PASSES=1 KEYS=200000 DURATION=3 bench/jvm/run.sh      smoke run, figures mean nothing
#
# Configurations (CONFIGS, space-separated NAME=JDK_HOME:GC): the default java (JDK 17) and the
# newest JDK found under /usr/lib/jvm (JDK25), each with G1 (-XX:+UseG1GC) and ZGC (-XX:+UseZGC:
# non-generational on JDK 17, generational on JDK 21+ where it is the only ZGC from JDK 23 on) and
# Shenandoah (-XX:+UseShenandoahGC: concurrent compaction, pauses independent of the heap's size).
# A configuration's options are separated by commas (jdk17-touch=$JDK:-XX:+UseG1GC,-Xms2g,-Xmx2g).
# Pass 1 runs them in order, pass 2 in reverse order, and so on.
# Environment (all optional): PASSES=2, CONFIGS (see above), EXTRA_OPTS="" (added to every
# configuration's JAVA_OPTS), and anything bench/sync/run.sh reads (KEYS, ROUNDS, RATES, DURATION...).
# SUMMARY_ONLY="INDEX..." runs nothing and makes the table from the RUN lines of earlier runs' jvm-*.log
# (runs interrupted and completed in another invocation are summarised together this way).
# Output: each run's log (bench/sync/run.sh's, under target/bench-results/), and a table of the
# medians over passes per configuration, saved as target/bench-results/jvm-<UTC stamp>.table with
# the list of runs in jvm-<UTC stamp>.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
PASSES=${PASSES:-2} EXTRA_OPTS=${EXTRA_OPTS:-}
jdk17=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
jdk25=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1 || true)
[[ -n "$jdk25" ]] || { echo "no JDK 25 under /usr/lib/jvm" >&2; exit 1; }
CONFIGS=${CONFIGS:-"jdk17-g1=$jdk17:-XX:+UseG1GC jdk25-g1=$jdk25:-XX:+UseG1GC jdk17-zgc=$jdk17:-XX:+UseZGC jdk25-zgc=$jdk25:-XX:+UseZGC jdk17-shen=$jdk17:-XX:+UseShenandoahGC jdk25-shen=$jdk25:-XX:+UseShenandoahGC"}
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p target/bench-results
index=target/bench-results/jvm-$stamp.log
table=target/bench-results/jvm-$stamp.table
: >"$index"
read -r -a configs <<<"$CONFIGS"
if [[ -n "${SUMMARY_ONLY:-}" ]]; then
    # shellcheck disable=SC2086 # a list of files
    cat $SUMMARY_ONLY >"$index"
    PASSES=0
fi
for pass in $(seq 1 "$PASSES"); do
    order=("${configs[@]}")
    if (( pass % 2 == 0 )); then
        order=(); for (( i=${#configs[@]}-1; i>=0; i-- )); do order+=("${configs[i]}"); done
    fi
    for config in "${order[@]}"; do
        name=${config%%=*} spec=${config#*=}
        home=${spec%%:*} gc=${spec#*:}
        gc=${gc//,/ }
        echo "## pass $pass $name ($home/bin/java $gc $EXTRA_OPTS), loadavg $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$index"
        err=$(mktemp)
        ONLY="a b c" JAVA="$home/bin/java" JAVA_OPTS="$gc $EXTRA_OPTS" bench/sync/run.sh >/dev/null 2>"$err" || true
        log=$(sed -n 's/^log: //p' "$err" | tail -1); rm -f "$err"
        echo "RUN $pass $name $log loadavg_end $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$index"
    done
done

python3 - "$index" >"$table" <<'PY'
import re, statistics, sys
runs = {}
order = []
for line in open(sys.argv[1]):
    m = re.match(r"RUN (\d+) (\S+) (\S+) loadavg_end (\S+)", line)
    if not m:
        continue
    name, log = m.group(2), m.group(3)
    if name not in runs:
        runs[name] = []; order.append(name)
    r = {"load_end": float(m.group(4))}
    for l in open(log):
        mm = re.match(r"RESULT (\S+) (\S+)", l)
        if mm:
            r[mm.group(1)] = float(mm.group(2))
        mm = re.match(r"# loadavg at start: (\S+)", l)
        if mm:
            r["load_start"] = float(mm.group(1))
    runs[name].append(r)
def med(name, key):
    v = [r[key] for r in runs[name] if key in r]
    return statistics.median(v) if v else float("nan")
def all_(name, key, fmt):
    return ", ".join(fmt.format(r[key]) if key in r else "n/a" for r in runs[name])
anchor = order[0]
print("| configuration | (a) records/s, median of runs (each run: median of its rounds) | vs " + anchor +
      " | (b) 10k/s p50 / p99 / p999 ms | (b) 100k/s p99 / p999 ms | (c) snapshot s | vs " + anchor + " | loadavg at start |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for n in order:
    a = med(n, "throughput.default.median"); c = med(n, "snapshot.default.median")
    print(f"| {n} | {a:,.0f} ({all_(n, 'throughput.default.median', '{:,.0f}')}) | {a / med(anchor, 'throughput.default.median'):.2f}x"
          f" | {med(n, 'latency.default.10000.p50'):.3f} / {med(n, 'latency.default.10000.p99'):.1f} / {med(n, 'latency.default.10000.p999'):.1f}"
          f" ({all_(n, 'latency.default.10000.p99', '{:.1f}')})"
          f" | {med(n, 'latency.default.100000.p99'):.0f} / {med(n, 'latency.default.100000.p999'):.0f}"
          f" | {c:.3f} ({all_(n, 'snapshot.default.median', '{:.3f}')}) | {c / med(anchor, 'snapshot.default.median'):.2f}x"
          f" | {all_(n, 'load_start', '{:.1f}')} |")
print(f"\nMedians over {max(len(v) for v in runs.values())} run(s) per configuration; parentheses: each run.")
PY
cat "$table"
echo "index: $index" >&2
