#!/usr/bin/env python3
"""HAProxy's anchor for part (b) of bench/sync/run.sh: propagation latency at a paced write rate.

Two haproxy processes on loopback with a `peers` section (haproxy_peers.py's configuration). A writer
process sends `set table` commands for new keys into the first over one runtime API connection,
paced at RATE per second, and notes when it sent each; an observer process asks the second for its
table's entry count (`show table`, over one open connection, again and again) and notes when the
count moved. HAProxy's runtime API cannot say when one key arrived, but the keys are new and a peer
sends its updates in the order they were made, so the i-th key has arrived once the second holds
i more entries than before: its latency is the first time the count reached i minus the time it
was due (its place in the schedule, as SyncLatencyBench measures zonesync, so an API that falls
behind is charged) and, separately, minus the time its command's send began. Either figure is late
by up to one observation turn, whose median is printed beside it.

Environment: RATES (default "10000,100000"), DURATION (s measured, default 10), WARMUP_DURATION
(s sent first and not counted, default 3). The writer sends every command whose slot has come in
one go, so it keeps any rate the socket takes; HAProxy's runtime API runs about 55k commands/s on
this machine, so at a higher rate the commands queue in front of it and the latency from the
schedule grows with the run: that queue is the API's, not the peers'. Prints RESULT lines.
"""
import multiprocessing as mp
import os, re, socket, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import haproxy_peers as hp  # noqa: E402

COUNT = re.compile(rb"used:(\d+)")


def interactive(sock):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(sock)
    s.sendall(b"prompt\n")
    data = b""
    while not data.endswith(b"> "):
        data += s.recv(65536)
    return s


def drain(s):
    try:
        s.recv(1 << 20)
    except BlockingIOError:
        pass


def writer(sock, rate, total, prefix, sent_path, start_at):
    """Sends `total` new keys at `rate`/s from `start_at` (monotonic); writes when each one's send began."""
    s = interactive(sock)
    s.setblocking(False)
    sent = [0.0] * total
    i = 0
    while i < total:
        now = time.monotonic()
        due = min(total, int((now - start_at) * rate) + 1)  # keys whose slot has come
        if due <= i:
            drain(s)  # the prompts, while waiting, so the socket never backs up
            continue
        # every key due goes in one send: a writer that fell behind catches up as a real client would
        pending = "".join(f"set table {hp.TABLE} key {prefix}{k:012d} data.gpc0 1\n" for k in range(i, due)).encode()
        for k in range(i, due):
            sent[k] = now
        while pending:
            try:
                n = s.send(pending)
                pending = pending[n:]
            except BlockingIOError:
                drain(s)
        i = due
    with open(sent_path, "w") as f:
        f.write("\n".join(f"{t:.9f}" for t in sent))
    s.setblocking(True)
    s.sendall(b"quit\n")
    while s.recv(1 << 20):  # until HAProxy has run every command and closed: closing first would drop the rest
        pass


def observer(sock, target, seen_path, limit):
    """Asks for the entry count until it reaches `target`; writes (time, count) at every change."""
    s = interactive(sock)
    seen = []
    turns = []
    last = -1
    t_end = time.monotonic() + limit
    while last < target and time.monotonic() < t_end:
        t_ask = time.monotonic()
        s.sendall(b"show table\n")
        data = b""
        while not data.endswith(b"> "):
            data += s.recv(65536)
        t = time.monotonic()
        turns.append(t - t_ask)
        m = COUNT.search(data)
        if m and int(m.group(1)) != last:
            last = int(m.group(1))
            seen.append((t, last))
    with open(seen_path, "w") as f:
        f.write("\n".join(f"{t:.9f} {c}" for t, c in seen))
        f.write("\nturn_median %.9f\n" % sorted(turns)[len(turns) // 2])


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def measure(sock1, sock2, rate, duration, warmup, d, label):
    total = int(rate * (duration + warmup))
    base = hp.used(sock2)
    start_at = time.monotonic() + 0.5
    sent_path, seen_path = os.path.join(d, f"sent-{label}"), os.path.join(d, f"seen-{label}")
    w = mp.Process(target=writer, args=(sock1, rate, total, f"r{label}-", sent_path, start_at))
    o = mp.Process(target=observer, args=(sock2, base + total, seen_path, duration + warmup + 120))
    o.start()
    w.start()
    w.join()
    o.join()
    held_by_first = hp.used(sock1) - base
    sent = [float(x) for x in open(sent_path).read().split()]
    seen, turn = [], 0.0
    for line in open(seen_path):
        parts = line.split()
        if parts[0] == "turn_median":
            turn = float(parts[1])
        else:
            seen.append((float(parts[0]), int(parts[1]) - base))
    taken = total / (sent[-1] - sent[0]) if total > 1 else 0
    first = int(rate * warmup)
    from_schedule, from_call, j, missing = [], [], 0, 0
    for i in range(total):
        while j < len(seen) and seen[j][1] < i + 1:
            j += 1
        if j == len(seen):
            missing = total - i
            break
        if i >= first:
            from_schedule.append((seen[j][0] - (start_at + i / rate)) * 1000)
            from_call.append((seen[j][0] - sent[i]) * 1000)
    return taken, from_schedule, from_call, missing, turn, held_by_first


def main():
    rates = [int(r) for r in os.environ.get("RATES", "10000,100000").split(",")]
    duration = float(os.environ.get("DURATION", "10"))
    warmup = float(os.environ.get("WARMUP_DURATION", "3"))
    d = tempfile.mkdtemp(prefix="hap-latency-")
    p1, p2 = hp.free_port(), hp.free_port()
    peers = [("hap1", f"127.0.0.1:{p1}"), ("hap2", f"127.0.0.1:{p2}")]
    size = 4 * 1024 * 1024
    cfg1, sock1 = hp.write_conf(d, "hap1", peers, size)
    cfg2, sock2 = hp.write_conf(d, "hap2", peers, size)
    procs = []
    try:
        procs.append(hp.start(cfg1, "hap1", d))
        procs.append(hp.start(cfg2, "hap2", d))
        hp.wait_socket(sock1)
        hp.wait_socket(sock2)
        t = time.monotonic()
        while not (hp.peers_connected(sock1) and hp.peers_connected(sock2)):
            if time.monotonic() - t > 10:
                raise SystemExit("haproxy peers did not connect; logs in " + d)
            time.sleep(0.02)
        for i, rate in enumerate(rates):
            taken, lat, call, missing, turn, held = measure(sock1, sock2, rate, duration, warmup, d, str(i))
            if not lat:
                print(f"haproxy (b) at {rate}/s: nothing arrived ({missing} missing)")
                continue
            print(f"haproxy (b) at {rate}/s: the writer sent {taken:.0f} commands/s; {len(lat)} writes,"
                  f" {missing} missing (the first process holds {held} of the {int(rate * (duration + warmup))} sent);"
                  f" one observation turn {turn * 1000:.3f} ms (median);"
                  f" loadavg {open('/proc/loadavg').read().strip()}")
            for label, v in (("from schedule", lat), ("from call", call)):
                print(f"  {label + ':':<15}p50 {pct(v, .5):.3f}  p99 {pct(v, .99):.3f}  p999 {pct(v, .999):.3f}"
                      f"  max {max(v):.3f} ms")
            for name, q in (("p50", .5), ("p99", .99), ("p999", .999)):
                print(f"RESULT haproxy.latency.{rate}.{name} {pct(lat, q):.3f} ms")
                print(f"RESULT haproxy.latency.{rate}.call.{name} {pct(call, q):.3f} ms")
            print(f"RESULT haproxy.latency.{rate}.sent_rate {taken:.3f} commands/s")
    finally:
        hp.stop_all(procs)


if __name__ == "__main__":
    main()
