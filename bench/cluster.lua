-- Mixed load for bench/cluster.sh: profile reads, logins, refreshes (each thread follows its own
-- rotating chain) and registrations, each from a client address of its own (X-Forwarded-For, which the
-- bench's nginx believes from loopback), so that per-client limits are not what is measured.
-- Args: accounts (the users bench-load-<i>@example.com), then per thread ten sessions, each as its
-- access and refresh token. Prints one "wrkstats:" line with the answers by class.
local threads = {}
local created = 0
function setup(thread)
  created = created + 1
  thread:set("id", created)
  table.insert(threads, thread)
end
function init(args)
  accounts = tonumber(args[1])
  -- Ten sessions per thread for profile reads (a signed-in client may read its profile 10 times a
  -- minute), the first one's refresh token for this thread's rotating chain.
  tokens = {}
  for k = 0, 9 do tokens[k] = args[2 + 20 * (id - 1) + 2 * k] end
  refresh = args[3 + 20 * (id - 1)]
  counter = 0
  s2xx, s4xx, s429, s5xx, s401, s502, s503 = 0, 0, 0, 0, 0, 0, 0
  math.randomseed(id * 7919 + os.time())
end
local function ip()
  return string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
end
function request()
  counter = counter + 1
  local kind = counter % 20
  local headers = {["X-Forwarded-For"] = ip(), ["Content-Type"] = "application/json"}
  if kind < 8 then
    last = "me"
    headers["Authorization"] = "Bearer " .. tokens[counter % 10]
    return wrk.format("GET", "/users/me", headers)
  elseif kind < 13 then
    last = "login"
    return wrk.format("POST", "/auth/login", headers, string.format(
      '{"username":"bench-load-%d@example.com","password":"cluster-bench-Pa55word"}', math.random(0, accounts - 1)))
  elseif kind < 17 then
    last = "refresh"
    return wrk.format("POST", "/auth/refresh", headers, '{"refresh_token":"' .. refresh .. '"}')
  else
    last = "register"
    return wrk.format("POST", "/auth/register", headers, string.format(
      '{"email":"bench-new-%d-%d-%d@example.com","password":"cluster-bench-Pa55word","full_name":"Yük %d"}',
      id, counter, math.random(1, 1000000000), counter))
  end
end
function response(status, headers, body)
  if status == 502 then s502 = s502 + 1; s5xx = s5xx + 1
  elseif status == 503 then s503 = s503 + 1; s5xx = s5xx + 1
  elseif status >= 500 then s5xx = s5xx + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status == 401 then s401 = s401 + 1
  elseif status >= 400 then s4xx = s4xx + 1
  else s2xx = s2xx + 1 end
  if last == "refresh" and status == 200 then
    local next = string.match(body, '"refresh_token":"([^"]+)"')
    if next then refresh = next end
  end
end
function done(summary, latency, requests)
  local t = {s2xx = 0, s4xx = 0, s429 = 0, s5xx = 0, s401 = 0, s502 = 0, s503 = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  local e = summary.errors
  io.write(string.format("wrkstats: requests=%d socket_errors=%d s2xx=%d s401=%d s4xx=%d s429=%d s5xx=%d (502: %d, 503: %d) p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, t.s2xx, t.s401, t.s4xx, t.s429, t.s5xx, t.s502, t.s503,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
