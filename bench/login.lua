-- POST /auth/login as one of N users (bench-user-<i>@example.com), round robin per thread.
local counter = 0
local users = 1
function init(args)
  users = tonumber(args[1])
end
function request()
  counter = counter + 1
  local body = string.format('{"username":"bench-user-%d@example.com","password":"benchmark-password"}', counter % users)
  return wrk.format("POST", "/auth/login", {["Content-Type"] = "application/json"}, body)
end
