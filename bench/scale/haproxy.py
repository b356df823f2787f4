#!/usr/bin/env python3
"""The HAProxy anchor of bench/scale/run.sh: the same cluster size, the same figures, with HAProxy's peers.

    haproxy.py N JOIN_KEYS DIR ADDR_PREFIX WRITES WARMUP

N haproxy processes, process I on ADDR_PREFIX.I (127.0.1.I, as the zonesync nodes), all on one
port, every one listing every other in one `peers` section (HAProxy's peers are a full mesh too),
each with a string stick-table (key len 32, store gpc0) and a runtime API socket in DIR.
- propagation: WARMUP keys set on process 1 one after another (not counted, as the zonesync nodes'
  warm-up writes), then WRITES keys set on process 1 (`set table`), 250 ms apart; each is timed from the
  command's send until every other process's `show table ... key` finds it. The others are all
  asked at once over one open runtime API connection each, then their answers read, again and
  again with a 0.2 ms pause between turns (asked without a pause, HAProxy held its own peer updates
  back by up to 1.3 s); the figure is late by up to one turn, whose median is printed beside it;
- per process: RSS, threads (/proc/PID/status) and file descriptors (/proc/PID/fd);
- if JOIN_KEYS > 0: JOIN_KEYS keys set on process 1 (pipelined over one runtime API connection), timed
  until every process holds them all; then process N is stopped and started again empty, and timed
  from its spawn until it holds them all. HAProxy has a restarted process learn the whole table
  from one peer, not from every peer.
Prints "HAPER nN nodeI rssKiB threads fds" and "RESULT hap.*" lines for plot.py.
"""
import os, socket, statistics, sys, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sync"))
import haproxy_peers as hp  # noqa: E402 (write_conf, cli, used, wait_used, load, start, stop_all)


class Asker:
    """One runtime API connection in interactive mode, kept open to ask for one key again and again."""

    def __init__(self, sock):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(10)
        self.s.connect(sock)
        self.s.sendall(b"prompt\n")
        self._until_prompt()

    def _until_prompt(self):
        data = b""
        while not data.endswith(b"\n> "):
            b = self.s.recv(65536)
            if not b:
                raise SystemExit("haproxy closed its runtime API connection")
            data += b
        return data

    def ask(self, key):
        self.s.sendall(f"show table {hp.TABLE} key {key}\n".encode())

    def answer_has(self, key):
        return f"key={key} ".encode() in self._until_prompt()


def rss_threads_fds(pid):
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return int(status["VmRSS"].split()[0]), int(status["Threads"]), len(os.listdir(f"/proc/{pid}/fd"))


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def main():
    n, join_keys, d, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    writes, warmup = int(sys.argv[5]), int(sys.argv[6])
    os.makedirs(d, exist_ok=True)
    with socket.socket() as s:
        s.bind((f"{prefix}.1", 0))
        port = s.getsockname()[1]
    size = max(2 * 1024 * 1024, 2 * join_keys)
    peers = [(f"hap{j}", f"{prefix}.{j}:{port}") for j in range(1, n + 1)]
    cfgs = [hp.write_conf(d, f"hap{i}", peers, size) for i in range(1, n + 1)]
    procs = []
    try:
        t0 = time.monotonic()
        for i, (cfg, _) in enumerate(cfgs, 1):
            procs.append(hp.start(cfg, f"hap{i}", d))
        for _, sock in cfgs:
            while hp.used(sock) < 0:
                if time.monotonic() - t0 > 60:
                    raise SystemExit(f"haproxy did not open {sock}; logs in {d}")
                time.sleep(0.05)
        while not all((hp.cli(sock, "show peers") or "").count("last_status=ESTA") >= n - 1 for _, sock in cfgs):
            if time.monotonic() - t0 > 120:
                raise SystemExit(f"haproxy peers did not all connect; logs in {d}")
            time.sleep(0.1)
        print(f"RESULT hap.n{n}.mesh_s {time.monotonic() - t0:.2f} s (every process connected to every peer)")

        askers = [Asker(sock) for _, sock in cfgs[1:]]
        writer = Asker(cfgs[0][1])
        lat, turns = [], []

        def timed_writes(prefix, count, gap):
            for w in range(count):
                key = f"{prefix}{w}"
                due = time.monotonic()
                writer.s.sendall(f"set table {hp.TABLE} key {key} data.gpc0 1\n".encode())
                writer._until_prompt()
                missing = set(range(len(askers)))
                while missing:
                    turn = time.monotonic()
                    for a in missing:  # all asked first, then all answers read: a turn is one round trip
                        askers[a].ask(key)
                    missing = {a for a in missing if not askers[a].answer_has(key)}
                    turns.append(time.monotonic() - turn)
                    time.sleep(0.0002)
                    if time.monotonic() - due > 10:
                        raise SystemExit(f"haproxy: {key} never reached {len(missing)} peers")
                lat.append((time.monotonic() - due) * 1000)
                time.sleep(max(0.0, gap - (time.monotonic() - due)))
        timed_writes("x", warmup, 0.005)  # as the zonesync nodes are warmed up: not counted
        lat.clear(); turns.clear()
        timed_writes("w", writes, 0.25)
        print(f"# haproxy, one write to every process, ms: {' '.join(f'{x:.1f}' for x in lat)}")
        print(f"RESULT hap.n{n}.prop.all.p50 {statistics.median(lat):.3f} ms (one write to every process, median of {writes})")
        print(f"RESULT hap.n{n}.prop.all.p99 {pct(lat, 0.99):.3f} ms")
        print(f"RESULT hap.n{n}.prop.all.max {max(lat):.3f} ms")
        print(f"RESULT hap.n{n}.prop.turn_ms {statistics.median(turns) * 1000:.3f} ms (one turn of asking every peer: the resolution)")
        for a in askers + [writer]:
            a.s.close()

        def resources(label):
            for i, p in enumerate(procs, 1):
                rss, threads, fds = rss_threads_fds(p.pid)
                print(f"HAPER n{n}{label} node{i} {rss} {threads} {fds}")
        resources("")

        if join_keys > 0:
            t0 = time.monotonic()
            hp.load(cfgs[0][1], join_keys)
            for _, sock in cfgs[1:]:
                hp.wait_used(sock, join_keys + writes + warmup, t0, limit=1800)
            print(f"RESULT hap.join.fill_s {time.monotonic() - t0:.2f} s (set on process 1 until every process holds them all)")
            resources("full")
            last = procs.pop()
            last.terminate()
            last.wait(10)
            cfg, sock = cfgs[-1]
            if os.path.exists(sock):
                os.unlink(sock)
            time.sleep(2)
            t0 = time.monotonic()
            procs.append(hp.start(cfg, f"hap{n}", d))
            secs = hp.wait_used(sock, join_keys + writes + warmup, t0, limit=1800)
            print(f"RESULT hap.join.whole_s {secs:.3f} s (spawn to holding all {join_keys})")
            rss, threads, fds = rss_threads_fds(procs[-1].pid)
            print(f"HAPER n{n}joined node{n} {rss} {threads} {fds}")
    finally:
        hp.stop_all(procs)


if __name__ == "__main__":
    main()
