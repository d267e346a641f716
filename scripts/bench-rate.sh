#!/bin/bash
# `ratingrl bench rate` (part of make bench) runs this with RATINGRL set to
# itself: the rating server's speed. Ratings committed per second (POSTs
# from 4 keep-alive clients on loopback, each answered 201 after its commit)
# and the time from a key press in the page (headless Chromium) to the next
# clip playing.
set -euo pipefail
BIN=$(realpath "${RATINGRL:-.build/release/ratingrl}")
work=$(mktemp -d /tmp/ratingrl-bench-rate.XXXXXX)
server=""
trap '[[ -n $server ]] && kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

python3 - "$work/segments.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(2000):
        actions = [[((i + t) % 7) / 7 - 0.4] for t in range(50)]
        f.write(json.dumps({"task": "cartpole-balance", "state": [(i % 10) / 50, 0.02, 0, 0], "actions": actions}) + "\n")
PY
"$BIN" rate --db "$work/r.db" --segments "$work/segments.jsonl" --classes 4 --port 0 > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do grep -q "rating page:" "$work/server.log" && break; sleep 0.1; done
port=$(grep -o "127.0.0.1:[0-9]*" "$work/server.log" | head -1 | cut -d: -f2)

python3 - "$port" <<'PY'
import http.client, json, sys, threading, time
port, clients, per_client = int(sys.argv[1]), 4, 500
def post_all(worker, results):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    ok = 0
    for segment in range(1, per_client + 1):
        body = json.dumps({"segment": segment, "rating": segment % 4, "rater": f"bench{worker}"})
        connection.request("POST", "/api/ratings", body, {"Content-Type": "application/json"})
        response = connection.getresponse(); response.read()
        ok += response.status == 201
    results[worker] = ok
results = [0] * clients
threads = [threading.Thread(target=post_all, args=(w, results)) for w in range(clients)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start
print(f"bench-rate: {sum(results)} ratings committed by {clients} clients in {elapsed:.2f} s: {sum(results) / elapsed:.0f} per second (target >= 1000)")
PY

# A person watches each clip before rating it: 2 s here (a 50-step cartpole clip loops every 0.5 s).
report=$(python3 "$(dirname "$0")/tests/drive-rating-page.py" --watch 2 "http://127.0.0.1:$port/?rater=page" "$work/page.png" 1 2 3 0 1 2 3 0 1 2)
python3 - "$report" <<'PY'
import json, statistics, sys
latencies = json.loads(sys.argv[1])["latenciesMs"]
print(f"bench-rate: key press to the next clip playing: median {statistics.median(latencies):.0f} ms, "
      f"max {max(latencies):.0f} ms over {len(latencies)} ratings (target < 300 ms; 2 s of watching before each key; polled every 10 ms)")
PY
