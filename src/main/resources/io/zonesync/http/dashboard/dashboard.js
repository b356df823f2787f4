// The zonesync dashboard: every second, reads the node's API (its URI is the body's data-api,
// from the dashboard directive), fills the tables and adds a point to the charts, which keep the
// last five minutes. Only the endpoints the API lists (at its top, under /http/ and /stream/) are read.
"use strict";

const API = document.body.dataset.api;
const HISTORY = 300;             // points kept per chart: five minutes at one a second
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

let previous = null;             // the last sample, for rates
const charts = {};               // chart id -> {plot, labels, data}

async function getJson(path) {
  const response = await fetch(API + path, {cache: "no-store"});
  if (!response.ok) {
    throw new Error(API + path + " answered " + response.status);
  }
  return response.json();
}

// Reads everything the API has that the page shows; absent parts are null.
async function sample() {
  const [nginx, top, http, stream] = await Promise.all([getJson("/nginx"), getJson("/"), getJson("/http/"),
    getJson("/stream/")]);
  const has = (list, name) => Array.isArray(list) && list.includes(name);
  const [zoneSync, nodes, zoneSizes, limitReqs, httpUpstreams, streamUpstreams, serverZones, streamZones, ssl,
    resolvers, workers] = await Promise.all([
    has(stream, "zone_sync") ? getJson("/stream/zone_sync/") : null,
    has(stream, "zone_sync") ? getJson("/stream/zone_sync/nodes") : null,
    has(stream, "zone_sync") ? getJson("/stream/zone_sync/zones") : null,
    has(http, "limit_reqs") ? getJson("/http/limit_reqs/") : null,
    has(http, "upstreams") ? getJson("/http/upstreams/") : null,
    has(stream, "upstreams") ? getJson("/stream/upstreams/") : null,
    has(http, "server_zones") ? getJson("/http/server_zones/") : null,
    has(stream, "server_zones") ? getJson("/stream/server_zones/") : null,
    has(top, "ssl") ? getJson("/ssl") : null,
    has(top, "resolvers") ? getJson("/resolvers/") : null,
    has(top, "workers") ? getJson("/workers/") : null,
  ]);
  return {time: Date.now() / 1000, nginx, zoneSync, nodes, zoneSizes, limitReqs, httpUpstreams, streamUpstreams,
    serverZones, streamZones, ssl, resolvers, workers};
}

// Per second, from the previous sample's figure found by the same key path; null on the first.
function rate(now, pick) {
  if (previous === null) {
    return null;
  }
  const before = pick(previous);
  const after = pick(now);
  const seconds = now.time - previous.time;
  if (before === undefined || before === null || after === undefined || after === null || seconds <= 0) {
    return null;
  }
  return Math.max(0, (after - before) / seconds);
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (className) {
    td.className = className;
  }
  return td;
}

function number(value) {
  return cell(value === null || value === undefined ? "" : format(value), "number");
}

// Bytes in binary units, as zone sizes are written in a configuration (32k, 1m); "/s" after a rate.
function bytes(value, suffix) {
  if (value === null || value === undefined) {
    return cell("", "number");
  }
  const units = ["B", "KiB", "MiB", "GiB"];
  let v = value;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return cell((u === 0 && Number.isInteger(v) ? String(v) : v.toFixed(1)) + " " + units[u] + (suffix || ""), "number");
}

function format(value) {
  return Number.isInteger(value) ? value.toLocaleString("en") : value.toFixed(1);
}

function fillTable(id, rows, emptyText) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = document.createElement("tr");
    const td = cell(emptyText, "empty");
    td.colSpan = document.querySelectorAll("#" + id + " thead th").length;
    tr.append(td);
    body.append(tr);
    return;
  }
  for (const row of rows) {
    body.append(row);
  }
}

function row(cells, attributes) {
  const tr = document.createElement("tr");
  for (const [name, value] of Object.entries(attributes || {})) {
    tr.setAttribute(name, value);
  }
  tr.append(...cells);
  return tr;
}

const ONLINE_STATES = ["snapshotting", "live"];

function showCluster(s) {
  const section = s.zoneSync;
  if (section === null) {
    document.getElementById("nodes-online").textContent = "1";
    document.getElementById("cluster-note").textContent = "(this node has no zone_sync)";
    fillTable("peers", [], "no zone_sync server on this node");
    fillTable("zone-table", [], "no zone_sync server on this node");
    return;
  }
  const peers = s.nodes || [];
  // A peer may have a link each way; count nodes by id where a handshake told it.
  const known = new Set(peers.map(p => p.node_id || p.address));
  const online = new Set(peers.filter(p => ONLINE_STATES.includes(p.state)).map(p => p.node_id || p.address));
  document.getElementById("nodes-online").textContent = String(1 + online.size);
  document.getElementById("cluster-note").textContent = "of " + (1 + known.size) + " known";
  // the API leaves the node's own address empty when it has none to tell: the page's host then
  const rows = [row([cell("this node"), cell(s.nginx.address || window.location.host), cell(""), cell("online", "status-online"),
      cell(""), cell(s.nginx.load_timestamp), number(null), number(null), number(null), number(null), number(null),
      cell("")],
      {"data-status": "online", "data-self": "true"})];
  for (const p of peers) {
    const status = ONLINE_STATES.includes(p.state) ? "online" : "down";
    const same = q => (q.nodes || []).find(o => o.address === p.address && o.direction === p.direction);
    const sent = rate(s, q => (same(q) || {}).records_sent);
    const received = rate(s, q => (same(q) || {}).records_received);
    rows.push(row([cell(p.node_id || "?"), cell(p.address), cell(p.direction), cell(status, "status-" + status),
        cell(p.state), cell(p.online_since), number(p.records_pending),
        cell(p.replication_lag === null || p.replication_lag === undefined ? "" : (p.replication_lag / 1000).toFixed(1),
            "number lag"),
        cell(p.rtt === null || p.rtt === undefined ? "" : p.rtt.toFixed(2), "number"), number(sent), number(received),
        cell(p.last_error, "error")], {"data-address": p.address, "data-status": status}));
  }
  fillTable("peers", rows, "");
  const lags = {};
  for (const p of peers) {
    if (p.replication_lag !== null && p.replication_lag !== undefined) {
      lags[p.address + " " + p.direction] = p.replication_lag / 1000;
    }
  }
  addPoint("chart-lag", "Replication lag by peer, s", s.time, lags);

  const zones = Object.entries(section.zones || {});
  const sizes = s.zoneSizes || {};
  fillTable("zone-table", zones.map(([name, z]) => {
    const size = sizes[name] || {};
    const sessions = size.sessions ? size.sessions.current.toLocaleString("en") + " / "
        + size.sessions.max.toLocaleString("en") : "";
    return row([cell(name), cell(size.type), number(z.records_total), number(z.records_pending),
      number(rate(s, q => q.zoneSync && q.zoneSync.zones[name] && q.zoneSync.zones[name].records_total)),
      bytes(size.size), bytes(size.used), cell(sessions, "number")], {"data-zone": name});
  }), "no zone is marked sync");

  addPoint("chart-traffic", "Sync traffic, bytes/s", s.time, {
    "received": rate(s, q => q.zoneSync && q.zoneSync.status.bytes_in),
    "sent": rate(s, q => q.zoneSync && q.zoneSync.status.bytes_out),
  });
  const pending = {};
  for (const [name, z] of zones) {
    pending[name] = z.records_pending;
  }
  addPoint("chart-pending", "Records pending, by zone", s.time, pending);
}

function showLimitReqs(s) {
  const zones = Object.entries(s.limitReqs || {});
  fillTable("limit-req-table", zones.map(([name, z]) => row([cell(name), number(z.passed), number(z.delayed),
      number(z.rejected), number(z.delayed_dry_run), number(z.rejected_dry_run),
      number(rate(s, q => q.limitReqs && q.limitReqs[name] && q.limitReqs[name].passed)),
      number(rate(s, q => q.limitReqs && q.limitReqs[name] && q.limitReqs[name].rejected))],
      {"data-zone": name})), s.limitReqs === null ? "the API has no limit_reqs" : "no limit_req zone");
  let passed = 0, rejected = 0, known = false;
  for (const [name] of zones) {
    const p = rate(s, q => q.limitReqs && q.limitReqs[name] && q.limitReqs[name].passed);
    const r = rate(s, q => q.limitReqs && q.limitReqs[name] && q.limitReqs[name].rejected);
    if (p !== null && r !== null) {
      passed += p;
      rejected += r;
      known = true;
    }
  }
  addPoint("chart-limit-req", "limit_req, requests/s", s.time,
      {"passed": known ? passed : null, "rejected": known ? rejected : null});
}

function showUpstreams(s) {
  const rows = [];
  for (const [block, groups, counter] of [["http", s.httpUpstreams, "requests"], ["stream", s.streamUpstreams, "connections"]]) {
    for (const [group, g] of Object.entries(groups || {})) {
      for (const p of g.peers || []) {
        const pick = q => {
          const gs = block === "http" ? q.httpUpstreams : q.streamUpstreams;
          const same = gs && gs[group] && (gs[group].peers || []).find(o => o.id === p.id);
          return same ? same[counter] : null;
        };
        const hc = p.health_checks || {};
        const last = hc.last_passed === undefined ? "" : (hc.last_passed ? "passed" : "failed");
        rows.push(row([cell(block), cell(group), cell(p.server), cell(p.state, "state-" + p.state), number(p.active),
            number(rate(s, pick)), number(p.fails),
            cell(hc.checks === undefined ? "" : hc.checks + " / " + hc.fails + " / " + hc.unhealthy), cell(last)],
            {"data-group": block + "/" + group, "data-server": p.server}));
      }
    }
  }
  fillTable("upstream-table", rows, "no upstream group has a zone");
}

// Picks a figure from one part of a sample (a map by name, or the workers' array by index), for rates.
function figureOf(part, key, pick) {
  return q => {
    const found = q[part] && q[part][key];
    return found ? pick(found) : null;
  };
}

function showServerZones(s) {
  const zones = Object.entries(s.serverZones || {});
  fillTable("server-zone-table", zones.map(([name, z]) => {
    const r = z.responses || {};
    return row([cell(name), number(z.processing), number(z.requests),
      number(rate(s, figureOf("serverZones", name, q => q.requests))), number(r["1xx"]), number(r["2xx"]),
      number(r["3xx"]), number(r["4xx"]), number(r["5xx"]),
      bytes(rate(s, figureOf("serverZones", name, q => q.received)), "/s"),
      bytes(rate(s, figureOf("serverZones", name, q => q.sent)), "/s")], {"data-zone": name});
  }), s.serverZones === null ? "the API has no http server zones" : "no http server has a status_zone");
}

function showStreamZones(s) {
  const zones = Object.entries(s.streamZones || {});
  fillTable("stream-zone-table", zones.map(([name, z]) => {
    const sessions = z.sessions || {};
    return row([cell(name), number(z.processing), number(z.connections),
      number(rate(s, figureOf("streamZones", name, q => q.connections))), number(sessions["2xx"]),
      number(sessions["4xx"]), number(sessions["5xx"]),
      bytes(rate(s, figureOf("streamZones", name, q => q.received)), "/s"),
      bytes(rate(s, figureOf("streamZones", name, q => q.sent)), "/s")], {"data-zone": name});
  }), s.streamZones === null ? "the API has no stream server zones" : "no stream server has a status_zone");
}

function showSsl(s) {
  const t = s.ssl;
  fillTable("ssl-table", t === null ? [] : [row([number(t.handshakes), number(t.handshakes_failed),
      number(t.session_reuses), number(rate(s, q => q.ssl && q.ssl.handshakes)),
      number(rate(s, q => q.ssl && q.ssl.handshakes_failed))], {"data-ssl": "node"})], "the API has no ssl");
}

function showResolvers(s) {
  const zones = Object.entries(s.resolvers || {});
  const asked = z => z.requests.name + z.requests.srv + z.requests.addr;
  fillTable("resolver-table", zones.map(([name, z]) => {
    const r = z.responses;
    return row([cell(name), cell(z.requests.name + " / " + z.requests.srv + " / " + z.requests.addr, "number"),
      number(rate(s, figureOf("resolvers", name, asked))), number(r.noerror), number(r.nxdomain), number(r.servfail),
      number(r.timedout), number(r.formerr + r.notimp + r.refused + r.unknown)], {"data-zone": name});
  }), s.resolvers === null ? "the API has no resolvers" : "no resolver has a status_zone");
}

function showWorkers(s) {
  const workers = s.workers || [];
  fillTable("worker-table", workers.map((w, i) => row([cell(w.id), cell(w.pid), number(w.connections.accepted),
      number(w.connections.dropped), number(w.connections.active), number(w.connections.idle),
      number(w.http.requests.total), number(w.http.requests.current),
      number(rate(s, figureOf("workers", i, q => q.http.requests.total)))], {"data-worker": w.id})),
      "the API has no workers (version 9 has them)");
}

// Adds one point per series to a chart, making the chart anew when its series change.
function addPoint(id, title, time, values) {
  const labels = Object.keys(values);
  let chart = charts[id];
  if (!chart || chart.labels.join("\n") !== labels.join("\n")) {
    if (chart) {
      chart.plot.destroy();
    }
    const series = [{}].concat(labels.map((label, i) => ({label, stroke: COLORS[i % COLORS.length], width: 2})));
    const data = [[]].concat(labels.map(() => []));
    const plot = new uPlot({title, width: 560, height: 220, series, scales: {x: {time: true}}}, data,
        document.getElementById(id));
    chart = charts[id] = {plot, labels, data};
  }
  chart.data[0].push(time);
  labels.forEach((label, i) => chart.data[i + 1].push(values[label]));
  if (chart.data[0].length > HISTORY) {
    chart.data.forEach(column => column.shift());
  }
  chart.plot.setData(chart.data);
}

async function tick() {
  try {
    const s = await sample();
    document.getElementById("node").textContent = "zonesync " + s.nginx.version + " at " + (s.nginx.address || window.location.host);
    showCluster(s);
    showLimitReqs(s);
    showUpstreams(s);
    showServerZones(s);
    showStreamZones(s);
    showSsl(s);
    showResolvers(s);
    showWorkers(s);
    previous = s;
    document.getElementById("updated").textContent = "updated " + new Date(s.time * 1000).toLocaleTimeString();
    document.getElementById("error").textContent = "";
  } catch (e) {
    document.getElementById("error").textContent = "cannot read the API: " + e.message;
  } finally {
    setTimeout(tick, 1000);
  }
}

tick();
