#!/usr/bin/env bash
# A soak: Speck under realistic traffic (bench/traffic.lua, as load.sh sends it) at half its full-speed
# rate for an hour, in consecutive wrk runs of WINDOW seconds. After each window: the window's p99
# latency (wrk's own), Speck's VmRSS, the hits acknowledged so far and the journal backlog (/metrics).
# At the end it checks that every acknowledged hit was stored exactly once, prints the table and two
# verdicts:
#   RSS flat:     the last quarter's median VmRSS within RSS_TOLERANCE % of the second quarter's
#   latency flat: the last quarter's median p99 at most P99_TOLERANCE % (or 1 ms) above the second quarter's
# (the second quarter, not the first: the heap and DuckDB's caches grow into their size early on; a p99
# that falls is flat). The pause that holds half rate is set again after each window from its rate.
# Exits 1 when hits were lost or doubled or a verdict is "not flat".
#
#   bench/soak.sh                          1 h at half the measured rate
#   DURATION=3m bench/soak.sh              a short check that it works
#   RATE=20000 DURATION=2h bench/soak.sh   half of 20,000/s, no measuring
#
# Settings (environment): DURATION (1h; s, m or h), WINDOW (30: seconds per wrk run and sample),
# RATE (Speck's full-speed rate per second; measured when unset: WARMUP (10s) then MEASURE (15s) at
# full speed), CONNECTIONS (64), WRK_CPU (1), SPECK_PORT (18290), RSS_TOLERANCE (10), P99_TOLERANCE
# (25); SPECK_JAVA_OPTS, SPECK_JAR, SPECK_ARGS, GEO_FROM and KEEP_TMP as for bench/load.sh (bench/lib.sh).
# The table is also kept as soak.csv in the temp folder (KEEP_TMP=1).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

DURATION="${DURATION:-1h}"
WINDOW="${WINDOW:-30}"
WARMUP="${WARMUP:-10s}"
MEASURE="${MEASURE:-15s}"
SPECK_PORT="${SPECK_PORT:-18290}"
RSS_TOLERANCE="${RSS_TOLERANCE:-10}"
P99_TOLERANCE="${P99_TOLERANCE:-25}"
. "$here/bench/lib.sh"

seconds_of() { # 90, 90s, 3m, 1h -> seconds
  case "$1" in
    *h) echo $(( ${1%h} * 3600 )) ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
total_s="$(seconds_of "$DURATION")"
windows=$(( total_s / WINDOW ))
[ "$windows" -ge 2 ] || die "DURATION ($DURATION) must hold at least two windows of $WINDOW s"

need_tools wrk
build_speck
make_tmp speck-soak
start_speck "$SPECK_PORT"
sign_in soak
soak_pixel="$(pixel_id soak)"
warm_pixel="$(pixel_id warm-up)"
[ -n "$soak_pixel" ] && [ -n "$warm_pixel" ] || die "could not create the pixels"
warm_loader "$warm_pixel"
say "Speck on :$SPECK_PORT (pid $speck_pid), data in $tmp; cores $(nproc), wrk on core $WRK_CPU; load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "Speck RSS after start (analyzer built), MB: $(rss_mb)"

# ------------------------------------------------------------------ the rate (on the warm-up pixel)
if [ -z "${RATE:-}" ]; then
  run_wrk "$speck" "$warm_pixel" "$WARMUP" "$tmp/warm.txt" >/dev/null
  read -r RATE _ < <(run_wrk "$speck" "$warm_pixel" "$MEASURE" "$tmp/measure.txt")
  say "full speed: $RATE requests/s (wrk, $MEASURE after a ${WARMUP} warm-up)"
fi
target="$(awk -v r="$RATE" 'BEGIN { printf "%.0f", r / 2 }')"
delay="$(awk -v c="$CONNECTIONS" -v t="$target" 'BEGIN { printf "%.3f", c * 1000 / t }')"
read -r probe _ < <(run_wrk "$speck" "$warm_pixel" 5s "$tmp/probe.txt" "$delay")
delay="$(half_rate_delay "$target" "$probe" "$delay")"
say "half rate: target $target/s (probe at the plain pause: $probe/s; calibrated pause $delay ms per connection)"
say "storing the warm-up's backlog first: $(wait_backlog 600) s"

# ------------------------------------------------------------------ the soak
rejected_before="$(metric speck_hits_rejected_total)"
accepted_before="$(metric speck_hits_accepted_total)"
acked=0
t0="$(date +%s)"
echo "window,seconds,requests_per_s,acked_2xx,non_2xx,socket_errors,p99_ms,rss_mb,acked_total,accepted_total,backlog_bytes" > "$tmp/soak.csv"
say ""
say "$windows windows of $WINDOW s ($DURATION) at about $target/s:"
header="$(printf '%6s %7s %10s %9s %7s %7s %9s %8s %11s %11s %12s' window seconds "req/s" 2xx non-2xx sockerr "p99 ms" "RSS MB" acked "accepted" "backlog B")"
say "$header"
for w in $(seq "$windows"); do
  read -r rps n bad err p99 < <(run_wrk "$speck" "$soak_pixel" "${WINDOW}s" "$tmp/window-$w.txt" "$delay")
  [ -n "${n:-}" ] || die "wrk gave no result in window $w (see $tmp/window-$w.txt)"
  acked=$((acked + n - bad))
  rss="$(( $(rss_kb) / 1024 ))"
  accepted=$(( $(metric speck_hits_accepted_total) - accepted_before ))
  backlog="$(metric speck_journal_backlog_bytes)"
  elapsed=$(( $(date +%s) - t0 ))
  echo "$w,$elapsed,$rps,$((n - bad)),$bad,$err,$p99,$rss,$acked,$accepted,$backlog" >> "$tmp/soak.csv"
  say "$(printf '%6s %7s %10s %9s %7s %7s %9s %8s %11s %11s %12s' "$w" "$elapsed" "$rps" "$((n - bad))" "$bad" "$err" "$p99" "$rss" "$acked" "$accepted" "$backlog")"
  kill -0 "$speck_pid" 2>/dev/null || die "Speck died in window $w (see $tmp/speck.log)"
  # the pause again from this window's rate: holds the target over the hour (the 5 s probe alone is noisy)
  [ "${rps:-0}" -gt 0 ] && delay="$(half_rate_delay "$target" "$rps" "$delay")"
done

# ------------------------------------------------------------------ every hit stored once?
say ""
say "waiting for the loader to store the backlog ($(metric speck_journal_backlog_bytes) bytes) ..."
waited="$(wait_backlog 900)"
sleep 1
rejected=$(( $(metric speck_hits_rejected_total) - rejected_before ))
accepted=$(( $(metric speck_hits_accepted_total) - accepted_before ))
stored="$(events_of "$soak_pixel")"
stored_total="$(metric speck_events_stored_total)"
accepted_total="$(metric speck_hits_accepted_total)"
expected=$((acked - rejected))
slack=$((windows * CONNECTIONS))
say "backlog stored in ${waited} s; hits acknowledged (wrk 2xx, minus $rejected rejected): $expected; Speck accepted: $accepted; stored for the soak pixel: $stored"
say "all pixels: accepted $accepted_total, stored $stored_total; Speck RSS now, MB: $(rss_mb)"

# ------------------------------------------------------------------ verdicts
# quarter_median COLUMN FROM TO: the median of a column over windows [FROM, TO) (0-based, of $windows)
quarter_median() {
  awk -F, -v c="$1" -v lo="$2" -v hi="$3" 'NR > 1 && NR - 2 >= lo && NR - 2 < hi { print $c }' "$tmp/soak.csv" \
    | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
q2_from=$((windows / 4)); q2_to=$((windows / 2)); [ "$q2_to" -gt "$q2_from" ] || q2_to=$((q2_from + 1))
q4_from=$((windows * 3 / 4)); q4_to="$windows"; [ "$q4_from" -lt "$q4_to" ] || q4_from=$((q4_to - 1))
rss_q2="$(quarter_median 8 "$q2_from" "$q2_to")"; rss_q4="$(quarter_median 8 "$q4_from" "$q4_to")"
p99_q2="$(quarter_median 7 "$q2_from" "$q2_to")"; p99_q4="$(quarter_median 7 "$q4_from" "$q4_to")"
rss_flat="$(awk -v a="$rss_q2" -v b="$rss_q4" -v t="$RSS_TOLERANCE" 'BEGIN { d = b - a; if (d < 0) d = -d; print (d <= a * t / 100) ? "flat" : "not flat" }')"
p99_flat="$(awk -v a="$p99_q2" -v b="$p99_q4" -v t="$P99_TOLERANCE" 'BEGIN { m = a * t / 100; if (m < 1) m = 1; print (b - a <= m) ? "flat" : "not flat" }')"
say ""
say "RSS $rss_flat: median VmRSS ${rss_q2} MB in the second quarter (windows $((q2_from + 1))-$q2_to), ${rss_q4} MB in the last (windows $((q4_from + 1))-$q4_to); tolerance ${RSS_TOLERANCE} %"
say "latency $p99_flat: median p99 ${p99_q2} ms in the second quarter, ${p99_q4} ms in the last; tolerance ${P99_TOLERANCE} % or 1 ms higher"

status=0
if [ "$stored" != "$accepted" ] || [ "$stored_total" != "$accepted_total" ]; then
  say "FAIL: stored events differ from the hits Speck acknowledged"
  status=1
fi
# wrk stops counting at each window's end: the requests then in flight reached Speck and were stored.
if [ "$stored" -lt "$expected" ] || [ "$stored" -gt $((expected + slack)) ]; then
  say "FAIL: stored events ($stored) outside [wrk's $expected, $expected + $slack requests in flight at wrk's stops]"
  status=1
fi
[ "$status" = 0 ] && say "OK: every acknowledged hit stored exactly once ($((stored - expected)) were in flight when wrk stopped counting)"
[ "$rss_flat" = flat ] && [ "$p99_flat" = flat ] || status=1
exit "$status"
