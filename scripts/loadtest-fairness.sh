#!/usr/bin/env bash
# Flood plus trickle (BENCHMARKS.md, "Fair admission"), against a running gateway that has the example guests:
# scripts/loadtest.sh runs it last against its own; alone, start one first (java -jar gateway/target/snapgate.jar
# serve --store DIR --examples true) and name it in GATEWAY. One tenant floods the gateway with slow calls
# (testguest spin_for_ms 20 on FLOOD_CONNECTIONS connections, wrk with a Lua script) while another sends a steady
# trickle of cheap calls (hello greet on one connection, one call every 10 ms: wrk with a Lua delay). The trickle
# is measured alone, then beside the flood, in the same run. Tenants are the two snapshots (no tokens). Settings:
# GATEWAY (http://127.0.0.1:8080), DURATION (10s), FLOOD_CONNECTIONS (800).
set -euo pipefail
say() { printf '[snapgate] %s\n' "$*" >&2; }
gateway=${GATEWAY:-http://127.0.0.1:8080}; duration=${DURATION:-10s}; flood_connections=${FLOOD_CONNECTIONS:-800}
if ! curl -sf "$gateway/health" >/dev/null; then
    say "no gateway answers at $gateway/health: start one, or set GATEWAY"
    exit 1
fi
work="$(mktemp -d -t snapgate-fairness.XXXXXX)"
flood=
trap '[ -n "$flood" ] && { kill "$flood" 2>/dev/null || true; }; rm -rf "$work"' EXIT
g="$gateway/v1/snapshots"

cat >"$work/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"args":[20]}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat >"$work/trickle.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"args":["trickle"]}'
wrk.headers["Content-Type"] = "application/json"
function delay() return 10 end
LUA
# wrk's timeout is 10 s: a slow answer is measured, not dropped
trickle() { wrk -t1 -c1 -d"$duration" --timeout 10s --latency -s "$work/trickle.lua" "$g/hello/functions/greet"; }

say "warming up (3s of each)"
wrk -t1 -c4 -d3s -s "$work/flood.lua" "$g/testguest/functions/spin_for_ms" >/dev/null
wrk -t1 -c1 -d3s -s "$work/trickle.lua" "$g/hello/functions/greet" >/dev/null

say "trickle alone: wrk -t1 -c1 -d$duration --timeout 10s --latency (a call every 10 ms) on hello greet"
cat /proc/loadavg >"$work/load-alone"
trickle >"$work/alone.txt"

flood_seconds=$(( ${duration%s} + 6 ))
say "flood: wrk -t2 -c$flood_connections -d${flood_seconds}s on testguest spin_for_ms 20; the trickle again after 3 s"
wrk -t2 -c"$flood_connections" -d"${flood_seconds}s" -s "$work/flood.lua" "$g/testguest/functions/spin_for_ms" \
    >"$work/flood.txt" &
flood=$!
sleep 3
trickle >"$work/flooded.txt"
cat /proc/loadavg >"$work/load-flooded"
wait "$flood"
curl -s "$gateway/metrics" | grep '^snapgate_admission_refused_total' >"$work/refused" || true

python3 - "$work" <<'PY'
import re, sys
work = sys.argv[1]
def us(text):
    m = re.match(r'([\d.]+)(\w+)', text)
    return float(m.group(1)) * {'us': 1, 'ms': 1000, 's': 1e6}[m.group(2)]
def figures(name):
    out = open(f'{work}/{name}.txt').read()
    total = int(re.search(r'(\d+) requests in', out).group(1))
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    failed = int(m.group(1)) if m else 0
    errors = re.search(r'Socket errors: (.*)', out)
    pct = lambda p: us(re.search(rf'^\s+{p}%\s+(\S+)', out, re.M).group(1)) if '%' in out else float('nan')
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    return total, failed, rps, pct(50), pct(99), errors.group(1) if errors else 'none'
for name, label in (('alone', 'trickle alone'), ('flooded', 'trickle beside the flood')):
    total, failed, rps, p50, p99, errors = figures(name)
    ok = 100.0 * (total - failed) / total if total else 0
    load = open(f'{work}/load-{name}').read().split()[:3]
    print(f"{label:26} {total:6d} calls, {ok:6.2f}% ok, {rps:6.1f}/s, p50 {p50 / 1000:6.2f} ms, "
          f"p99 {p99 / 1000:6.2f} ms; socket errors: {errors}; load average {' '.join(load)}")
out = open(f'{work}/flood.txt').read()
total = int(re.search(r'(\d+) requests in', out).group(1))
m = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
refused = int(m.group(1)) if m else 0
errors = re.search(r'Socket errors: (.*)', out)
print(f"{'flood':26} {total:6d} calls, {total - refused} answered 200, {refused} refused (503 OVERLOADED); "
      f"socket errors: {errors.group(1) if errors else 'none'}")
print(open(f'{work}/refused').read().strip())
PY
