-- POST /oauth2/introspect with a service key, for one access token (form token=), as another service would.
function init(args)
  key = args[1]
  body = "token=" .. args[2]
end
function request()
  return wrk.format("POST", "/oauth2/introspect",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
