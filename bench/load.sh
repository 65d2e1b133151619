#!/usr/bin/env bash
# Speck's collector under load, next to nginx answering the same pixel from memory (empty_gif,
# /work/shared/bench/nginx-empty-gif.conf, copied here as bench/nginx-empty-gif.conf).
#
# Alternates nginx and Speck runs (so a noisy neighbour hurts both alike), prints throughput, p99
# and the speck/nginx ratio, then a run at half Speck's rate for p99, and finally checks that
# every acknowledged hit was stored exactly once. Exits non-zero when hits were lost or doubled.
#
#   bench/load.sh                        3 rounds x {nginx, speck}, 15 s each
#   ROUNDS=5 DURATION=20s bench/load.sh
#
# Settings (environment): ROUNDS (3), DURATION (15s), WARMUP (10s), CONNECTIONS (64),
# WRK_CPU (1: the core wrk is pinned to; the servers may use every core), HALF_RATE (1: run it),
# PROBES (3) and PROBE_GAP (4: seconds before each): the visibility probes during the half-rate run
# (one that would start after the run is not sent),
# NGINX_PORT (18080), SPECK_PORT (18090; the next free one is taken when busy),
# SPECK_JAVA_OPTS (as for ./speck), SPECK_ARGS (more arguments for `speck serve`, e.g.
# "--set store.batch-size=20000"), KEEP_TMP (1: keep the logs and data in the temp folder),
# RSS_IDLE_WAIT (90: seconds of idle RSS samples after the load; 0: none), RSS_START_WAIT (40: seconds
# idle after start before the second idle sample, past the idle trim; 0: none), SPECK_JAR (another build
# of Speck for an A/B run, e.g. a copy of target/speck-*.jar made before a change; not rebuilt),
# GEO_FROM (a geo folder installed once with `speck geo update --data-dir DIR`, i.e. DIR/geo, copied
# into each run's data folder instead of downloading the database again), TRIGGERS (0: active triggers to
# create on the bench pixel first: page and event triggers held back by their conditions, none firing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

ROUNDS="${ROUNDS:-3}"
TRIGGERS="${TRIGGERS:-0}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
WRK_CPU="${WRK_CPU:-1}"
HALF_RATE="${HALF_RATE:-1}"
PROBES="${PROBES:-3}"
PROBE_GAP="${PROBE_GAP:-4}"
NGINX_PORT="${NGINX_PORT:-18080}"
SPECK_PORT="${SPECK_PORT:-18090}"
SPECK_JAVA_OPTS_DEFAULT="-Xms64m -Xmx768m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:-ShrinkHeapInSteps -XX:NewRatio=4"
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# The launcher's options (./speck), compact object headers included where the JDK has them.
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

say() { printf '%s\n' "$*" >&2; }
die() { say "load.sh: $*"; exit 2; }

# ------------------------------------------------------------------ tools and build

need_install=()
command -v wrk >/dev/null 2>&1 || need_install+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_install+=(nginx)
if [ ${#need_install[@]} -gt 0 ]; then
  say "installing ${need_install[*]} from Debian"
  sudo_=""; [ "$(id -u)" -ne 0 ] && sudo_="sudo"
  $sudo_ apt-get update && $sudo_ apt-get install -y "${need_install[@]}"
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
command -v taskset >/dev/null 2>&1 || die "taskset (util-linux) is missing"

jar="${SPECK_JAR:-$here/target/speck-0.1.0-SNAPSHOT.jar}"
if [ -z "${SPECK_JAR:-}" ] && { [ ! -f "$jar" ] || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit)" ]; }; then
  say "building Speck (mvn -DskipTests package) ..."
  mvn -q -B -DskipTests package >&2
fi

# ------------------------------------------------------------------ start and stop

tmp="$(mktemp -d /tmp/speck-load.XXXXXX)"
chmod 755 "$tmp"
nginx_pid=""
speck_pid=""
cleanup() {
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
trap cleanup EXIT
trap 'exit 130' INT TERM

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p="$1"
  while port_taken "$p"; do p=$((p + 1)); done
  echo "$p"
}

NGINX_PORT="$(free_port "$NGINX_PORT")"
mkdir -p "$tmp/nginx/logs"
sed "s/127\.0\.0\.1:18080/127.0.0.1:$NGINX_PORT/" "$here/bench/nginx-empty-gif.conf" > "$tmp/nginx/nginx.conf"
"$NGINX" -e "$tmp/nginx/logs/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g "pid $tmp/nginx/nginx.pid;" \
  > "$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!

SPECK_PORT="$(free_port "$SPECK_PORT")"
[ "$SPECK_PORT" = "$NGINX_PORT" ] && SPECK_PORT="$(free_port $((SPECK_PORT + 1)))"
admin_password="bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
if [ -n "${GEO_FROM:-}" ]; then # a geo folder installed once (speck geo update --data-dir DIR: DIR/geo)
  mkdir -p "$tmp/speck-data" && cp -r "$GEO_FROM" "$tmp/speck-data/geo"
fi
# The JVM itself, not the launcher script, so its pid gives the RSS. Same options as ./speck.
# shellcheck disable=SC2086
"$JAVA" $SPECK_JAVA_OPTS --enable-native-access=ALL-UNNAMED -Duser.timezone=UTC \
  -jar "$jar" serve --port "$SPECK_PORT" --data-dir "$tmp/speck-data" \
  --set collect.trusted-proxies=127.0.0.1/32 --set access.admin-password="$admin_password" ${SPECK_ARGS:-} \
  > "$tmp/speck.log" 2>&1 &
speck_pid=$!

speck="http://127.0.0.1:$SPECK_PORT"
for _ in $(seq 120); do
  curl -sf "$speck/healthz" >/dev/null 2>&1 && port_taken "$NGINX_PORT" && break
  kill -0 "$speck_pid" 2>/dev/null || { cat "$tmp/speck.log" >&2; die "Speck did not start"; }
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/logs/error.log" >&2; die "nginx did not start"; }
  sleep 0.5
done
curl -sf "$speck/healthz" >/dev/null || die "Speck did not answer /healthz in 60 s"

# The API needs a credential: sign in as the admin once, make a write key for all pixels, use it.
session="$(curl -sf -c "$tmp/cookies" -H 'Content-Type: application/json' -XPOST "$speck/api/session" \
  -d "{\"user\":\"admin\",\"password\":\"$admin_password\"}")" || die "could not sign in to Speck"
csrf="$(printf '%s' "$session" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')"
api_key="$(curl -sf -b "$tmp/cookies" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -XPOST "$speck/api/keys" -d '{"name":"bench","scope":"write"}' | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')"
[ -n "$api_key" ] || die "could not make an API key"
auth=(-H "Authorization: Bearer $api_key")
pixel_id() { curl -sf "${auth[@]}" -XPOST "$speck/api/pixels" -d "{\"name\":\"$1\"}" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }
bench_pixel="$(pixel_id bench)"
warm_pixel="$(pixel_id warm-up)"
[ -n "$bench_pixel" ] && [ -n "$warm_pixel" ] || die "could not create the pixels"
if [ "$TRIGGERS" -gt 0 ]; then
  # Active triggers on the bench pixel, as a site would have them: most are started by pages and events
  # of its own and held back by their conditions (a country, a device); none of them sends anything here.
  sections=(blog docs products pricing about careers news help guides shop)
  words=(getting-started release-notes how-we-build privacy speed tracking pixels email-opens campaigns
         self-hosting backups metrics dashboard install upgrade faq contact team roadmap security api webhooks goals)
  for i in $(seq 1 "$TRIGGERS"); do
    case $((i % 5)) in
      0|1) when="{\"kind\":\"page\",\"path\":\"/${sections[i % 10]}/${words[i % 23]}\"}" ;;
      2) when="{\"kind\":\"page\",\"path\":\"/${sections[i % 10]}/*-$((i % 40 + 1))\"}" ;;
      3) when="{\"kind\":\"event\",\"name\":\"cta_$i\"}" ;;
      4) when="{\"kind\":\"page\",\"path\":\"/${sections[i % 10]}/*\"}" ;;
    esac
    curl -sf "${auth[@]}" -XPOST "$speck/api/pixels/$bench_pixel/triggers" -o /dev/null -d "{\"name\":\"t$i\",\"who\":\"anyone\",
      \"when\":$when,\"conditions\":[{\"field\":\"country\",\"op\":\"is\",\"values\":[\"AQ\"]},
      {\"field\":\"device\",\"op\":\"in\",\"values\":[\"Tablet\",\"Phone\"]}],
      \"action\":{\"type\":\"webhook\",\"url\":\"https://hooks.example/t$i\"}}" || die "could not create trigger $i"
  done
  say "$TRIGGERS active triggers on the bench pixel"
fi

metric() { # sum of the samples of one metric (all label values)
  curl -sf "${auth[@]}" "$speck/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%.0f\n", s }'
}
metric_float() { curl -sf "${auth[@]}" "$speck/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
rss_mb() { # VmRSS, and what it is made of: heap and native memory, mapped files (the journal), shared
  awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { v[$1] = sprintf("%.0f", $2 / 1024) }
       END { printf "%s (anon %s, file %s, shmem %s)\n", v["VmRSS:"], v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' \
    "/proc/$speck_pid/status"
}
# CPU seconds (user + system) of every thread of Speck and of the nginx worker: "pid tid seconds name".
cpu_snapshot() {
  local pid t
  for pid in "$speck_pid" $(pgrep -P "$nginx_pid" || true); do
    for t in /proc/"$pid"/task/*; do
      # The name may hold spaces: the fields after it start after the last ")".
      awk -v pid="$pid" -v tid="${t##*/}" -v name="$(cat "$t/comm" 2>/dev/null)" \
        '{ sub(/.*\) /, ""); printf "%s %s %.2f %s\n", pid, tid, ($12 + $13) / 100, name }' "$t/stat" 2>/dev/null || true
    done
  done > "$1"
}
# First line: CPU microseconds per request of the process that served; then its threads by CPU,
# grouped by name (the event loops share one), as seconds and share of one core.
cpu_report() { # before after requests server
  awk -v requests="$3" -v w="$4" -v dur="${DURATION%s}" -v speck="$speck_pid" '
    NR == FNR { before[$2] = $3; next }
    { d = $3 - before[$2]; name = $4; for (i = 5; i <= NF; i++) name = name " " $i
      sub(/-[0-9]+-[0-9]+$/, "-*", name); sub(/#[0-9]+$/, "#*", name)
      who = ($1 == speck) ? "speck" : "nginx"; total[who] += d; byname[who "\t" name] += d }
    END {
      printf "%.1f us CPU/request (%.1f CPU s for %d requests)\n", total[w] * 1e6 / requests, total[w], requests
      for (k in byname) { split(k, a, "\t"); if (a[1] == w && byname[k] >= 0.05)
        printf "  %7.2f s  %5.1f%%  %s\n", byname[k], 100 * byname[k] / dur, a[2] }
    }' "$1" "$2" | { IFS= read -r first; echo "$first"; sort -rn -k1; }
}
events_of() { # events stored for a pixel, per its stats
  curl -sf "${auth[@]}" "$speck/api/pixels/$1/stats?from=$(date -u -d '-30 days' +%F)&to=$(date -u -d '+1 day' +%F)" \
    | grep -o '"events":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }'
}
visibility_probes() { # ms from a hit's acknowledgement until the stats count it; PROBES probes, PROBE_GAP s apart
  local i before t0 now ends
  ends=$(($(date +%s) + ${DURATION%s}))
  for i in $(seq "$PROBES"); do
    sleep "$PROBE_GAP"
    # only while the half-rate traffic runs: a probe after it says nothing about the load
    [ "$(date +%s)" -lt "$ends" ] || { echo "probe $i: not sent, the run had ended" >> "$tmp/visibility-state.txt"; continue; }
    before="$(events_of "$warm_pixel")"
    t0="$(date +%s%N)"
    # a person's browser: reports count people only, so curl's own agent would never show up in stats
    curl -sf -o /dev/null -A "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" \
      "$speck/p/$warm_pixel.gif?u=https%3A%2F%2Fprobe.example%2F$i"
    while [ "$(events_of "$warm_pixel")" -le "$before" ]; do
      [ $(($(date +%s%N) - t0)) -gt 60000000000 ] && { echo ">60000"; continue 2; }
      sleep 0.05
    done
    now="$(date +%s%N)"
    echo "$(((now - t0) / 1000000))"
    # what the loader was doing: standing back for a burst, or behind (backlog bytes)
    echo "probe $i: deferring $(metric speck_loader_deferring), backlog $(metric speck_journal_backlog_bytes) bytes" >> "$tmp/visibility-state.txt"
  done
}
wait_backlog() { # seconds until the journal backlog is 0 (gives up after $1 s)
  local waited=0
  while [ "$(metric speck_journal_backlog_bytes)" != 0 ] && [ "$waited" -lt "$1" ]; do sleep 1; waited=$((waited + 1)); done
  echo "$waited"
}

if [ "${EXPERIMENT_IDLE_LOADER:-0}" = 1 ]; then # an experiment: the loader and DuckDB's threads at SCHED_IDLE
  for t in /proc/"$speck_pid"/task/*; do
    case "$(cat "$t/comm")" in speck-loader|java) chrt --idle -p 0 "${t##*/}" >/dev/null 2>&1 || true ;; esac
  done
fi
# The loader builds the user-agent analyzer before its first batch: one stored hit means it is
# done, and the idle RSS includes it (as it would in production a minute after start).
curl -sf -o /dev/null -A "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0" "$speck/p/$warm_pixel.gif?u=https%3A%2F%2Fexample.com%2F"
for _ in $(seq 240); do [ "$(metric speck_events_stored_total)" -ge 1 ] && break; sleep 0.5; done
sleep 2
rss_idle="$(rss_mb)"
# Idle means a while without hits: by then the idle trim (memory.idle-trim-after, 30 s) has run.
if [ "${RSS_START_WAIT:-40}" -gt 0 ]; then
  sleep "${RSS_START_WAIT:-40}"
  rss_idle="${rss_idle}; ${RSS_START_WAIT:-40} s later $(rss_mb)"
fi

say "nginx $("$NGINX" -v 2>&1 | sed 's/.*\///') on :$NGINX_PORT (pid $nginx_pid), Speck on :$SPECK_PORT (pid $speck_pid), data in $tmp"
say "cores: $(nproc), wrk pinned to core $WRK_CPU (taskset), servers unpinned; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
say "Speck RSS idle after start (analyzer built), MB: ${rss_idle}"

# ------------------------------------------------------------------ runs

# Runs wrk and prints: requests/s, completed requests, non-2xx, socket errors, p99 (ms).
run_wrk() { # url pixel duration out-file [delay-ms]
  local url="$1" pixel="$2" duration="$3" out="$4" delay="${5:-}"
  TRAFFIC_DELAY_MS="$delay" taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$duration" --latency \
    -s "$here/bench/traffic.lua" "$url" -- "$pixel" > "$out" 2>&1 || { cat "$out" >&2; die "wrk failed"; }
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %d %d %d %.2f\n", rps, n, bad, err, p99 }' "$out"
}

say ""
say "warming up: ${WARMUP} each (nginx, then Speck on a pixel of its own)"
run_wrk "http://127.0.0.1:$NGINX_PORT" "$warm_pixel" "$WARMUP" "$tmp/warm-nginx.txt" >/dev/null
run_wrk "$speck" "$warm_pixel" "$WARMUP" "$tmp/warm-speck.txt" >/dev/null
grep -h 'traffic.lua:' "$tmp/warm-speck.txt" >&2 || true

rejected_before="$(metric speck_hits_rejected_total)"
accepted_before="$(metric speck_hits_accepted_total)"
acked=0        # 2xx answers wrk counted in Speck runs on the bench pixel
speck_runs=0
nginx_rates=()
speck_rates=()
speck_p99s=()
settles=()
ratios=()
say ""
printf '%-6s %-6s %12s %12s %9s %9s %10s\n' round server "requests/s" "2xx" "non-2xx" "sock-err" "p99 ms" >&2
for round in $(seq "$ROUNDS"); do
  for server in nginx speck; do
    if [ "$server" = nginx ]; then url="http://127.0.0.1:$NGINX_PORT"; else url="$speck"; fi
    cpu_snapshot "$tmp/cpu-before.txt"
    read -r rps n bad err p99 < <(run_wrk "$url" "$bench_pixel" "$DURATION" "$tmp/run-$round-$server.txt")
    [ -n "${n:-}" ] || die "wrk gave no result for $server (see above)"
    cpu_snapshot "$tmp/cpu-after.txt"
    cpu_report "$tmp/cpu-before.txt" "$tmp/cpu-after.txt" "$n" "$server" > "$tmp/cpu-$round-$server.txt"
    printf '%-6s %-6s %12s %12s %9s %9s %10s\n' "$round" "$server" "$rps" "$((n - bad))" "$bad" "$err" "$p99" >&2
    if [ "$server" = nginx ]; then
      nginx_rates+=("$rps")
    else
      # Let the loader store this run's backlog first, so that the next nginx run does not share
      # the CPU with Speck's background work.
      settle=$(wait_backlog 300)
      say "       (Speck's loader stored the run's backlog in ${settle} s after wrk stopped)"
      settles+=("$settle")
      cpu_snapshot "$tmp/cpu-settled.txt"
      cpu_report "$tmp/cpu-before.txt" "$tmp/cpu-settled.txt" "$n" speck > "$tmp/cpu-$round-speck-stored.txt"
      speck_rates+=("$rps")
      acked=$((acked + n - bad))
      speck_runs=$((speck_runs + 1))
      ratios+=("$(awk -v s="$rps" -v g="${nginx_rates[-1]}" 'BEGIN { printf "%.3f", s / g }')")
      speck_p99s+=("$p99")
    fi
  done
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
speck_median="$(median "${speck_rates[@]}")"
say ""
say "nginx requests/s: median $(median "${nginx_rates[@]}"), range $(range "${nginx_rates[@]}")"
say "Speck requests/s: median $speck_median, range $(range "${speck_rates[@]}"); p99 ms: median $(median "${speck_p99s[@]}"), range $(range "${speck_p99s[@]}")"
say "speck/nginx ratio per round: ${ratios[*]}; median $(median "${ratios[@]}") (issue minimum 0.60, aim 0.75)"
say "seconds the loader needed after each Speck run to store its backlog: ${settles[*]}"

say ""
say "CPU per answered request (all threads of the process, /proc/PID/task/*/stat), per round:"
for round in $(seq "$ROUNDS"); do
  say "  round $round: nginx $(head -1 "$tmp/cpu-$round-nginx.txt")"
  say "           Speck $(head -1 "$tmp/cpu-$round-speck.txt") during the run"
  say "           Speck $(head -1 "$tmp/cpu-$round-speck-stored.txt") until the run's hits were stored"
done
say "Speck's threads in the last run (CPU seconds, share of one core over the run's ${DURATION}):"
tail -n +2 "$tmp/cpu-$ROUNDS-speck.txt" | head -12 >&2
say "... and from the run's start until its hits were stored (share still relative to the run's ${DURATION}):"
tail -n +2 "$tmp/cpu-$ROUNDS-speck-stored.txt" | head -8 >&2
say "nginx's worker in the last run: $(tail -n +2 "$tmp/cpu-$ROUNDS-nginx.txt" | head -3 | tr -s ' ' | tr '\n' ';')"

if [ "$HALF_RATE" = 1 ]; then
  # wrk cannot hold a rate (wrk2 is not packaged): traffic.lua's delay() makes each connection
  # pause CONNECTIONS/target seconds between requests, which holds the rate near the target.
  # The pause does not count the answer's own latency, so a 5 s probe calibrates it first.
  target="$(awk -v r="$speck_median" 'BEGIN { printf "%.0f", r / 2 }')"
  delay="$(awk -v c="$CONNECTIONS" -v t="$target" 'BEGIN { printf "%.3f", c * 1000 / t }')"
  read -r probe _ < <(run_wrk "$speck" "$bench_pixel" 5s "$tmp/run-probe-speck.txt" "$delay")
  n_probe="$(awk '/ requests in / { print $1 }' "$tmp/run-probe-speck.txt")"
  acked=$((acked + n_probe - $(awk '/Non-2xx/ { print $NF }' "$tmp/run-probe-speck.txt" | grep . || echo 0)))
  speck_runs=$((speck_runs + 1))
  delay="$(awk -v d="$delay" -v p="$probe" -v t="$target" -v c="$CONNECTIONS" \
    'BEGIN { x = c * 1000 / t - (c * 1000 / p - d); if (x < 0.05) x = 0.05; printf "%.3f", x }')"
  # While it runs: how long until the read API counts a hit (a hit on the quiet warm-up pixel, behind
  # the half-rate traffic in the journal), three times; the issue asks for 2 s.
  visibility_probes > "$tmp/visibility.txt" &
  probes_pid=$!
  read -r rps n bad err p99 < <(run_wrk "$speck" "$bench_pixel" "$DURATION" "$tmp/run-half-speck.txt" "$delay")
  wait "$probes_pid" || true
  acked=$((acked + n - bad))
  speck_runs=$((speck_runs + 1))
  say ""
  say "Speck at about half its rate: target $target/s (probe at the plain pause: $probe/s; calibrated pause ${delay} ms per connection), got $rps/s, p99 $p99 ms"
  grep -A5 'Latency Distribution' "$tmp/run-half-speck.txt" | sed 's/^/  /' >&2
  say "  a hit visible in the read API (stats) after, ms: $(tr '\n' ' ' < "$tmp/visibility.txt")(target < 2000)"
  [ -f "$tmp/visibility-state.txt" ] && sed 's/^/    /' "$tmp/visibility-state.txt" >&2
fi

# ------------------------------------------------------------------ every hit stored?

say ""
say "waiting for the loader to store the backlog ($(metric speck_journal_backlog_bytes) bytes) ..."
waited=$(wait_backlog 600)
sleep 1
say "backlog $(metric speck_journal_backlog_bytes) bytes after ${waited} s"
rejected=$(( $(metric speck_hits_rejected_total) - rejected_before ))
# less the visibility probes' hits, which went to the warm-up pixel
probes=0; [ -f "$tmp/visibility.txt" ] && probes="$(wc -l < "$tmp/visibility.txt")"
accepted=$(( $(metric speck_hits_accepted_total) - accepted_before - probes ))
from="$(date -u -d '-30 days' +%F)"; to="$(date -u -d '+1 day' +%F)"
stored="$(curl -sf "${auth[@]}" "$speck/api/pixels/$bench_pixel/stats?from=$from&to=$to" \
  | grep -o '"events":[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }')"
stored_total="$(metric speck_events_stored_total)"
accepted_total="$(metric speck_hits_accepted_total)"
ua_ratio="$(metric_float speck_user_agent_cache_hit_ratio)"
rss_after="$(rss_mb)"
expected=$((acked - rejected))
slack=$((speck_runs * CONNECTIONS))

say "hits acknowledged (wrk 2xx in $speck_runs Speck runs, minus $rejected counted rejections): $expected"
say "hits Speck acknowledged (speck_hits_accepted_total during those runs):           $accepted"
say "events stored for the bench pixel (GET /api/pixels/{id}/stats):                  $stored"
say "all pixels: accepted $accepted_total, stored $stored_total (speck_events_stored_total)"
say "user-agent cache hit ratio: $ua_ratio"
say "Speck RSS (VmRSS, MB): idle after start ${rss_idle}; after the load ${rss_after}"
# Idle after the burst: the heap trimmer (memory.idle-trim-after) gives the heap grown under load
# back once no hit has come for a while. Samples every 15 s until RSS_IDLE_WAIT (90 s) has passed.
if [ "${RSS_IDLE_WAIT:-90}" -gt 0 ]; then
  samples=()
  # Each sample's /proc/PID/smaps stays in the temp folder (KEEP_TMP=1): which mapping grew or shrank.
  for i in $(seq $(( (${RSS_IDLE_WAIT:-90} + 14) / 15 ))); do
    sleep 15; samples+=("$(rss_mb | cut -d' ' -f1)"); cp "/proc/$speck_pid/smaps" "$tmp/smaps-idle-$i" 2>/dev/null || true
  done
  say "Speck RSS idle after the load (VmRSS, MB, every 15 s): ${samples[*]}; last: $(rss_mb)"
  # What the idle trims did, and the heap's shape now: where an idle RSS over the target comes from.
  grep -o 'memory: idle.*' "$tmp/speck.log" | sed 's/^/  /' >&2 || true
  jcmd="$(dirname "$JAVA")/jcmd"
  [ -x "$jcmd" ] && "$jcmd" "$speck_pid" GC.heap_info 2>/dev/null | grep -E 'total|space' | sed 's/^ */  heap now: /' >&2 || true
  # With -XX:NativeMemoryTracking=summary in SPECK_JAVA_OPTS: the JVM's own share of the RSS by
  # category (what it does not list, DuckDB's and other native libraries' malloc, is the rest).
  [ -x "$jcmd" ] && "$jcmd" "$speck_pid" VM.native_memory summary 2>/dev/null \
    | grep -E '^(Total|-? *[A-Z][A-Za-z ]+ \(reserved)' | sed 's/^ *-* */  native now: /' >&2 || true
  say "DuckDB's buffer manager holds $(metric speck_store_memory_bytes | awk '{ printf "%.0f", $1 / 1048576 }') MB"
fi

status=0
if [ "$stored" != "$accepted" ] || [ "$stored_total" != "$accepted_total" ]; then
  say "FAIL: stored events differ from the hits Speck acknowledged"
  status=1
fi
# wrk stops counting at its deadline: the requests then in flight (at most one per connection
# per run) reached Speck and were stored, but wrk never read their answers.
if [ "$stored" -lt "$expected" ] || [ "$stored" -gt $((expected + slack)) ]; then
  say "FAIL: stored events ($stored) outside [wrk's $expected, $expected + $slack requests in flight at wrk's stops]"
  status=1
fi
[ "$status" = 0 ] && say "OK: every acknowledged hit stored exactly once ($((stored - expected)) were in flight when wrk stopped counting)"
exit "$status"
