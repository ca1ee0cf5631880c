-- POST /auth/refresh with rotation: every thread (one connection each) follows its own session's chain,
-- sending the refresh token the previous answer returned.
local created = 0
function setup(thread)
  created = created + 1
  thread:set("thread_number", created)
end
function init(args)
  token = args[thread_number]
end
function request()
  return wrk.format("POST", "/auth/refresh", {["Content-Type"] = "application/json"},
    '{"refresh_token":"' .. token .. '"}')
end
function response(status, headers, body)
  local next = string.match(body, '"refresh_token":"([^"]+)"')
  if next then token = next end
end
