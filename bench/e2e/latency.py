"""Propagation latency of paced writes: bench/e2e/run.sh and bench/scale/run.sh.

latency.py NAME SCHEDULE ARRIVALS... : SCHEDULE is PacedHttpLoad's "index due answered status" file,
each ARRIVALS file a node's ArrivalAgent dump ("index nanos"), named in the RESULT lines after
the directory it is in (node2/arrivals: node2). Prints RESULT lines: per node and
for "all" (a write counts when it has reached every node: the latest of its arrivals) the
nearest-rank p50/p99/p999/max in ms from each write's scheduled time, the writes missing on a
node, the API's answer time (due to answered), the rate the API actually took the writes at, and
"after_answer": arrival on every node minus the moment the writer read the API's answer (the
replication part alone, free of the API's queueing; below 0 when a peer applied the write before
the writer had read its answer).
"""
import math
import os
import sys


def pct(sorted_values, p):
    return sorted_values[max(0, math.ceil(p * len(sorted_values)) - 1)]


def report(name, values):
    values.sort()
    if not values:
        print(f"RESULT {name}.count 0 writes")
        return
    for label, p in (("p50", 0.5), ("p99", 0.99), ("p999", 0.999)):
        print(f"RESULT {name}.{label} {pct(values, p) / 1e6:.3f} ms")
    print(f"RESULT {name}.max {values[-1] / 1e6:.3f} ms")
    print(f"RESULT {name}.count {len(values)} writes")


def main():
    name, schedule, arrival_files = sys.argv[1], sys.argv[2], sys.argv[3:]
    due, answered, answer_at = {}, [], {}
    for line in open(schedule):
        i, d, a, s = line.split()
        due[int(i)] = int(d)
        answer_at[int(i)] = int(a)
        answered.append(int(a) - int(d))
    span = (max(answer_at.values()) - min(due.values())) / 1e9
    print(f"RESULT {name}.api_taken_rps {len(due) / span:.0f} writes/s")
    arrivals = []
    for f in arrival_files:
        a = {}
        for line in open(f):
            i, t = line.split()
            if int(i) in due:
                a[int(i)] = int(t)
        arrivals.append(a)
    report(f"{name}.api_answer", answered)
    latest = {}
    for f, a in zip(arrival_files, arrivals):
        node = os.path.basename(os.path.dirname(os.path.abspath(f)))
        print(f"RESULT {name}.{node}.missing {len(due) - len(a)} writes")
        report(f"{name}.{node}", [a[i] - due[i] for i in a])
        for i, t in a.items():
            latest[i] = max(latest.get(i, 0), t)
    every = [latest[i] - due[i] for i in due if all(i in a for a in arrivals)]
    print(f"RESULT {name}.all.missing {len(due) - len(every)} writes")
    report(f"{name}.all", every)
    report(f"{name}.after_answer", [latest[i] - answer_at[i] for i in due if all(i in a for a in arrivals)])


main()
