-- wrk script for bench/keyval/api.sh: each request PATCHes one of KEYS existing keys of the zone at
-- ZONE_PATH (keys key000000.., 64-byte values), or, with ZONE_PATH unset, GETs the anchor path
-- given on the command line. done() prints one greppable line for api.sh.
local keys = tonumber(os.getenv("KEYS") or "1000")
local path = os.getenv("ZONE_PATH")
local value = string.rep("v", 64)
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
end

if path then
  request = function()
    local k = string.format("key%06d", math.random(0, keys - 1))
    return wrk.format("PATCH", path, {["Content-Type"] = "application/json"},
                      '{"' .. k .. '":"' .. value .. '"}')
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK requests %d duration_us %d p50_us %d p99_us %d errors %d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
