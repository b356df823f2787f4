#!/usr/bin/env python3
"""HAProxy peers, driven like the zonesync benchmark: two haproxy processes on loopback with a
`peers` section and a string stick-table (key len 32, store gpc0).

 (a) both running and connected; N `set table ... key K data.gpc0 1` commands go into the first
     over one runtime API connection (interactive mode, pipelined); the clock runs from the first
     command sent until the second's `show table` reports N entries (polled every 20 ms).
 (c) the second is stopped and started again empty; the clock runs from spawning the process
     until its `show table` reports N entries (resync from the running peer).

Keys are the zonesync benchmark's 16-byte keys ("k" + 15 digits). HAProxy stores an int counter,
not a 32-byte value, so its records are smaller than zonesync's.
Environment: KEYS (default 1000000). Prints RESULT lines like the Java benchmarks.
"""
import os, re, shutil, socket, subprocess, sys, tempfile, threading, time

N = int(os.environ.get("KEYS", "1000000").replace("_", ""))
HAPROXY = os.environ.get("HAPROXY", shutil.which("haproxy") or "/usr/sbin/haproxy")
TABLE = "st"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_conf(d, name, peers, size):
    """Process NAME's configuration in D: a runtime API socket, and the stick-table shared with PEERS,
    a list of (name, "address:port") that includes NAME itself."""
    sock = os.path.join(d, name + ".sock")
    lines = "\n".join(f"    peer {peer} {address}" for peer, address in peers)
    conf = f"""global
    stats socket {sock} mode 600 level admin
    stats timeout 10m
defaults
    mode tcp
    timeout connect 1s
    timeout client 1m
    timeout server 1m
peers cluster
{lines}
backend {TABLE}
    stick-table type string len 32 size {size} expire 1h store gpc0 peers cluster
"""
    path = os.path.join(d, name + ".cfg")
    with open(path, "w") as f:
        f.write(conf)
    return path, sock


def start(cfg, name, logdir):
    log = open(os.path.join(logdir, name + ".log"), "ab")
    return subprocess.Popen([HAPROXY, "-db", "-f", cfg, "-L", name], stdout=log, stderr=log)


def cli(sock, command, timeout=10.0):
    """One non-interactive runtime API command; returns the answer, or None if the socket is not up."""
    try:
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        s.connect(sock)
    except OSError:
        return None
    with s:
        s.sendall(command.encode() + b"\n")
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    return b"".join(chunks).decode(errors="replace")


def used(sock):
    out = cli(sock, "show table")
    if not out:
        return -1
    m = re.search(r"table: " + TABLE + r",.*?used:(\d+)", out)
    return int(m.group(1)) if m else -1


def wait_used(sock, n, t0, limit=300.0):
    while True:
        u = used(sock)
        if u >= n:
            return time.monotonic() - t0
        if time.monotonic() - t0 > limit:
            raise SystemExit(f"haproxy: only {u} of {n} entries after {limit} s")
        time.sleep(0.02)


def wait_socket(sock, limit=10.0):
    t0 = time.monotonic()
    while used(sock) < 0:
        if time.monotonic() - t0 > limit:
            raise SystemExit("haproxy did not open its stats socket " + sock)
        time.sleep(0.01)


def stop_all(procs):
    """Asks every haproxy process to stop, then kills those that have not within 10 s."""
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def peers_connected(sock):
    out = cli(sock, "show peers") or ""
    return "last_status=ESTA" in out


def load(sock, n):
    """Sends n set-table commands over one connection, pipelined; returns (t_first_sent, t_all_answered)."""
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.settimeout(120)

    def writer():
        s.sendall(b"prompt\n")
        batch = []
        for i in range(n):
            batch.append(f"set table {TABLE} key k{i:015d} data.gpc0 1\n")
            if len(batch) == 4096:
                s.sendall("".join(batch).encode())
                batch = []
        if batch:
            s.sendall("".join(batch).encode())
        s.sendall(b"quit\n")

    t0 = time.monotonic()
    w = threading.Thread(target=writer)
    w.start()
    prompts = 0
    tail = b""
    while True:
        b = s.recv(1 << 20)
        if not b:
            break
        data = tail + b
        prompts += data.count(b"> ")
        tail = data[-1:]
    w.join()
    s.close()
    return t0, time.monotonic()


def main():
    d = tempfile.mkdtemp(prefix="hap-bench-")
    p1, p2 = free_port(), free_port()
    peers = [("hap1", f"127.0.0.1:{p1}"), ("hap2", f"127.0.0.1:{p2}")]
    size = max(2 * 1024 * 1024, 2 * N)
    cfg1, sock1 = write_conf(d, "hap1", peers, size)
    cfg2, sock2 = write_conf(d, "hap2", peers, size)
    procs = []
    try:
        h1 = start(cfg1, "hap1", d)
        procs.append(h1)
        h2 = start(cfg2, "hap2", d)
        procs.append(h2)
        wait_socket(sock1)
        wait_socket(sock2)
        t = time.monotonic()
        while not (peers_connected(sock1) and peers_connected(sock2)):
            if time.monotonic() - t > 10:
                raise SystemExit("haproxy peers did not connect; logs in " + d)
            time.sleep(0.02)
        # (a) propagation of N set commands to the running second peer
        t0 = time.monotonic()
        done = {}
        th = threading.Thread(target=lambda: done.update(t=wait_used(sock2, N, t0)))
        th.start()
        _, loaded = load(sock1, N)
        th.join()
        load_s = loaded - t0
        prop_s = done["t"]
        u1 = used(sock1)
        print(f"haproxy (a): {N} set commands into hap1 over its runtime API in {load_s:.3f} s"
              f" ({N / load_s:.0f}/s); hap2 held all {N} after {prop_s:.3f} s = {N / prop_s:.0f} records/s;"
              f" hap1 holds {u1}; loadavg {open('/proc/loadavg').read().strip()}")
        print(f"RESULT haproxy.throughput {N / prop_s:.3f} records/s")
        print(f"RESULT haproxy.cli_load_rate {N / load_s:.3f} commands/s")
        # (c) the second peer restarts empty and resyncs from the first
        h2.terminate()
        h2.wait(10)
        procs.remove(h2)
        os.unlink(sock2) if os.path.exists(sock2) else None
        time.sleep(0.5)
        t0 = time.monotonic()
        h2 = start(cfg2, "hap2", d)
        procs.append(h2)
        secs = wait_used(sock2, N, t0)
        print(f"haproxy (c): a restarted empty peer held all {N} entries {secs:.3f} s after the process was"
              f" spawned; loadavg {open('/proc/loadavg').read().strip()}")
        print(f"RESULT haproxy.snapshot {secs:.3f} s")
    finally:
        stop_all(procs)
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
