-- POST replies as logged-in members: one member per wrk thread (run with -t N -c N).
-- Arguments after "--": the credentials file ("cookie<TAB>csrf token" per line), the thread
-- ids ("1,2,3") and a run nonce, so every body is distinct (no duplicate-post refusal).
local made = 0
local cookie, token, nonce
local ids = {}
local counter = 0

function setup(thread)
  made = made + 1
  thread:set("number", made)
end

local function encode(text)
  return (text:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", c:byte()) end)
              :gsub(" ", "+"))
end

function init(args)
  local lines = {}
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  local mine = lines[(number - 1) % #lines + 1]
  cookie, token = mine:match("^(.-)\t(.*)$")
  for id in string.gmatch(args[2], "%d+") do ids[#ids + 1] = id end
  nonce = args[3]
end

function request()
  counter = counter + 1
  local id = ids[(counter * 7 + number) % #ids + 1]
  local body = "csrf_token=" .. encode(token) .. "&body=" .. encode(
    "Benchmark reply " .. nonce .. "-" .. number .. "-" .. counter ..
    ": keeping a diary of my blood sugar readings helped me notice patterns.")
  return wrk.format("POST", "/threads/" .. id .. "/replies", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
  }, body)
end
