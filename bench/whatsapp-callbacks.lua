-- Meta's signed status callbacks for MessagingBenchmark: replays the pre-signed requests of a file (one a
-- line: the X-Hub-Signature-256 hex value, a tab, the one-line JSON body), each once, line i by thread
-- i mod threads (so bounded in count; MessagingBenchmark bounds the run in time with -d). A connection
-- whose thread has reserved all of its requests waits (delay) instead of sending more; the thread stops
-- once each of its requests is answered. Args: the file, the number of threads (wrk's -t).
-- Prints one "wrkstats:" line: requests answered, answers by class, statuses applied, and the time from the
-- first request sent to the last answer received (wrk's own Requests/sec divides by the whole -d).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec;
  int clock_gettime(int clock, timespec *t);
]]
local function now_us()
  local t = ffi.new("timespec")
  ffi.C.clock_gettime(1, t) -- CLOCK_MONOTONIC, the same clock in every thread
  return tonumber(t.tv_sec) * 1000000 + tonumber(t.tv_nsec) / 1000
end

local threads = {}
local created = 0
function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(args[2])
  mine = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % count == id then
      local tab = string.find(line, "\t", 1, true)
      table.insert(mine, wrk.format("POST", "/api/messaging/webhooks/whatsapp",
        {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = "sha256=" .. string.sub(line, 1, tab - 1)},
        string.sub(line, tab + 1)))
    end
    i = i + 1
  end
  reserved, sent, answered, s2xx, other, applied, first, last = 0, 0, 0, 0, 0, 0, 0, 0
end

-- wrk asks delay() before each request() of a connection, with a timer between the two: a request is
-- reserved here, so that two connections never take the same one.
function delay()
  if reserved >= #mine then
    return 3600000
  end
  reserved = reserved + 1
  return 0
end

function request()
  if reserved == 0 then
    -- wrk's check of the script on the first thread, before any connection: not sent
    return mine[1]
  end
  sent = sent + 1
  if sent == 1 then
    first = now_us()
  end
  return mine[sent]
end

function response(status, headers, body)
  answered = answered + 1
  if status == 200 then
    s2xx = s2xx + 1
    applied = applied + tonumber(string.match(body, '"statuses_applied":(%d+)') or "0")
  else
    other = other + 1
  end
  if answered >= #mine then
    last = now_us()
    wrk.thread:set("answered", answered)
    wrk.thread:set("s2xx", s2xx)
    wrk.thread:set("other", other)
    wrk.thread:set("applied", applied)
    wrk.thread:set("first", first)
    wrk.thread:set("last", last)
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local answered, s2xx, other, applied, first, last = 0, 0, 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    answered = answered + (thread:get("answered") or 0)
    s2xx = s2xx + (thread:get("s2xx") or 0)
    other = other + (thread:get("other") or 0)
    applied = applied + (thread:get("applied") or 0)
    first = math.min(first, thread:get("first") or math.huge)
    last = math.max(last, thread:get("last") or 0)
  end
  io.write(string.format("wrkstats: answered=%d s2xx=%d other=%d applied=%d seconds=%.3f max_ms=%.1f\n",
    answered, s2xx, other, applied, (last - first) / 1e6, latency.max / 1000))
end
