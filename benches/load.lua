-- wrk script for benches/load.sh: checks every response, not only counts them.
--
-- EXPECT_STATUS   the status every response must have (200, or 404 for a missing page)
-- EXPECT_LENGTH   if set, the exact body length (a static file)
-- CHECK_HTML      if set, the body must be a whole page: it ends with </html>
-- CHECK_STORM     if set, the page is the one the storm rewrites: the number in its <title>
--                 and the one in its text must be equal, as they are in every version written,
--                 so a page put together from two builds is caught; versions= in the summary
--                 is how many versions one wrk thread saw

local expect_status = tonumber(os.getenv("EXPECT_STATUS") or "200")
local expect_length = tonumber(os.getenv("EXPECT_LENGTH") or "")
local check_html = os.getenv("CHECK_HTML") ~= nil
local check_storm = os.getenv("CHECK_STORM") ~= nil

-- Per thread (each wrk thread has its own Lua state); summed in done().
bad = 0
checked = 0
first_bad = ""
versions_seen = 0
local seen = {}

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function fail(why)
  bad = bad + 1
  if first_bad == "" then
    first_bad = why
  end
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= expect_status then
    return fail("status " .. status)
  end
  if expect_length and #body ~= expect_length then
    return fail("body of " .. #body .. " bytes, expected " .. expect_length)
  end
  if check_html and not body:find("</html>%s*$") then
    return fail("a page that does not end with </html> (" .. #body .. " bytes)")
  end
  if check_storm then
    local title = body:match("<title>Storm (%d+)")
    local text = body:match("Storm text (%d+)%.")
    if title == nil or title ~= text then
      return fail("title says " .. tostring(title) .. ", text says " .. tostring(text))
    end
    if not seen[title] then
      seen[title] = true
      versions_seen = versions_seen + 1
    end
  end
end

function done(summary, latency, requests)
  local total_bad, total_checked, versions, why = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
    total_checked = total_checked + thread:get("checked")
    versions = math.max(versions, thread:get("versions_seen"))
    if why == "" then
      why = thread:get("first_bad")
    end
  end
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    "CHECK requests=%d checked=%d bad=%d socket_errors=%d p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f rps=%.0f versions=%d\n",
    summary.requests, total_checked, total_bad, socket_errors,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6), versions))
  if why ~= "" then
    io.write("CHECK first bad response: " .. why .. "\n")
  end
end
