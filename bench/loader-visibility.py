"""How long hits waited to be stored, from Speck's log with the loader's FINE lines.

Run Speck (e.g. bench/load.sh with KEEP_TMP=1) with a java.util.logging configuration such as

    handlers=java.util.logging.ConsoleHandler
    .level=INFO
    java.util.logging.ConsoleHandler.level=FINE
    java.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n
    dev.speck.store.EventLoader.level=FINE

passed as -Djava.util.logging.config.file=FILE in SPECK_JAVA_OPTS, then

    python3 bench/loader-visibility.py TMP/speck.log [SECONDS]

summarises the batches of the last SECONDS (15) of loading: bench/load.sh's half-rate run is the last
load of a run. Slow commits and checkpoints in that window are listed with their offset.
"""
import sys, re
win = float(sys.argv[2]) if len(sys.argv) > 2 else 15
rows = []; slow = []
def secs(t):
    h, m, s = t.split(':'); return int(h)*3600 + int(m)*60 + float(s)
for line in open(sys.argv[1]):
    m = re.match(r'(\d\d:\d\d:\d\d\.\d+) FINE .*stored (\d+) events in (\d+) ms; the oldest had waited (\d+) ms', line)
    if m: rows.append((secs(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))))
    m = re.match(r'(\d\d:\d\d:\d\d\.\d+) INFO .*(commit of .*|checkpoint: .*)', line)
    if m: slow.append((secs(m.group(1)), m.group(2)))
if not rows: print("no rows"); sys.exit()
end = rows[-1][0]; start = end - win
w = [r for r in rows if r[0] >= start]
waits = sorted(r[3] for r in w)
n = len(waits)
pct = lambda p: waits[min(n-1, int(p*n))]
hits = sum(r[1] for r in w)
print(f"last {win:.0f} s: {n} batches, {hits} hits ({hits/win:.0f}/s); oldest-hit wait ms: median {pct(0.5)}, p90 {pct(0.9)}, p99 {pct(0.99)}, max {waits[-1]}; batches over 2 s: {sum(1 for x in waits if x > 2000)}; store ms max {max(r[2] for r in w)}")
for t, s in slow:
    if t >= start: print(f"  +{t-start:5.1f}s {s}")
