-- Realistic pixel traffic for wrk: a few thousand distinct image hits, built once in init() and
-- sent in a cycle, so request() only hands back a prepared string.
--
--   [TRAFFIC_DELAY_MS=n] wrk -t1 -c64 -d15s --latency -s bench/traffic.lua http://127.0.0.1:PORT -- PIXEL
--
-- PIXEL             the pixel id (the path is /p/PIXEL.gif; nginx answers any path with its GIF)
-- TRAFFIC_DELAY_MS  optional: each connection waits this long (on average; fractions are dithered)
--                   before its next request, which bounds the rate at about
--                   connections*1000/(delay+latency) per second. Plain wrk has no -R (wrk2 is not
--                   packaged); this is a closed-loop approximation of it, so latency is measured
--                   from the send, not from an intended start time (coordinated omission).
--
-- The mix: >= 3000 distinct user agents from real browser/OS/version/device templates, each seen
-- at least once and the popular ones far more often (Zipf-like, like real sites), Chromium ones
-- with the low-entropy client hints they send on HTTPS; thousands of
-- client addresses from a few hundred /16s, sent as X-Forwarded-For; hundreds of page paths;
-- search, social, other and no referrers; UTM tags on some pages.

local REQUESTS = 12000      -- prepared requests (the cycle length)
local UA_POOL = 3600        -- distinct user agents, all of them used at least once
local IPS = 6000            -- distinct client addresses

local pixel = "bench"
local delay_ms = nil
local requests = {}
local next_index = 1
local count = 0
local seed = 20240601 -- Park-Miller: its products stay below 2^53, exact in LuaJIT's doubles

-- A small deterministic generator (same traffic every run, independent of LuaJIT's math.random).
local function rnd()
   seed = (seed * 16807) % 2147483647
   return seed / 2147483647
end
local function pick(list) return list[math.floor(rnd() * #list) + 1] end
local function between(lo, hi) return lo + math.floor(rnd() * (hi - lo + 1)) end

-- Zipf-like rank in 1..n with exponent s: popular ranks far more often, a long tail.
local function zipf_table(n, s)
   local cdf, total = {}, 0
   for i = 1, n do total = total + 1 / (i ^ s); cdf[i] = total end
   for i = 1, n do cdf[i] = cdf[i] / total end
   return cdf
end
local function zipf_pick(cdf)
   local u, lo, hi = rnd(), 1, #cdf
   while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if cdf[mid] < u then lo = mid + 1 else hi = mid end
   end
   return lo
end

local function urlencode(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

---------------------------------------------------------------- user agents

local windows = { "Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64", "Windows NT 6.1; Win64; x64",
                  "Windows NT 6.3; Win64; x64", "Windows NT 10.0" }
local macs = {}
for minor = 13, 15 do for patch = 0, 7 do macs[#macs + 1] = "Macintosh; Intel Mac OS X 10_" .. minor .. "_" .. patch end end
local linuxes = { "X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64", "X11; CrOS x86_64 14541.0.0" }
local androids = { "SM-G991B", "SM-S901B", "SM-S911B", "SM-A536B", "SM-A525F", "SM-G780F", "SM-N986B", "SM-A145R",
                   "Pixel 6", "Pixel 7", "Pixel 7 Pro", "Pixel 8", "Pixel 5", "Pixel 4a",
                   "M2101K6G", "2201117TY", "Redmi Note 9 Pro", "M2007J20CG", "CPH2219", "CPH2449",
                   "moto g(60)", "moto g power (2022)", "motorola edge 30", "LE2113", "NE2213",
                   "VOG-L29", "ELE-L29", "RMX3085", "V2111", "TECNO KG5" }
local ios = {}
for major = 14, 17 do for minor = 0, 7 do ios[#ios + 1] = major .. "_" .. minor end end

local function chrome_version() return between(96, 124) .. ".0." .. between(4600, 6400) .. "." .. between(0, 210) end
local function firefox_version() return between(88, 125) .. ".0" end

-- The three low-entropy client hints every Chromium browser sends on HTTPS (Sec-CH-UA and its
-- -Mobile and -Platform headers); other browsers send none.
local function hints(brand, major, mobile, platform)
   return {
      ["Sec-CH-UA"] = '"' .. brand .. '";v="' .. major .. '", "Chromium";v="' .. major .. '", "Not-A.Brand";v="99"',
      ["Sec-CH-UA-Mobile"] = mobile and "?1" or "?0",
      ["Sec-CH-UA-Platform"] = '"' .. platform .. '"',
   }
end
local function platform_of(os)
   if os:find("Windows") then return "Windows" end
   if os:find("Mac") then return "macOS" end
   if os:find("CrOS") then return "Chrome OS" end
   return "Linux"
end
local function major(v) return v:match("^(%d+)") end

-- A user agent and, for Chromium browsers, its client hints.
local function make_ua()
   local r = rnd()
   if r < 0.30 then      -- Chrome desktop
      local v = chrome_version()
      local os = rnd() < 0.7 and pick(windows) or (rnd() < 0.7 and pick(macs) or pick(linuxes))
      return "Mozilla/5.0 (" .. os .. ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" .. v .. " Safari/537.36",
         hints("Google Chrome", major(v), false, platform_of(os))
   elseif r < 0.52 then  -- Chrome on Android phones
      local v = chrome_version()
      return "Mozilla/5.0 (Linux; Android " .. between(9, 14) .. "; " .. pick(androids)
         .. ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" .. v .. " Mobile Safari/537.36",
         hints("Google Chrome", major(v), true, "Android")
   elseif r < 0.70 then  -- Safari on iPhone and iPad
      local v = pick(ios)
      local major = v:match("^(%d+)")
      local device = rnd() < 0.85 and "iPhone; CPU iPhone OS " or "iPad; CPU OS "
      return "Mozilla/5.0 (" .. device .. v .. " like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/"
         .. major .. "." .. between(0, 6) .. " Mobile/15E148 Safari/604.1"
   elseif r < 0.78 then  -- Safari on macOS
      return "Mozilla/5.0 (" .. pick(macs) .. ") AppleWebKit/605.1.15 (KHTML, like Gecko) Version/"
         .. between(14, 17) .. "." .. between(0, 6) .. " Safari/605.1.15"
   elseif r < 0.88 then  -- Firefox desktop and Android
      local v = firefox_version()
      if rnd() < 0.8 then
         local os = rnd() < 0.6 and pick(windows) or (rnd() < 0.5 and pick(macs):gsub("_", ".") or pick(linuxes))
         return "Mozilla/5.0 (" .. os .. "; rv:" .. v .. ") Gecko/20100101 Firefox/" .. v
      end
      return "Mozilla/5.0 (Android " .. between(10, 14) .. "; Mobile; rv:" .. v .. ") Gecko/" .. v .. " Firefox/" .. v
   elseif r < 0.95 then  -- Edge on Windows
      local c = chrome_version()
      return "Mozilla/5.0 (" .. pick(windows) .. ") AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" .. c
         .. " Safari/537.36 Edg/" .. major(c) .. ".0." .. between(1000, 2500) .. "." .. between(0, 99),
         hints("Microsoft Edge", major(c), false, "Windows")
   else                  -- Samsung Internet
      local c = chrome_version()
      local samsung = between(16, 24)
      return "Mozilla/5.0 (Linux; Android " .. between(10, 14) .. "; " .. pick(androids)
         .. ") AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/" .. samsung .. "." .. between(0, 9)
         .. " Chrome/" .. c .. " Mobile Safari/537.36",
         hints("Samsung Internet", samsung, true, "Android")
   end
end

-- Distinct user agents, each with the client hints its browser sends (nil for none).
local function user_agents()
   local pool, seen = {}, {}
   while #pool < UA_POOL do
      local ua, ch = make_ua()
      if not seen[ua] then seen[ua] = true; pool[#pool + 1] = { ua = ua, hints = ch } end
   end
   return pool
end

---------------------------------------------------------------- addresses, pages, referrers

local function addresses()
   local prefixes = {}
   for i = 1, 400 do -- 400 /16s spread over the public space
      local a = pick({ 2, 5, 24, 31, 37, 46, 62, 66, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91,
                       92, 93, 94, 95, 98, 104, 109, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217 })
      prefixes[i] = a .. "." .. between(0, 255)
   end
   local ips = {}
   for i = 1, IPS do ips[i] = pick(prefixes) .. "." .. between(0, 255) .. "." .. between(1, 254) end
   return ips
end

local sections = { "blog", "docs", "products", "pricing", "about", "careers", "news", "help", "guides", "shop" }
local words = { "getting-started", "release-notes", "how-we-build", "privacy", "speed", "tracking", "pixels",
                "email-opens", "campaigns", "self-hosting", "backups", "metrics", "dashboard", "install",
                "upgrade", "faq", "contact", "team", "roadmap", "security", "api", "webhooks", "goals" }

local function pages()
   local list = { "/" }
   while #list < 400 do
      local path = "/" .. pick(sections) .. "/" .. pick(words)
      if rnd() < 0.5 then path = path .. "-" .. between(1, 40) end
      list[#list + 1] = path
   end
   return list
end

local search_terms = { "tracking pixel", "self hosted analytics", "email open tracking", "privacy analytics",
                       "speck pixel", "gdpr analytics", "open source web analytics", "utm builder" }

local function referrer()
   local r = rnd()
   if r < 0.40 then return nil end -- direct, or a stripped referrer
   if r < 0.65 then
      local q = urlencode(pick(search_terms))
      return pick({ "https://www.google.com/search?q=" .. q, "https://www.google.de/search?q=" .. q,
                    "https://www.bing.com/search?q=" .. q, "https://duckduckgo.com/?q=" .. q,
                    "https://search.yahoo.com/search?p=" .. q, "https://www.ecosia.org/search?q=" .. q })
   end
   if r < 0.80 then
      return pick({ "https://t.co/" .. between(100000, 999999), "https://www.facebook.com/", "https://l.facebook.com/l.php",
                    "https://www.linkedin.com/feed/", "https://www.reddit.com/r/selfhosted/comments/" .. between(1000, 9999),
                    "https://news.ycombinator.com/item?id=" .. between(30000000, 39999999), "https://www.instagram.com/" })
   end
   if r < 0.90 then return "https://example.com/" .. pick(sections) .. "/" .. pick(words) end -- internal
   return "https://" .. pick({ "blog.example.org", "forum.example.net", "newsletter.example.io", "github.com" })
      .. "/" .. pick(words)
end

local function utm()
   if rnd() > 0.15 then return "" end
   local sources = { { "newsletter", "email" }, { "google", "cpc" }, { "facebook", "paid_social" },
                     { "twitter", "social" }, { "partner", "referral" } }
   local s = pick(sources)
   return "?utm_source=" .. s[1] .. "&utm_medium=" .. s[2] .. "&utm_campaign=" .. pick({ "spring", "launch", "black-friday", "weekly-" .. between(1, 52) })
      .. (rnd() < 0.3 and "&utm_term=" .. urlencode(pick(search_terms)) or "")
end

local screens = { "1920x1080", "1366x768", "1536x864", "2560x1440", "1440x900", "390x844", "393x873", "412x915",
                  "414x896", "375x667", "360x800", "820x1180", "1280x720" }
local zones = { "Europe/Berlin", "Europe/London", "Europe/Paris", "America/New_York", "America/Los_Angeles",
                "America/Chicago", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo", "Europe/Madrid" }
local languages = { "en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.9", "en-GB,en;q=0.9", "es-ES,es;q=0.9",
                    "nl-NL,nl;q=0.9", "ja-JP,ja;q=0.9", "pt-BR,pt;q=0.9" }

---------------------------------------------------------------- wrk hooks

function init(args)
   if args[1] and args[1] ~= "" then pixel = args[1] end

   local uas, ips, paths = user_agents(), addresses(), pages()
   local ua_rank, ip_rank, page_rank = zipf_table(UA_POOL, 1.0), zipf_table(IPS, 0.6), zipf_table(#paths, 1.1)
   local distinct, hinted = {}, 0
   for i = 1, REQUESTS do
      -- Every user agent at least once (the long tail), the rest drawn by popularity.
      local agent = i <= UA_POOL and uas[i] or uas[zipf_pick(ua_rank)]
      local ua = agent.ua
      distinct[ua] = true
      local page = "https://example.com" .. paths[zipf_pick(page_rank)] .. utm()
      local ref = referrer()
      local title = "Example " .. page:match("^https://example.com/?([^?]*)"):gsub("[/-]", " ")
      local query = "u=" .. urlencode(page) .. (ref and "&r=" .. urlencode(ref) or "") .. "&t=" .. urlencode(title)
         .. "&sr=" .. pick(screens) .. "&tz=" .. urlencode(pick(zones))
      local headers = {
         ["Host"] = "pixel.example.com",
         ["User-Agent"] = ua,
         ["X-Forwarded-For"] = i <= IPS and ips[i] or ips[zipf_pick(ip_rank)],
         ["Accept"] = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8",
         ["Accept-Language"] = pick(languages),
         ["Referer"] = page,
      }
      if agent.hints then
         for name, value in pairs(agent.hints) do headers[name] = value end
         hinted = hinted + 1
      end
      requests[i] = wrk.format("GET", "/p/" .. pixel .. ".gif?" .. query, headers)
   end
   -- Shuffle so the long tail is spread over the cycle, not sent first.
   for i = #requests, 2, -1 do
      local j = math.floor(rnd() * i) + 1
      requests[i], requests[j] = requests[j], requests[i]
   end
   local n = 0
   for _ in pairs(distinct) do n = n + 1 end
   io.stderr:write(string.format("traffic.lua: %d prepared requests (%d with client hints), %d distinct user agents, %d addresses, %d pages%s\n",
      #requests, hinted, n, IPS, #paths, delay_ms and string.format(", %.2f ms between requests per connection", delay_ms) or ""))
end

function request()
   local r = requests[next_index]
   next_index = next_index < #requests and next_index + 1 or 1
   return r
end

-- wrk decides whether delay() exists when it loads the script, before init(): so the bound
-- comes from the environment, and delay() is only defined when it is set.
local env_delay = tonumber(os.getenv("TRAFFIC_DELAY_MS") or "")
if env_delay and env_delay > 0 then
   delay_ms = env_delay
   function delay()
      -- Dither the fraction so a 6.4 ms average really is 6.4 ms, not 6.
      local whole = math.floor(delay_ms)
      return whole + (rnd() < delay_ms - whole and 1 or 0)
   end
end
