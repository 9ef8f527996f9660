-- wrk script: every connection observes into its own live session, one call at a time. The ids come from the
-- file in $SESSIONS (one per line); thread i of $THREADS takes every THREADS-th one and keeps a free list:
-- request() takes a free session, response() puts back the one it answered (its id is in the body).
-- wrk calls request() once on the first thread before any connection opens, only to check that it makes
-- a valid request (script_verify_request in wrk's main); that request is never sent, so it must not take a
-- session: taken, it never came back, one connection of that thread borrowed busy sessions for the whole
-- run, and every run counted a few hundred 409s (307 non-2xx at 20 s).
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
end

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "1")
  index = index or 0
  free = {}
  mine = {}
  local n = 0
  for line in io.lines(os.getenv("SESSIONS")) do
    if n % threads == index then
      table.insert(free, line)
      table.insert(mine, line)
    end
    n = n + 1
  end
  value = 0
  verifying = index == 0
end

function request()
  if verifying then
    verifying = false
    return wrk.format("POST", "/v1/sessions/none:observe", {["Content-Type"] = "application/json"}, '{"observations":[0]}')
  end
  -- An answer without an id (an error) loses its session from the free list: fall back to any of this
  -- thread's sessions (a call on a busy one is a 409, counted as non-2xx).
  local id = table.remove(free) or mine[math.random(#mine)]
  value = (value + 7) % 150
  return wrk.format("POST", "/v1/sessions/" .. id .. ":observe", {["Content-Type"] = "application/json"},
    '{"observations":[' .. value .. ']}')
end

function response(status, headers, body)
  local id = string.match(body, '"id":"(ls_[0-9a-f]+)"')
  if id then
    table.insert(free, id)
  end
  if status ~= 200 then
    errors = (errors or 0) + 1
  end
end
