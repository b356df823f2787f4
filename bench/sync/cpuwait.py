#!/usr/bin/env python3
"""Per-thread CPU time and time spent waiting for a CPU, of a benchmark JVM, from the kernel's schedstat.

    python3 bench/sync/cpuwait.py CLASS &   # then start the benchmark, e.g. ONLY=b RATES=10000 bench/sync/run.sh

Waits for a java process whose command line names CLASS (e.g. SyncLatencyBench), reads
/proc/PID/task/*/schedstat (CPU time, time runnable but not running, timeslices) and the involuntary
context switches every 0.5 s until the process exits, and prints the difference between the
snapshot a third of the way in and the last one, threads sorted by the time they waited for a CPU.
A thread that waits long for a CPU while it has work (an event loop) delays whatever it carries.
"""
import os, sys, time


def find(cls):
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if cls in open(f"/proc/{p}/cmdline").read() and open(f"/proc/{p}/comm").read().strip() == "java":
                    return p
            except OSError:
                pass
    return None


def snap(pid):
    r = {}
    for t in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{t}/comm").read().strip()
            run, wait, slices = map(int, open(f"/proc/{pid}/task/{t}/schedstat").read().split())
            status = dict(l.split(":\t") for l in open(f"/proc/{pid}/task/{t}/status").read().splitlines() if "ctxt" in l)
            r[t] = (name, run, wait, slices, int(status["nonvoluntary_ctxt_switches"]))
        except (OSError, ValueError, KeyError):
            pass
    return r


def main():
    pid = None
    while not pid:
        pid = find(sys.argv[1])
        time.sleep(0.1)
    snaps = []
    try:
        while True:
            s = snap(pid)
            if not s:
                break
            snaps.append((time.time(), s))
            time.sleep(0.5)
    except OSError:
        pass
    if len(snaps) < 4:
        raise SystemExit("the process ended too soon to measure")
    (t0, a), (t1, b) = snaps[len(snaps) // 3], snaps[-2]
    rows = sorted(((b[t][2] - a[t][2], b[t][0], b[t][1] - a[t][1], b[t][3] - a[t][3], b[t][4] - a[t][4])
                   for t in b if t in a), reverse=True)
    print(f"java pid {pid}, over {t1 - t0:.1f} s: thread, CPU ms, waited for a CPU ms, timeslices, involuntary switches")
    for wait, name, run, slices, involuntary in rows[:12]:
        print(f"{name:20s} cpu {run / 1e6:8.1f}  waited {wait / 1e6:8.1f}  slices {slices:6d}  involuntary {involuntary}")


if __name__ == "__main__":
    main()
