-- GET /users/me with a bearer token, the session check included.
function init(args)
  token = args[1]
end
function request()
  return wrk.format("GET", "/users/me", {["Authorization"] = "Bearer " .. token})
end
