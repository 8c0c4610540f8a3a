-- wrk script of volume.sh load: optional POST body from WRK_BODY_FILE, headers from WRK_HEADER_1..4 ("Name: value"),
-- counts answers outside 2xx per thread and prints one RESULT line: p50 p95 p99 (ms), requests/s, socket errors, non-2xx.
local body_file = os.getenv("WRK_BODY_FILE")
if body_file and #body_file > 0 then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
end
for i = 1, 4 do
  local h = os.getenv("WRK_HEADER_" .. i)
  if h and #h > 0 then
    local name, value = h:match("^([^:]+):%s*(.*)$")
    wrk.headers[name] = value
  end
end

-- WRK_SPREAD="/Invoices/Details/%d 232334": each request asks for the path with an id drawn from 1 to the maximum, as staff open
-- many documents and not one (a cache that only ever sees one id measures itself); each thread draws its own sequence, the same each run.
local spread = os.getenv("WRK_SPREAD")
local template, maximum
if spread and #spread > 0 then
  template, maximum = spread:match("^(%S+)%s+(%d+)$")
  maximum = tonumber(maximum)
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  math.randomseed(7 + (number or 0))
end

if template then
  function request() return wrk.format(nil, string.format(template, math.random(1, maximum))) end
end

non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  if summary.requests == 0 then
    io.write(string.format("RESULT - - - 0.0 %d %d 0\n", socket, bad))
    return
  end
  io.write(string.format("RESULT %.2f %.2f %.2f %.1f %d %d %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), socket, bad, summary.requests))
end
