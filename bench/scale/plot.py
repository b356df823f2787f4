"""bench/scale/run.sh's table and plot: plot.py LOG TABLE SVG (python3, standard library only).

Reads the log's "PER nN nodeI heapKiB rssKiB threads fds", "HAPER nN nodeI rssKiB threads fds" (the
HAProxy anchor, bench/scale/haproxy.py) and "RESULT" lines; writes markdown tables and an SVG with
one panel per figure against the cluster size N, HAProxy's beside zonesync's where it was run.
"""
import re
import statistics
import sys

log, table_path, svg_path = sys.argv[1:4]
per, extra, r, hap = {}, {}, {}, {}
for line in open(log):
    m = re.match(r"HAPER n(\d+)(\w*) node(\d+) (\d+) (\d+) (\d+)$", line.strip())
    if m:
        hap.setdefault((int(m.group(1)), m.group(2)), []).append([int(x) for x in m.group(4, 5, 6)])
    m = re.match(r"PER n(\d+)(\w*) node(\d+) (\d+) (\d+) (\d+) (\d+)$", line.strip())
    if m:
        row = [int(x) for x in m.group(4, 5, 6, 7)]
        if m.group(2):  # n32full: every node holding the join records; n32joined: the node that joined
            extra.setdefault(m.group(1) + " " + m.group(2), []).append(row)
        else:
            per.setdefault(int(m.group(1)), []).append(row)
    m = re.match(r"RESULT (\S+) (\S+)", line)
    if m:
        r[m.group(1)] = float(m.group(2))
sizes = sorted(per)
fig = {}
for n in sizes:
    rows = per[n]
    col = lambda k: [row[k] for row in rows]
    fig[n] = {
        "heap_med": statistics.median(col(0)) / 1024, "heap_max": max(col(0)) / 1024,
        "rss_med": statistics.median(col(1)) / 1024, "rss_max": max(col(1)) / 1024,
        "rss_total": sum(col(1)) / 1048576,
        "threads_med": statistics.median(col(2)), "threads_max": max(col(2)),
        "fds_med": statistics.median(col(3)), "fds_max": max(col(3)),
        "prop_p50": r.get(f"n{n}.prop.all.p50", float("nan")),
        "prop_p99": r.get(f"n{n}.prop.all.p99", float("nan")),
        "prop_max": r.get(f"n{n}.prop.all.max", float("nan")),
        "mesh": r.get(f"n{n}.mesh_s", float("nan")),
    }
    h = hap.get((n, ""))
    hcol = (lambda k: [row[k] for row in h]) if h else (lambda k: [float("nan")])
    fig[n].update({
        "hap_rss_med": statistics.median(hcol(0)) / 1024, "hap_threads_med": statistics.median(hcol(1)),
        "hap_fds_med": statistics.median(hcol(2)),
        "hap_prop_p50": r.get(f"hap.n{n}.prop.all.p50", float("nan")),
        "hap_prop_max": r.get(f"hap.n{n}.prop.all.max", float("nan")),
        "hap_turn": r.get(f"hap.n{n}.prop.turn_ms", float("nan")),
        "hap_mesh": r.get(f"hap.n{n}.mesh_s", float("nan")),
    })
with open(table_path, "w") as t:
    t.write("| nodes | heap used per node after GC, MiB median / max | RSS per node, MiB median / max | RSS of all nodes, GiB |"
            " threads per node, median / max | fds per node, median / max | one write to every node, ms: median / p99 / max"
            " of the writes | start to full mesh, s |\n")
    t.write("| ---: | --- | --- | ---: | --- | --- | --- | ---: |\n")
    for n in sizes:
        f = fig[n]
        t.write(f"| {n} | {f['heap_med']:.1f} / {f['heap_max']:.1f} | {f['rss_med']:.0f} / {f['rss_max']:.0f} | {f['rss_total']:.2f} |"
                f" {f['threads_med']:.0f} / {f['threads_max']:.0f} | {f['fds_med']:.0f} / {f['fds_max']:.0f} |"
                f" {f['prop_p50']:.2f} / {f['prop_p99']:.2f} / {f['prop_max']:.2f} | {f['mesh']:.1f} |\n")
    if hap:
        t.write("\n| nodes | HAProxy in the same run: RSS per process, MiB median | threads per process |"
                " fds per process | one write to every process, ms: median / max (resolution: one turn of asking) |"
                " start to full mesh, s |\n| ---: | ---: | ---: | ---: | --- | ---: |\n")
        for n in sizes:
            f = fig[n]
            t.write(f"| {n} | {f['hap_rss_med']:.0f} | {f['hap_threads_med']:.0f} | {f['hap_fds_med']:.0f} |"
                    f" {f['hap_prop_p50']:.2f} / {f['hap_prop_max']:.2f} ({f['hap_turn']:.2f}) | {f['hap_mesh']:.1f} |\n")
    if "join.whole_s" in r:
        t.write("\n| join of an empty node | zonesync, s | HAProxy in the same run, s |\n| --- | ---: | ---: |\n")
        for k, hk, label in (("join.fill_s", "hap.join.fill_s", "filling the cluster: writes to node 1 until every node holds every record"),
                             ("join.api_up_s", None, "joining node: spawn to API answering (JVM start)"),
                             ("join.first_record_s", None, "joining node: spawn to first record"),
                             ("join.whole_s", "hap.join.whole_s", "**joining node: spawn to holding every record**"),
                             ("join.transfer_s", None, "joining node: first record to every record")):
            other = f"{r[hk]:.2f}" if hk in r else "-"
            t.write(f"| {label} | {r.get(k, float('nan')):.2f} | {other} |\n")

    if extra:
        states = {"full": "every node holding the join records", "joined": "the node that joined, once whole"}
        t.write("\n| nodes, state | heap used after GC, MiB median / max | RSS, MiB median / max | threads | fds |\n"
                "| --- | --- | --- | --- | --- |\n")
        for label, rows in extra.items():
            c = lambda k: [row[k] for row in rows]
            n, state = label.split()
            t.write(f"| {n}, {states[state]} |"
                    f" {statistics.median(c(0)) / 1024:.1f} / {max(c(0)) / 1024:.1f} |"
                    f" {statistics.median(c(1)) / 1024:.0f} / {max(c(1)) / 1024:.0f} |"
                    f" {statistics.median(c(2)):.0f} | {statistics.median(c(3)):.0f} |\n")
        for (n, state), rows in hap.items():
            if state:  # HAProxy's processes in the same states: no heap to report
                c = lambda k: [row[k] for row in rows]
                t.write(f"| {n}, HAProxy, {states[state]} | - |"
                        f" {statistics.median(c(0)) / 1024:.0f} / {max(c(0)) / 1024:.0f} |"
                        f" {statistics.median(c(1)):.0f} | {statistics.median(c(2)):.0f} |\n")

# --- the plot: one panel per figure, N on a log2 axis
panels = [
    ("heap used per node after GC, MiB", [("median", "heap_med"), ("max", "heap_max")]),
    ("RSS per node, MiB", [("median", "rss_med"), ("max", "rss_max"), ("HAProxy", "hap_rss_med")]),
    ("threads per node", [("median", "threads_med"), ("max", "threads_max"), ("HAProxy", "hap_threads_med")]),
    ("file descriptors per node", [("median", "fds_med"), ("max", "fds_max"), ("HAProxy", "hap_fds_med")]),
    ("one write to every node, ms", [("median", "prop_p50"), ("p99", "prop_p99"), ("HAProxy", "hap_prop_p50")]),
    ("start to full mesh, s", [("", "mesh"), ("HAProxy", "hap_mesh")]),
]
W, H, cols = 330, 230, 3
rows = (len(panels) + cols - 1) // cols
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W * cols}" height="{H * rows + 30}" '
       f'font-family="sans-serif" font-size="11">',
       f'<rect width="100%" height="100%" fill="white"/>',
       f'<text x="10" y="18" font-size="13">zonesync cluster size N (nodes, one process each) against per-node figures; '
       f'bench/scale/run.sh (HAProxy: its peers, same N, same run)</text>']
colors = ["#1f77b4", "#d62728", "#2ca02c"]
import math
for p, (title, series) in enumerate(panels):
    ox, oy = (p % cols) * W, 30 + (p // cols) * H
    x0, y0, pw, ph = ox + 50, oy + 30, W - 80, H - 75
    vals = [fig[n][k] for _, k in series for n in sizes if not math.isnan(fig[n][k])]
    top = max(vals) * 1.15 if vals and max(vals) > 0 else 1
    out.append(f'<text x="{ox + 10}" y="{oy + 16}" font-weight="bold">{title}</text>')
    out.append(f'<line x1="{x0}" y1="{y0 + ph}" x2="{x0 + pw}" y2="{y0 + ph}" stroke="black"/>')
    out.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y0 + ph}" stroke="black"/>')
    lo, hi = math.log2(min(sizes)), math.log2(max(sizes)) if len(sizes) > 1 else math.log2(min(sizes)) + 1
    px = lambda n: x0 + 10 + (pw - 20) * ((math.log2(n) - lo) / ((hi - lo) or 1))
    py = lambda v: y0 + ph - ph * v / top
    for n in sizes:
        out.append(f'<text x="{px(n):.1f}" y="{y0 + ph + 14}" text-anchor="middle">{n}</text>')
    out.append(f'<text x="{x0 + pw / 2}" y="{y0 + ph + 28}" text-anchor="middle">N (log2 scale)</text>')
    for k in range(5):
        v = top * k / 4
        out.append(f'<text x="{x0 - 4}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.3g}</text>')
        out.append(f'<line x1="{x0}" y1="{py(v):.1f}" x2="{x0 + pw}" y2="{py(v):.1f}" stroke="#ddd"/>')
    for s, (label, key) in enumerate(series):
        pts = [(px(n), py(fig[n][key]), n) for n in sizes if not math.isnan(fig[n][key])]
        if not pts:
            continue
        out.append('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
            colors[s], " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in pts)))
        for x, y, n in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colors[s]}"/>')
            out.append(f'<text x="{x + 4:.1f}" y="{y - 5:.1f}" fill="{colors[s]}">{fig[n][key]:.3g}</text>')
        if label:
            out.append(f'<text x="{x0 + pw - 60}" y="{y0 + 10 + 13 * s}" fill="{colors[s]}">{label}</text>')
out.append("</svg>")
open(svg_path, "w").write("\n".join(out) + "\n")
