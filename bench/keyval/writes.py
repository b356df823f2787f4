#!/usr/bin/env python3
"""API writes to one keyval zone over one keep-alive connection, for bench/keyval/run.sh.

  writes.py PORT ZONE KEYS SECONDS NAME

fill: POST KEYS new keys (key000000.., 64-byte values) one per request, timed as a whole and in
tenths (so a rate that falls as the zone fills shows); then patch: PATCH existing keys in random
order for SECONDS. Every answer must be 201 / 204. Prints "RESULT NAME.<figure> value unit" lines.
"""
import http.client
import random
import sys
import time

port, zone, keys, seconds, name = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
path = f"/api/9/http/keyvals/{zone}"
value = "v" * 64
conn = http.client.HTTPConnection("127.0.0.1", port)


def send(method, body, expect):
    conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    if r.status != expect:
        sys.exit(f"ERROR: {name}: {method} {body[:60]} answered {r.status}, expected {expect}")


def result(figure, v, unit):
    print(f"RESULT {name}.{figure} {v} {unit}", flush=True)


tenth = max(1, keys // 10)
tenths = []
start = time.perf_counter()
mark = start
for i in range(keys):
    send("POST", '{"key%06d":"%s"}' % (i, value), 201)
    if (i + 1) % tenth == 0:
        now = time.perf_counter()
        tenths.append(tenth / (now - mark))
        mark = now
fill = keys / (time.perf_counter() - start)
result("fill_rps", f"{fill:.1f}", "req/s")
result("fill_first_tenth_rps", f"{tenths[0]:.1f}", "req/s")
result("fill_last_tenth_rps", f"{tenths[-1]:.1f}", "req/s")

rng = random.Random(1)
n = 0
start = time.perf_counter()
deadline = start + seconds
while True:
    send("PATCH", '{"key%06d":"%s%d"}' % (rng.randrange(keys), value[:60], n % 10000), 204)
    n += 1
    if n % 100 == 0 and time.perf_counter() >= deadline:
        break
result("patch_rps", f"{n / (time.perf_counter() - start):.1f}", "req/s")
result("patches", n, "count")
