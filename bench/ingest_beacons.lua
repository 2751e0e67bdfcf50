-- wrk script for bench_ingest.py: beacons of 16 events with ids unique to the run, from
-- BENCH_VISITORS simulated visitors (one /24 network each, via X-Forwarded-For behind
-- PROXY_HOPS=1), so per-address and per-unit caps are counted as in production.
local experiment = os.getenv("BENCH_EXPERIMENT")
local run = os.getenv("BENCH_RUN") or "run"
local visitors = tonumber(os.getenv("BENCH_VISITORS") or "5000")
local next_thread = 0
local sent = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_no", next_thread)
end

function request()
  sent = sent + 1
  local events = {}
  for i = 0, 15 do
    local kind = (i % 2 == 1) and "viewable" or "slot_reached"
    events[#events + 1] = string.format(
      '{"id":"%s-%d-%08d-%02d","type":"%s"}', run, thread_no, sent, i, kind)
  end
  local body = '{"experiment":"' .. experiment .. '","events":[' .. table.concat(events, ",") .. "]}"
  local visitor = (sent * 7919 + thread_no) % visitors
  local headers = {
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0",
    ["Accept-Language"] = "km-KH,km;q=0.9",
    ["X-Forwarded-For"] = string.format("10.%d.%d.7", math.floor(visitor / 256) % 256, visitor % 256),
  }
  return wrk.format("POST", "/api/v1/track/events", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d non2xx=%d socket_errors=%d duration_us=%d p50_us=%d p99_us=%d\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99)))
end
