-- wrk script: POST the body in $BODY (default: one sunspots window) and count answers per wall-clock
-- second, so a run started at readiness prints the throughput curve. os.time() has 1 s resolution.
local f = assert(io.open(os.getenv("BODY") or "bench/sunspots-instance.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

counts = {}
bad = 0
function response(status, headers, body)
  local s = os.time()
  counts[s] = (counts[s] or 0) + 1
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = {}
  local nonok = 0
  for _, t in ipairs(threads) do
    for s, n in pairs(t:get("counts")) do total[s] = (total[s] or 0) + n end
    nonok = nonok + t:get("bad")
  end
  for s, n in pairs(total) do io.write(string.format("second %d %d\n", s, n)) end
  io.write(string.format("non2xx %d errors %d\n", nonok,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
