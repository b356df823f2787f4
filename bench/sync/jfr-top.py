#!/usr/bin/env python3
"""Summarise a JFR recording: CPU samples per thread group, top self frames, inclusive time of
zonesync methods, and allocation samples by class and by allocating zonesync frame.
Usage: jfr-top.py FILE.jfr [N]"""
import collections, json, subprocess, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25

def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", kind, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

def fname(f):
    m = f["method"]
    return m["type"]["name"].replace("/", ".").split(".")[-1] + "." + m["name"]

def full(f):
    m = f["method"]
    return m["type"]["name"].replace("/", ".") + "." + m["name"]

def group(thread):
    name = (thread or {}).get("javaName") or (thread or {}).get("osName") or "?"
    return name.rsplit("-", 1)[0] if name.startswith("bench-") else name

ex = events("jdk.ExecutionSample")
print(f"CPU samples: {len(ex)}")
by_thread = collections.Counter(group(e["values"].get("sampledThread")) for e in ex)
for t, c in by_thread.most_common(8):
    print(f"  {c:6d} {100.0*c/len(ex):5.1f}%  {t}")
selfc = collections.Counter()
incl = collections.Counter()
for e in ex:
    frames = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    if not frames:
        continue
    selfc[fname(frames[0])] += 1
    seen = set()
    for f in frames:
        n = full(f)
        if n.startswith("io.zonesync") and n not in seen:
            seen.add(n)
            incl[n.replace("io.zonesync.", "")] += 1
print(f"\nTop self frames:")
for n, c in selfc.most_common(top):
    print(f"  {c:6d} {100.0*c/len(ex):5.1f}%  {n}")
print(f"\nInclusive, zonesync methods:")
for n, c in incl.most_common(top):
    print(f"  {c:6d} {100.0*c/len(ex):5.1f}%  {n}")

al = events("jdk.ObjectAllocationSample")
tot = sum(e["values"]["weight"] for e in al)
print(f"\nAllocation samples: {len(al)}, weight {tot/1e6:.1f} MB")
bycls = collections.Counter()
bysite = collections.Counter()
for e in al:
    v = e["values"]
    w = v["weight"]
    bycls[v["objectClass"]["name"].replace("/", ".")] += w
    frames = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    site = next((full(f).replace("io.zonesync.", "") for f in frames if full(f).startswith("io.zonesync")), "?")
    bysite[site] += w
for n, w in bycls.most_common(top):
    print(f"  {w/1e6:9.1f} MB {100.0*w/tot:5.1f}%  {n}")
print(f"\nAllocation by first zonesync frame:")
for n, w in bysite.most_common(top):
    print(f"  {w/1e6:9.1f} MB {100.0*w/tot:5.1f}%  {n}")
