-- wrk script: POST one sunspots window per request and count answers by status; a 429 must carry Retry-After.
local f = assert(io.open(os.getenv("BODY") or "bench/sunspots-instance.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  noretry = 0
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 429 and headers["Retry-After"] == nil and headers["retry-after"] == nil then
    noretry = noretry + 1
  end
end

function done(summary, latency, requests)
  local total, missing = {}, 0
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("counts")) do
      total[status] = (total[status] or 0) + n
    end
    missing = missing + t:get("noretry")
  end
  local line = "statuses:"
  for status, n in pairs(total) do
    line = line .. string.format(" %d=%d", status, n)
  end
  io.write(line .. "\n")
  io.write(string.format("429 without Retry-After: %d\n", missing))
  io.write(string.format("socket errors: connect=%d read=%d write=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("all answers: p50=%.2fms p99=%.2fms max=%.2fms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
