#!/usr/bin/env python3
"""API writes to two keyval zones, one without state= and one with, for bench/keyval/run.sh.

  writes.py PORT KEYS SECONDS NAME [SUFFIX]

Zones memSUFFIX and stateSUFFIX (SUFFIX defaults to KEYS), one keep-alive connection each, driven in alternating blocks of BLOCK
requests (the first zone of each block pair alternating too), so that a machine shared with other
work slows both alike and the ratio stays meaningful. fill: POST KEYS new keys (key000000..,
64-byte values) one per request, timed per zone as a whole and per tenth (so a rate that falls as
the zone fills shows); then patch: PATCH existing keys in random order for SECONDS. Every answer
must be 201 / 204. Prints "RESULT NAME.<mem|state>.<figure> value unit" lines.
"""
import http.client
import random
import sys
import time

BLOCK = 50
port, keys, seconds, name = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
suffix = sys.argv[5] if len(sys.argv) > 5 else str(keys)
kinds = ("mem", "state")
conns = {k: http.client.HTTPConnection("127.0.0.1", port) for k in kinds}
value = "v" * 64


def send(kind, method, body, expect):
    conn = conns[kind]
    conn.request(method, f"/api/9/http/keyvals/{kind}{suffix}", body=body,
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    if r.status != expect:
        sys.exit(f"ERROR: {name}: {kind} {method} {body[:60]} answered {r.status}, expected {expect}")


def result(kind, figure, v, unit):
    print(f"RESULT {name}.{kind}.{figure} {v} {unit}", flush=True)


def block_order(b):
    return kinds if b % 2 == 0 else kinds[::-1]


# fill
spent = {k: 0.0 for k in kinds}
tenth_spent = {k: [0.0] * 10 for k in kinds}
for b, first in enumerate(range(0, keys, BLOCK)):
    last = min(keys, first + BLOCK)
    for kind in block_order(b):
        t0 = time.perf_counter()
        for i in range(first, last):
            send(kind, "POST", '{"key%06d":"%s"}' % (i, value), 201)
        dt = time.perf_counter() - t0
        spent[kind] += dt
        tenth_spent[kind][min(9, first * 10 // keys)] += dt
for kind in kinds:
    result(kind, "fill_rps", f"{keys / spent[kind]:.1f}", "req/s")
    result(kind, "fill_first_tenth_rps", f"{keys / 10 / tenth_spent[kind][0]:.1f}", "req/s")
    result(kind, "fill_last_tenth_rps", f"{keys / 10 / tenth_spent[kind][9]:.1f}", "req/s")

# patch
rng = random.Random(1)
spent = {k: 0.0 for k in kinds}
done = {k: 0 for k in kinds}
deadline = time.perf_counter() + seconds
b = 0
while time.perf_counter() < deadline:
    for kind in block_order(b):
        t0 = time.perf_counter()
        for _ in range(BLOCK):
            send(kind, "PATCH", '{"key%06d":"%s%d"}' % (rng.randrange(keys), value[:60], done[kind] % 10000), 204)
            done[kind] += 1
        spent[kind] += time.perf_counter() - t0
    b += 1
for kind in kinds:
    result(kind, "patch_rps", f"{done[kind] / spent[kind]:.1f}", "req/s")
    result(kind, "patches", done[kind], "count")
