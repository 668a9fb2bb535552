-- GET a list of paths in turn (one per line in the file given after "--").
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
