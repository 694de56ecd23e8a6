-- wrk script: counts answers by status, and of the 503s those that are problem+json and carry
-- Retry-After. done() prints one "count KEY N" line per key (faults.py reads them).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body)
  local k = tostring(status)
  counts[k] = (counts[k] or 0) + 1
  if status == 503 then
    local ct = headers["Content-Type"] or headers["content-type"] or ""
    if ct:find("application/problem+json", 1, true) then counts["503problem"] = (counts["503problem"] or 0) + 1 end
    if headers["Retry-After"] or headers["retry-after"] then counts["503retry"] = (counts["503retry"] or 0) + 1 end
  end
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if c then for k, v in pairs(c) do total[k] = (total[k] or 0) + v end end
  end
  for k, v in pairs(total) do io.write(string.format("count %s %d\n", k, v)) end
  local e = summary.errors
  io.write(string.format("errors connect %d read %d write %d timeout %d status %d\n", e.connect, e.read, e.write,
                         e.timeout, e.status))
  io.write(string.format("latency max_ms %.1f p99_ms %.1f p50_ms %.1f\n", latency.max / 1000,
                         latency:percentile(99) / 1000, latency:percentile(50) / 1000))
end
