# Sourced by bench/load.sh, bench/hostile.sh and bench/soak.sh: the JDK and Speck's JVM options,
# the build, a temp folder cleaned on exit, starting nginx and Speck, signing in, pixels, /metrics,
# RSS, wrk with bench/traffic.lua. Expects `here` (the repository) set and `set -euo pipefail`.
#
# Settings (environment) read here: SPECK_JAVA_OPTS (as for ./speck), SPECK_JAR (another build of
# Speck for an A/B run; not rebuilt), SPECK_ARGS (more arguments for `speck serve`), GEO_FROM (a geo
# folder installed once with `speck geo update --data-dir DIR`, i.e. DIR/geo, copied into the data
# folder instead of downloading the database again), KEEP_TMP (1: keep logs and data), WRK_CPU (1: the
# core wrk is pinned to), CONNECTIONS (64).

bench_name="$(basename "$0")"
say() { printf '%s\n' "$*" >&2; }
die() { say "$bench_name: $*"; exit 2; }

# ------------------------------------------------------------------ JDK, tools and build

# The JDK: JAVA_HOME, else Temurin 25 where installed (the benchmarks' figures were taken with it),
# else what ./speck would take. The JVM options are the launcher's (./speck), by what the JDK has.
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
. "$here/scripts/jdk.sh"
JAVA="$JAVA_HOME/bin/java"
SPECK_JAVA_OPTS_DEFAULT="-Xms64m -Xmx768m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:-ShrinkHeapInSteps -XX:NewRatio=4"
if "$JAVA" -XX:+UseCompactObjectHeaders -version >/dev/null 2>&1; then
  SPECK_JAVA_OPTS_DEFAULT="$SPECK_JAVA_OPTS_DEFAULT -XX:+UseCompactObjectHeaders"
fi
if "$JAVA" -XX:TrimNativeHeapInterval=30000 -version >/dev/null 2>&1; then # JDK 22+: the C heap trimmed every 30 s
  SPECK_JAVA_OPTS_DEFAULT="$SPECK_JAVA_OPTS_DEFAULT -XX:TrimNativeHeapInterval=30000"
fi
if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then # JDK 24+: Netty's fast path
  SPECK_JAVA_OPTS_DEFAULT="$SPECK_JAVA_OPTS_DEFAULT --sun-misc-unsafe-memory-access=allow"
fi
SPECK_JAVA_OPTS="${SPECK_JAVA_OPTS:-$SPECK_JAVA_OPTS_DEFAULT}"
WRK_CPU="${WRK_CPU:-1}"
CONNECTIONS="${CONNECTIONS:-64}"

# need_tools wrk [nginx]: installs what is missing from Debian (load.sh's way), or stops.
need_tools() {
  local missing=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    local sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
    $sudo_ apt-get update && $sudo_ apt-get install -y "${missing[@]}"
  fi
  command -v taskset >/dev/null 2>&1 || die "taskset (util-linux) is missing"
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
}

# Sets jar; builds Speck when its sources are newer than the jar (unless SPECK_JAR names one).
build_speck() {
  jar="${SPECK_JAR:-$here/target/speck-0.1.0-SNAPSHOT.jar}"
  if [ -z "${SPECK_JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit)" ]; }; then
    say "building Speck (mvn -DskipTests package) ..."
    mvn -q -B -DskipTests package >&2
  fi
}

# ------------------------------------------------------------------ temp folder, start and stop

# make_tmp PREFIX: the run's folder ($tmp); on exit nginx, Speck and the pids in bench_pids stop.
nginx_pid=""
speck_pid=""
bench_pids=()
make_tmp() {
  tmp="$(mktemp -d "/tmp/$1.XXXXXX")"
  chmod 755 "$tmp"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  local p
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
  fi
  if [ -n "$speck_pid" ] && kill -0 "$speck_pid" 2>/dev/null; then
    kill -TERM "$speck_pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$speck_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$speck_pid" 2>/dev/null || true
  fi
  if [ -n "$nginx_pid" ]; then
    for _ in $(seq 20); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
  if [ "${KEEP_TMP:-0}" = 1 ]; then say "logs and data kept in $tmp"; else rm -rf "$tmp"; fi
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p="$1"
  while port_taken "$p"; do p=$((p + 1)); done
  echo "$p"
}

# start_nginx PORT: nginx answering the pixel from memory (bench/nginx-empty-gif.conf) on a free port
# from PORT on; sets NGINX_PORT and nginx_pid. start_speck waits for it too.
start_nginx() {
  NGINX_PORT="$(free_port "$1")"
  mkdir -p "$tmp/nginx/logs"
  sed "s/127\.0\.0\.1:18080/127.0.0.1:$NGINX_PORT/" "$here/bench/nginx-empty-gif.conf" > "$tmp/nginx/nginx.conf"
  "$NGINX" -e "$tmp/nginx/logs/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g "pid $tmp/nginx/nginx.pid;" \
    > "$tmp/nginx/stdout.log" 2>&1 &
  nginx_pid=$!
}

# start_speck PORT: Speck on a free port from PORT on (not nginx's), data in $tmp/speck-data, the log in
# $tmp/speck.log; waits for /healthz. Sets SPECK_PORT, speck (its URL), speck_pid, admin_password.
start_speck() {
  SPECK_PORT="$(free_port "$1")"
  [ "$SPECK_PORT" = "${NGINX_PORT:-}" ] && SPECK_PORT="$(free_port $((SPECK_PORT + 1)))"
  admin_password="bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  if [ -n "${GEO_FROM:-}" ]; then # a geo folder installed once (speck geo update --data-dir DIR: DIR/geo)
    mkdir -p "$tmp/speck-data" && cp -r "$GEO_FROM" "$tmp/speck-data/geo"
  fi
  # The JVM itself, not the launcher script, so its pid gives the RSS. Same options as ./speck.
  # 127.0.0.1 is a trusted proxy: forwarding headers are read, as behind a real proxy.
  # shellcheck disable=SC2086
  "$JAVA" $SPECK_JAVA_OPTS --enable-native-access=ALL-UNNAMED -Duser.timezone=UTC \
    -jar "$jar" serve --port "$SPECK_PORT" --data-dir "$tmp/speck-data" \
    --set collect.trusted-proxies=127.0.0.1/32 --set access.admin-password="$admin_password" ${SPECK_ARGS:-} \
    > "$tmp/speck.log" 2>&1 &
  speck_pid=$!
  speck="http://127.0.0.1:$SPECK_PORT"
  for _ in $(seq 240); do
    curl -sf "$speck/healthz" >/dev/null 2>&1 && { [ -z "$nginx_pid" ] || port_taken "$NGINX_PORT"; } && break
    kill -0 "$speck_pid" 2>/dev/null || { cat "$tmp/speck.log" >&2; die "Speck did not start"; }
    if [ -n "$nginx_pid" ]; then
      kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/logs/error.log" >&2; die "nginx did not start"; }
    fi
    sleep 0.5
  done
  curl -sf "$speck/healthz" >/dev/null || die "Speck did not answer /healthz in 120 s"
}

# sign_in KEY-NAME: signs in as the admin once and makes a write key for all pixels; sets api_key and
# auth (curl's arguments for it).
sign_in() {
  local session csrf
  session="$(curl -sf -c "$tmp/cookies" -H 'Content-Type: application/json' -XPOST "$speck/api/session" \
    -d "{\"user\":\"admin\",\"password\":\"$admin_password\"}")" || die "could not sign in to Speck"
  csrf="$(printf '%s' "$session" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')"
  api_key="$(curl -sf -b "$tmp/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -XPOST "$speck/api/keys" -d "{\"name\":\"$1\",\"scope\":\"write\"}" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')"
  [ -n "$api_key" ] || die "could not make an API key"
  auth=(-H "Authorization: Bearer $api_key")
}

# make_triggers PIXEL N: N active triggers on the pixel, as a site would have them: most are started by pages
# and events of its own (bench/traffic.lua's paths: exact, and globs by section) and held back by their
# conditions (a country, a device); none of them sends anything. Prints how long making them took (s).
make_triggers() {
  local pixel="$1" n="$2" i when t0
  local sections=(blog docs products pricing about careers news help guides shop)
  local words=(getting-started release-notes how-we-build privacy speed tracking pixels email-opens campaigns
         self-hosting backups metrics dashboard install upgrade faq contact team roadmap security api webhooks goals)
  t0="$(date +%s%N)"
  for i in $(seq 1 "$n"); do
    case $((i % 5)) in
      0|1) when="{\"kind\":\"page\",\"path\":\"/${sections[i % 10]}/${words[i % 23]}\"}" ;;
      2) when="{\"kind\":\"page\",\"path\":\"/${sections[i % 10]}/*-$((i % 40 + 1))\"}" ;;
      3) when="{\"kind\":\"event\",\"name\":\"cta_$i\"}" ;;
      4) when="{\"kind\":\"page\",\"path\":\"/${sections[i % 10]}/*\"}" ;;
    esac
    curl -sf "${auth[@]}" -XPOST "$speck/api/pixels/$pixel/triggers" -o /dev/null -d "{\"name\":\"t$i\",\"who\":\"anyone\",
      \"when\":$when,\"conditions\":[{\"field\":\"country\",\"op\":\"is\",\"values\":[\"AQ\"]},
      {\"field\":\"device\",\"op\":\"in\",\"values\":[\"Tablet\",\"Phone\"]}],
      \"action\":{\"type\":\"webhook\",\"url\":\"https://hooks.example/t$i\"}}" || die "could not create trigger $i"
  done
  awk -v ns="$(( $(date +%s%N) - t0 ))" 'BEGIN { printf "%.1f\n", ns / 1e9 }'
}

pixel_id() { curl -sf "${auth[@]}" -XPOST "$speck/api/pixels" -d "{\"name\":\"$1\"}" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }

# ------------------------------------------------------------------ what Speck says

metric() { # sum of the samples of one metric (all label values)
  curl -sf "${auth[@]}" "$speck/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%.0f\n", s }'
}
metric_float() { curl -sf "${auth[@]}" "$speck/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$speck_pid/status"; }
rss_mb() { # VmRSS, and what it is made of: heap and native memory, mapped files (the journal), shared
  awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = sprintf("%.0f", $2 / 1024) }
       END { printf "%s (anon %s, file %s, shmem %s)\n", v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' \
    "/proc/$speck_pid/status"
}
stats_from="$(date -u -d '-30 days' +%F)"
stats_to="$(date -u -d '+1 day' +%F)"
events_of() { # events stored for a pixel, per its stats
  curl -sf "${auth[@]}" "$speck/api/pixels/$1/stats?from=$stats_from&to=$stats_to" \
    | grep -o '"events":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }'
}
wait_backlog() { # seconds until the journal backlog is 0 (gives up after $1 s)
  local waited=0
  while [ "$(metric speck_journal_backlog_bytes)" != 0 ] && [ "$waited" -lt "$1" ]; do sleep 1; waited=$((waited + 1)); done
  echo "$waited"
}
# warm_loader PIXEL: the loader builds the user-agent analyzer before its first batch: one stored hit
# means it is done, and later RSS includes it (as it would in production a minute after start).
warm_loader() {
  curl -sf -o /dev/null -A "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0" "$speck/p/$1.gif?u=https%3A%2F%2Fexample.com%2F"
  for _ in $(seq 240); do [ "$(metric speck_events_stored_total)" -ge 1 ] && break; sleep 0.5; done
}

# ------------------------------------------------------------------ wrk

# run_wrk URL PIXEL DURATION OUT-FILE [DELAY-MS]: wrk with bench/traffic.lua on core WRK_CPU; prints
# requests/s, completed requests, non-2xx, socket errors, p99 (ms). DELAY-MS: traffic.lua's pause per
# connection between requests (wrk cannot hold a rate; the pause holds it near CONNECTIONS/pause).
run_wrk() {
  local url="$1" pixel="$2" duration="$3" out="$4" delay="${5:-}"
  TRAFFIC_DELAY_MS="$delay" taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$duration" --latency \
    -s "$here/bench/traffic.lua" "$url" -- "$pixel" > "$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  wrk_summary "$out"
}
wrk_summary() { # OUT-FILE of wrk --latency: requests/s, completed requests, non-2xx, socket errors, p99 (ms)
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %d %d %d %.2f\n", rps, n, bad, err, p99 }' "$1"
}
# half_rate_delay RATE PROBE-RATE PLAIN-DELAY: the pause that holds RATE, given that PLAIN-DELAY gave
# PROBE-RATE (the pause does not count the answer's own latency).
half_rate_delay() {
  awk -v d="$3" -v p="$2" -v t="$1" -v c="$CONNECTIONS" \
    'BEGIN { x = c * 1000 / t - (c * 1000 / p - d); if (x < 0.05) x = 0.05; printf "%.3f", x }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
