#!/usr/bin/env bash
# Hostile input against a running Speck: at least a million mutated real hits (the hit endpoints
# /p/{id}.gif, /p/{id}/events, /o/{id}.gif, /l/{code}, and some API paths; bench/hostile.lua), then
# a known number of valid hits that each carry one bad optional field. Reports:
#   - answers by status class, and the 5xx count (must be 0);
#   - events stored for a pixel that only got hits that must be refused, and events stored for no
#     existing pixel (both must be 0);
#   - of the hits with only a bad optional field, how many were stored (must be all);
#   - Speck's RSS over time (VmRSS every RSS_EVERY seconds into rss.csv): start, peak, end.
# Exits non-zero when a check fails.
#
#   bench/hostile.sh                                   1M requests, 32 connections
#   TOTAL=200000 CONNECTIONS=16 GEO_FROM=DIR/geo bench/hostile.sh
#
# Settings (environment): TOTAL (1000000), DURATION (60m: wrk stops then even short of TOTAL), CONNECTIONS (32), OPTIONAL (2000: hits with one bad
# optional field), RSS_EVERY (2), SETTLE (30: idle seconds after the load before the end RSS),
# SPECK_PORT (18190), SPECK_JAVA_OPTS and SPECK_JAR and GEO_FROM as for bench/load.sh, WRK_CPU (1),
# KEEP_TMP (1: keep logs, data and rss.csv). What it shares with load.sh and soak.sh is in bench/lib.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

TOTAL="${TOTAL:-1000000}"
DURATION="${DURATION:-60m}"
CONNECTIONS="${CONNECTIONS:-32}"
OPTIONAL="${OPTIONAL:-2000}"
RSS_EVERY="${RSS_EVERY:-2}"
SETTLE="${SETTLE:-30}"
SPECK_PORT="${SPECK_PORT:-18190}"
. "$here/bench/lib.sh"

need_tools wrk
build_speck
make_tmp speck-hostile
start_speck "$SPECK_PORT"
sign_in hostile
hostile_pixel="$(pixel_id hostile)"
refused_pixel="$(pixel_id refused-only)"
optional_pixel="$(pixel_id bad-optional-only)"
[ -n "$hostile_pixel" ] && [ -n "$refused_pixel" ] && [ -n "$optional_pixel" ] || die "could not create the pixels"
link_code="$(curl -sf "${auth[@]}" -XPOST "$speck/api/links" \
  -d "{\"pixel\":\"$hostile_pixel\",\"destination\":\"https://shop.example/sale\",\"utm\":{\"utm_campaign\":\"spring\"}}" \
  | sed -n 's/.*"code":"\([^"]*\)".*/\1/p')"
[ -n "$link_code" ] || die "could not create a tracked link"

# Stored events of a pixel, non-human traffic included where reports can leave it out.
events_of() {
  local out
  out="$(curl -sf "${auth[@]}" "$speck/api/pixels/$1/stats?from=$stats_from&to=$stats_to&traffic=all" 2>/dev/null)" \
    || out="$(curl -sf "${auth[@]}" "$speck/api/pixels/$1/stats?from=$stats_from&to=$stats_to")"
  printf '%s' "$out" | { grep -o '"events":[0-9]*' || true; } | awk -F: '{ s += $2 } END { print s + 0 }'
}

warm_loader "$hostile_pixel"
t0="$(date +%s)"
echo "seconds,rss_mb" > "$tmp/rss.csv"
( while kill -0 "$speck_pid" 2>/dev/null; do
    echo "$(( $(date +%s) - t0 )),$(( $(rss_kb) / 1024 ))" >> "$tmp/rss.csv"; sleep "$RSS_EVERY"
  done ) &
sampler_pid=$!
bench_pids+=("$sampler_pid")
rss_start=$(( $(rss_kb) / 1024 ))
say "Speck on :$SPECK_PORT (pid $speck_pid), data in $tmp; cores $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "pixels: hostile $hostile_pixel, refused-only $refused_pixel, bad-optional-only $optional_pixel; link $link_code; RSS at start ${rss_start} MB"

# ------------------------------------------------------------------ 1. the hostile mix
say "sending $TOTAL hostile requests over $CONNECTIONS connections ..."
start=$(date +%s)
taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s -s "$here/bench/hostile.lua" "$speck" -- \
  "$TOTAL" "$hostile_pixel" "$refused_pixel" "$link_code" "$api_key" > "$tmp/wrk.txt" 2>&1 || { cat "$tmp/wrk.txt" >&2; die "wrk failed"; }
took=$(( $(date +%s) - start ))
summary="$(grep '^hostile:' "$tmp/wrk.txt" | tail -1)"
errors="$(grep -E 'Socket errors' "$tmp/wrk.txt" || echo 'Socket errors: none')"
fivexx="$(printf '%s' "$summary" | sed -n 's/.* 5xx=\([0-9]*\).*/\1/p')"
answered="$(printf '%s' "$summary" | sed -n 's/.*answered=\([0-9]*\).*/\1/p')"
say "$summary in ${took} s; ${errors}"
kill -0 "$speck_pid" 2>/dev/null || die "Speck died under the hostile mix (see $tmp/speck.log)"

# ------------------------------------------------------------------ 2. one bad optional field each
# Valid hits (image and beacon) that each carry exactly one bad optional field; every one must be stored.
say "sending $OPTIONAL valid hits with one bad optional field each ..."
bad_params=("tz=%2B05%3A00" "sr=abc" "lang=en_US%21" "consent=maybe" "fpid=short" "r=android-app%3A%2F%2Fcom.google.android.gm%2F"
  "r=javascript%3Aalert(1)" "v=abc" "cur=euro" "p.=x" "u=ftp%3A%2F%2Fx.example%2F" "sr=99999999x1")
bad_fields=('"tz":"+05:00"' '"screen":5' '"lang":"??"' '"consent":"maybe"' '"fpid":"short"' '"referrer":"ftp://x.example/"'
  '"props":[1,2]' '"value":"abc"' '"currency":"euro"' '"identity":"cust-42"' '"url":"javascript:alert(1)"' '"title":{"a":1}')
: > "$tmp/optional-urls.txt"
: > "$tmp/optional-beacons.txt"
for i in $(seq "$OPTIONAL"); do
  if [ $((i % 2)) = 0 ]; then
    printf 'url = "%s"\noutput = /dev/null\n' "$speck/p/$optional_pixel.gif?u=https%3A%2F%2Fshop.example%2Fopt-$i&${bad_params[$((i % ${#bad_params[@]}))]}" >> "$tmp/optional-urls.txt"
  else
    echo "{\"type\":\"page_view\",\"url\":\"https://shop.example/opt-$i\",${bad_fields[$((i % ${#bad_fields[@]}))]}}" >> "$tmp/optional-beacons.txt"
  fi
done
# one curl for all image hits (one connection, kept alive)
image_ok="$(curl -s -w '%{http_code}\n' -K "$tmp/optional-urls.txt" | grep -c '^200$' || true)"
beacon_ok=0
while IFS= read -r body; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' -XPOST "$speck/p/$optional_pixel/events" --data-binary "$body")"
  if [ "$code" = 202 ]; then beacon_ok=$((beacon_ok + 1)); else echo "$code $body" >> "$tmp/optional-refused.txt"; fi
done < "$tmp/optional-beacons.txt"

# ------------------------------------------------------------------ 3. what was stored
say "waiting for the loader to store the backlog ($(metric speck_journal_backlog_bytes) bytes) ..."
wait_backlog 900 >/dev/null
sleep 2
stored_hostile="$(events_of "$hostile_pixel")"
stored_refused="$(events_of "$refused_pixel")"
stored_optional="$(events_of "$optional_pixel")"
stored_total="$(metric speck_events_stored_total)"
accepted_total="$(metric speck_hits_accepted_total)"
dropped="$(curl -sf "${auth[@]}" "$speck/metrics" | grep '^speck_hit_fields_dropped_total' | sort -t' ' -k2 -rn | head -6 | tr '\n' ';' || true)"
no_pixel=$(( stored_total - stored_hostile - stored_refused - stored_optional ))
sleep "$SETTLE"
rss_end=$(( $(rss_kb) / 1024 ))
kill "$sampler_pid" 2>/dev/null || true
rss_peak="$(tail -n +2 "$tmp/rss.csv" | cut -d, -f2 | sort -n | tail -1)"
samples="$(tail -n +2 "$tmp/rss.csv" | awk -F, 'NR % 15 == 1 { printf "%s:%s ", $1, $2 }')"

say ""
say "answers: $summary (wrk: $TOTAL requested, in ${took} s); ${errors}"
say "5xx answers: ${fivexx:-?}"
say "events stored for the refused-only pixel: $stored_refused"
say "events stored for no existing pixel (all stored $stored_total - the three pixels'): $no_pixel"
say "hits with one bad optional field: sent $OPTIONAL, acknowledged $((image_ok + beacon_ok)) (image $image_ok, beacon $beacon_ok), stored $stored_optional"
say "events stored for the hostile pixel: $stored_hostile (accepted in all: $accepted_total)"
say "fields dropped, largest counts: $dropped"
say "Speck RSS (VmRSS, MB): start $rss_start, peak $rss_peak, end $rss_end (${SETTLE} s after the backlog was stored)"
say "RSS samples (seconds:MB, every $((RSS_EVERY * 15)) s): $samples"
[ -f "$tmp/optional-refused.txt" ] && { say "refused bad-optional beacons:"; head -5 "$tmp/optional-refused.txt" >&2; }

status=0
[ "${fivexx:-1}" = 0 ] || { say "FAIL: 5xx answers"; status=1; }
[ "${answered:-0}" -ge "$TOTAL" ] || { say "FAIL: only ${answered:-0} of $TOTAL requests answered"; status=1; }
[ "$stored_refused" = 0 ] || { say "FAIL: events stored from hits that must be refused"; status=1; }
[ "$no_pixel" = 0 ] || { say "FAIL: events stored for no existing pixel"; status=1; }
[ "$stored_optional" = "$OPTIONAL" ] || { say "FAIL: not every hit with one bad optional field was stored"; status=1; }
grep -q -E 'Exception|OutOfMemory|StackOverflow' "$tmp/speck.log" && { say "note: the log names exceptions:"; grep -E 'Exception|Error' "$tmp/speck.log" | sort | uniq -c | sort -rn | head -5 >&2; }
[ "$status" = 0 ] && say "OK: no 5xx, nothing stored from refused hits, every hit with only a bad optional field stored"
exit "$status"
