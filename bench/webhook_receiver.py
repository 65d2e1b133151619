#!/usr/bin/env python3
"""Hit-to-webhook latency, for bench/triggers.sh: sends hits that fire a trigger and receives its webhooks.

Sends RATE hits a second for SECONDS to Speck's image pixel, each on its own page
(https://bench.example/fire/<n>), and serves the trigger's webhook target on 127.0.0.1:PORT. A
webhook's payload names the page (event.url), so its arrival is matched to the hit's send time (one
clock: this process). After sending, waits up to WAIT seconds for the rest, then prints one line:
"sent N received M p50 P p90 P p99 P max P" (milliseconds) and writes every latency to OUT.
"""
import argparse
import json
import math
import os
import random
import re
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sent = {}
received = {}
stages = {}  # n -> (ms from the hit's receipt to its firing, ms from the firing to the webhook's arrival)
lock = threading.Lock()
FIRE = re.compile(r"/fire/(\d+)")
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        now = time.monotonic()
        wall = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        try:
            payload = json.loads(body)
            url = payload["event"]["url"]
            fired = iso(payload["firedAt"])
            stage = ((fired - iso(payload["event"]["time"])) * 1000, (wall - fired) * 1000)
        except (ValueError, KeyError):
            return
        m = FIRE.search(url)
        if m:
            with lock:
                received.setdefault(int(m.group(1)), now)  # a retry of the same key counts once
                stages.setdefault(int(m.group(1)), stage)

    def log_message(self, *args):
        pass


def iso(s):
    """Epoch seconds of an ISO-8601 UTC instant as Java writes it (2026-12-07T23:10:00.123456Z)."""
    from datetime import datetime
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def send(speck, pixel, n):
    page = urllib.parse.quote(f"https://bench.example/fire/{n}", safe="")
    # a visitor of its own per hit, from a public address (127.0.0.1 is a trusted proxy in the bench)
    ip = f"81.{random.randint(1, 250)}.{random.randint(1, 250)}.{random.randint(1, 250)}"
    req = urllib.request.Request(f"{speck}/p/{pixel}.gif?u={page}",
                                 headers={"User-Agent": AGENT, "X-Forwarded-For": ip})
    t = time.monotonic()
    with lock:
        sent[n] = t
    with urllib.request.urlopen(req, timeout=10) as r:
        r.read()


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]  # nearest rank


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--port", type=int, required=True)
    a.add_argument("--speck", required=True)
    a.add_argument("--pixel", required=True)
    a.add_argument("--rate", type=float, default=10)
    a.add_argument("--seconds", type=float, default=15)
    a.add_argument("--wait", type=float, default=60)
    a.add_argument("--out", required=True)
    a.add_argument("--ready", help="a file written once the receiver listens")
    args = a.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    if args.ready:
        open(args.ready, "w").close()
        # wait for the go: the ready file removed by the script
        while os.path.exists(args.ready):
            time.sleep(0.05)
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < args.seconds:
        due = start + n / args.rate
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        try:
            send(args.speck, args.pixel, n)
        except Exception as e:  # a failed hit is not counted as sent
            with lock:
                sent.pop(n, None)
            print(f"hit {n} failed: {e}", file=sys.stderr)
        n += 1
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline:
        with lock:
            if len(received) >= len(sent):
                break
        time.sleep(0.1)
    with lock:
        latencies = [(received[k] - sent[k]) * 1000 for k in sent if k in received]
    with open(args.out, "w") as f:
        f.write("\n".join(f"{v:.1f}" for v in latencies) + "\n")
    print("sent %d received %d p50 %.0f p90 %.0f p99 %.0f max %.0f" % (
        len(sent), len(latencies), percentile(latencies, 50), percentile(latencies, 90),
        percentile(latencies, 99), max(latencies) if latencies else float("nan")))
    with lock:
        loading = [v[0] for v in stages.values()]
        delivering = [v[1] for v in stages.values()]
    print("  of which from the hit's receipt to its firing (loader: journal, batch, stages): p50 %.0f p99 %.0f;"
          " from the firing to the webhook's arrival (outbox, deliverer, HTTP): p50 %.0f p99 %.0f" % (
              percentile(loading, 50), percentile(loading, 99), percentile(delivering, 50), percentile(delivering, 99)))
    server.shutdown()


if __name__ == "__main__":
    main()
