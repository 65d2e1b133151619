-- Hostile hits for wrk: mutated real hits on every hit endpoint, and some API calls, prepared once
-- in init() (a deterministic generator: the same traffic every run) and sent in a cycle.
--
--   wrk -t1 -c32 -d60m -s bench/hostile.lua http://127.0.0.1:PORT -- TOTAL HOSTILE REFUSED LINK KEY
--
-- TOTAL    stop sending after this many answers (wrk has no request count of its own; its -d
--          still bounds the run, and wrk waits for -d to pass before it reports)
-- HOSTILE  the pixel that takes the mutated hits (anything may be stored for it, nothing may fail)
-- REFUSED  a pixel that gets only hits that must be refused (a goal without its name, a goal whose
--          value is no number, a hit kind the image does not take): nothing may be stored for it
-- LINK     a tracked link's code (of HOSTILE)
-- KEY      an API key, for the API calls that are not refused at the door
--
-- Prints, at the end, the answers by status class and the 5xx count ("hostile: ...").

local total, hostile, refused, link, key = 1000000, "h", "r", "l", "k"
local requests = {}
local next_index = 1
local seed = 19
counts = {}   -- global: done() reads them from the thread
answered = 0
local threads = {}

local function rnd()
   seed = (seed * 16807) % 2147483647
   return seed / 2147483647
end
local function between(lo, hi) return lo + math.floor(rnd() * (hi - lo + 1)) end
local function pick(list) return list[between(1, #list)] end

-- Pieces that broke parsers elsewhere: control characters, broken escapes and UTF-8, huge numbers,
-- deep nesting, separators.
local NASTY = {
   "%00", "%0d%0a", "%0A", "\t", "%7F", "%C2%85", "%E2%80%A8", "%EF%BB%BF", "%EF%BF%BD", "%ED%A0%80",
   "%F0%9F%8E%89", "%", "%4", "%zz", "%C3", "%C3%28", "%FF", "%C0%AF", "%F4%90%80%80", "+", "&", "=",
   "&&", "==", ";", ",", "\"", "'", "<script>", "../", "//", "1e400", "-1e400", "NaN", "Infinity", "-0",
   "99999999999999999999999999999999999999", "0x10", "\xc3\xa9", "\xff\xfe", "\xed\xa0\x80", "\xc0\xaf",
   "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":",
   "]}", "null", "true", "[]", "{}", "\\ud800", "\\u0000", "/*", "android-app://", "javascript:", "?", "#"
}

local function mutate(s)
   for _ = 1, between(0, 4) do
      local at = between(0, #s)
      local op = between(0, 5)
      if op == 0 then
         s = s:sub(1, at)
      elseif op == 1 then
         s = s:sub(1, at) .. pick(NASTY) .. s:sub(at + 1)
      elseif op == 2 then
         local r = {}
         for i = 1, between(1, 12) do r[i] = string.char(between(0, 255)) end
         s = s:sub(1, at) .. table.concat(r) .. s:sub(at + 1)
      elseif op == 3 then
         s = s .. s:sub(at + 1) -- a repeated part: repeated keys, pairs, cookies
      elseif op == 4 then
         s = s:sub(1, at) .. string.rep(pick(NASTY), between(1, 300)) .. s:sub(at + 1)
      else
         s = s:sub(at + 1) .. s:sub(1, at)
      end
   end
   return s
end

-- A path may carry any byte but a space or a line break (those end the request line: a request
-- Netty refuses outright is a few percent of the mix, not most of it).
local function path_safe(s)
   return (s:gsub("[ \r\n]", function(c) return c == " " and "%20" or "" end))
end
local function header_safe(s)
   return (s:gsub("[\r\n%z]", ""))
end

local QUERIES = {
   "u=https%3A%2F%2Fshop.example%2Fcart%3Fa%3D1&r=https%3A%2F%2Fwww.google.com%2F&t=Cart&sr=1920x1080&lang=de-CH&tz=Europe%2FZurich",
   "k=goal&n=purchase&v=49.90&cur=EUR&u=https%3A%2F%2Fshop.example%2Fthanks&p.order=A-17&consent=granted&fpid=abcdefghijklmnop0123",
   "k=event&n=signup&p.plan=pro&p.seats=3&r=android-app%3A%2F%2Fcom.google.android.gm%2F",
   "m=spring-sale&rcpt=c_1234&sig=deadbeef",
   "identity=cust-42&sig=0f0f0f&u=https%3A%2F%2Fa.example%2F%3Fspeck_id%3Dcust-42.1893456000.abcd",
}
local BEACONS = {
   '{"type":"page_view","url":"https://shop.example/","referrer":"https://www.bing.com/","title":"Shop","screen":"390x844","lang":"en-US","tz":"America/New_York"}',
   '[{"type":"event","name":"add_to_cart","props":{"sku":"X1","qty":2,"gift":true}},{"type":"goal","name":"purchase","value":120.5,"currency":"USD"}]',
   '{"events":[{"type":"page_view","consent":"granted","fpid":"Zm9vYmFyYmF6cXV4MTIz","identity":{"id":"cust-42","sig":"abc"}}]}',
}
local AGENTS = {
   "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
   "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
   "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
   "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
}
local FORWARDED = {
   "81.2.69.142", "81.2.69.142, 10.0.0.1", "81.2.69.142:1234", "[2001:db8::1]:443", "2001:db8::1", "unknown",
   "203.0.113.7,198.51.100.9", "for=192.0.2.60;proto=http", "for=\"[2001:db8:cafe::17]:4711\"",
}
local HINTS = { '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"', "?1", '"Android"' }
local COOKIES = { "speck_optout=0; a=b", "_ga=GA1.2.3.4; _gid=GA1.2.5.6", "speck_session=abc" }
local API = {
   "/api/pixels/%s/stats?from=2026-01-01&to=2026-12-31", "/api/pixels/%s/events?limit=5",
   "/api/pixels/%s/report?dimension=source&from=2026-01-01", "/api/pixels", "/api/session",
   "/api/pixels/%s/hours?from=2026-01-01", "/api/customers?limit=3",
}
-- Hits that must be refused, sent to REFUSED: a goal without its name, a goal whose value is no
-- number, a kind the image does not take; a beacon goal without its name, and one with no JSON.
local REFUSED_QUERIES = {
   "k=goal&u=https%3A%2F%2Fshop.example%2Frefused", "k=goal&n=purchase&v=abc", "k=email_open&n=x",
   "k=goal&n=purchase&v=1e400", "k=bogus",
}
local REFUSED_BEACONS = { '{"type":"goal","url":"https://shop.example/refused"}', '{"type":"goal","name":"x","value":"abc"}',
   '{"type":"teleport"}', '{"type":"page_view",' }

local function headers()
   local h = {}
   if rnd() < 0.7 then h["User-Agent"] = header_safe(rnd() < 0.6 and pick(AGENTS) or mutate(pick(AGENTS))) end
   if rnd() < 0.4 then h["X-Forwarded-For"] = header_safe(mutate(pick(FORWARDED))) end
   if rnd() < 0.1 then h["Forwarded"] = header_safe(mutate(pick(FORWARDED))) end
   if rnd() < 0.2 then h["Sec-CH-UA"] = header_safe(mutate(pick(HINTS))) end
   if rnd() < 0.1 then h["Sec-CH-UA-Platform"] = header_safe(mutate(pick(HINTS))) end
   if rnd() < 0.2 then h["Cookie"] = header_safe(mutate(pick(COOKIES))) end
   if rnd() < 0.2 then h["Referer"] = header_safe(mutate("https://www.google.com/search?q=shoes")) end
   if rnd() < 0.1 then h["Accept-Language"] = header_safe(mutate("de-CH,de;q=0.9,en;q=0.8")) end
   return h
end

local function prepare(n)
   for i = 1, n do
      local r = rnd()
      local h = headers()
      local req
      if r < 0.40 then
         req = wrk.format("GET", path_safe("/p/" .. hostile .. ".gif?" .. mutate(pick(QUERIES))), h)
      elseif r < 0.62 then
         h["Content-Type"] = rnd() < 0.5 and "text/plain" or "application/json"
         req = wrk.format("POST", "/p/" .. hostile .. "/events", h, mutate(pick(BEACONS)))
      elseif r < 0.70 then
         req = wrk.format("GET", path_safe("/o/" .. hostile .. ".gif?" .. mutate(pick(QUERIES))), h)
      elseif r < 0.78 then
         local code = rnd() < 0.7 and link or mutate(link)
         req = wrk.format("GET", path_safe("/l/" .. code .. "?" .. mutate("rcpt=user%40example.com&sig=AAAAAAAAAAAAAAAAAAAAAA")), h)
      elseif r < 0.88 then
         if rnd() < 0.5 then h["Authorization"] = "Bearer " .. (rnd() < 0.8 and key or mutate(key)) end
         req = wrk.format("GET", path_safe(mutate(string.format(pick(API), hostile))), h)
      elseif r < 0.94 then
         req = wrk.format("GET", "/p/" .. refused .. ".gif?" .. pick(REFUSED_QUERIES), h)
      elseif r < 0.97 then
         h["Content-Type"] = "text/plain"
         req = wrk.format("POST", "/p/" .. refused .. "/events", h, pick(REFUSED_BEACONS))
      else -- a pixel that does not exist, and a path that is no pixel's
         req = wrk.format(rnd() < 0.5 and "GET" or "POST", path_safe(mutate("/p/nosuchpixel.gif?u=https%3A%2F%2Fx.example%2F")), h)
      end
      requests[i] = req
   end
end

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   total = tonumber(args[1]) or total
   hostile, refused, link, key = args[2] or hostile, args[3] or refused, args[4] or link, args[5] or key
   prepare(20000)
end

function request()
   local r = requests[next_index]
   next_index = next_index % #requests + 1
   return r
end

function response(status, headers, body)
   local class = math.floor(status / 100)
   counts[class] = (counts[class] or 0) + 1
   if status >= 500 then
      counts[status] = (counts[status] or 0) + 1 -- which: 500 (a failure) or 503 (the journal full)
   end
   answered = answered + 1
   if answered >= total then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   for _, t in ipairs(threads) do
      local line = "hostile:"
      local sum = 0
      local c = t:get("counts") or {}
      for class = 1, 5 do
         local n = c[class] or 0
         sum = sum + n
         line = line .. string.format(" %dxx=%d", class, n)
      end
      for status = 500, 599 do
         if c[status] then line = line .. string.format(" (%d: %d)", status, c[status]) end
      end
      print(line .. " answered=" .. sum)
   end
end
