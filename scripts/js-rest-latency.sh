#!/usr/bin/env bash
# JavaScript calls through REST, unloaded (BENCHMARKS.md, "JavaScript functions"): one connection (wrk -t1 -c1),
# p50 of a trivial JS function (`trivial(1)`) and of one that builds and returns ~1 KiB of JSON (`object(32)`),
# beside the C guest's `noop` (testguest) in the same gateway and the same run, run after run. Uses the packaged
# gateway/target/snapgate.jar as it is (build it first: mvn -DskipTests package; nothing is installed).
# Every request goes to 127.0.0.1 only. Settings: RUNS (3), DURATION (8s), PORT (18090).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }
runs=${RUNS:-3}; duration=${DURATION:-8s}; port=${PORT:-18090}
jar=gateway/target/snapgate.jar
[ -f "$jar" ] || { say "no $jar: run mvn -DskipTests package first"; exit 1; }
command -v wrk >/dev/null || { say "wrk is missing (apt-get install wrk)"; exit 1; }

work="$(mktemp -d -t snapgate-jsrest.XXXXXX)"
gateway=""
cleanup() { [ -n "$gateway" ] && { kill "$gateway" 2>/dev/null || true; }; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

java -jar "$jar" serve --port "$port" --store "$work/store" --examples true >"$work/gateway.log" 2>&1 &
gateway=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf "$url/health" >/dev/null && break; sleep 0.5; done

curl -sf -o /dev/null -X POST "$url/v1/snapshots?tag=jsbench" -H 'Content-Type: application/javascript' \
    --data-binary @vmm-worker/src/test/resources/io/snapgate/vmm/bench/functions.js # JavaScriptBenchmark's
scenario() { # name path body
    printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
        "$(printf '%s' "$3" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" >"$work/$1.lua"
    printf '%s %s\n' "$1" "$url$2" >>"$work/scenarios"
}
scenario noop /v1/snapshots/testguest/functions/noop '{"args":[]}'
scenario jsTrivial /v1/snapshots/jsbench/functions/trivial '{"args":[1]}'
scenario jsObject1KiB /v1/snapshots/jsbench/functions/object '{"args":[32]}'
answer=$(curl -sf -X POST -d '{"args":[32]}' "$url/v1/snapshots/jsbench/functions/object")
say "object(32) answers ${#answer} bytes"

while read -r name target; do wrk -t1 -c1 -d2s -s "$work/$name.lua" "$target" >/dev/null; done <"$work/scenarios"
say "measuring: $runs runs of wrk -t1 -c1 -d$duration --latency per scenario, scenarios alternating"
for run in $(seq 1 "$runs"); do
    say "run $run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    while read -r name target; do
        wrk -t1 -c1 -d"$duration" --latency -s "$work/$name.lua" "$target" >"$work/$name.$run.txt"
    done <"$work/scenarios"
done

python3 - "$work" "$runs" <<'PY'
import re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
def us(v):
    n, unit = re.match(r'([\d.]+)(\w+)', v).groups()
    return float(n) * {'us': 1, 'ms': 1000, 's': 1_000_000}[unit]
rows = {}
for line in open(f"{work}/scenarios"):
    name = line.split()[0]
    p50, p99, errors = [], [], 0
    for run in range(1, runs + 1):
        out = open(f"{work}/{name}.{run}.txt").read()
        p50.append(us(re.search(r'^\s+50%\s+(\S+)', out, re.M).group(1)))
        p99.append(us(re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1)))
        m = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
        errors += int(m.group(1)) if m else 0
    rows[name] = (statistics.median(p50), statistics.median(p99), p50, errors)
noop = rows['noop'][0]
print(f"{'scenario':14} {'p50 us':>9} {'p99 us':>9} {'vs noop':>8} {'non-2xx':>8}  runs (p50 us)")
for name, (p50, p99, all_p50, errors) in rows.items():
    print(f"{name:14} {p50:9.0f} {p99:9.0f} {p50 / noop:8.2f} {errors:8d}  {'/'.join(f'{p:.0f}' for p in all_p50)}")
PY
