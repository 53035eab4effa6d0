#!/usr/bin/env bash
# Density of live JavaScript sessions (BENCHMARKS.md, "JavaScript functions"): a gateway whose settings allow
# SESSIONS sessions (--max-sessions, and a --memory-budget large enough for their reservations: each reserves its
# script's writable layout, ~17.3 MiB at a script's default sizes, though it touches far less), one JS snapshot,
# then sessions opened one at a time over one keep-alive connection, each making one call (`object(32)`). Every
# STEP sessions, the resident memory (RSS and PSS from /proc/PID/smaps_rollup) of the gateway and of every
# process under it (the emulator processes). Stops at SESSIONS or when the PSS grew by LIMIT_MIB past the
# baseline; then ends every session. The drop of the machine's MemAvailable per session is a cross-check that
# counts no page twice (other work on the machine moves it). Uses gateway/target/snapgate.jar as it is
# (mvn -DskipTests package first).
# Settings: SESSIONS (5000), STEP (500), LIMIT_MIB (4096), PORT (18091), BUDGET (128GiB).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }
sessions=${SESSIONS:-5000}; step=${STEP:-500}; limit=${LIMIT_MIB:-4096}; port=${PORT:-18091}
budget=${BUDGET:-128GiB}
jar=gateway/target/snapgate.jar
[ -f "$jar" ] || { say "no $jar: run mvn -DskipTests package first"; exit 1; }

work="$(mktemp -d -t snapgate-jsdensity.XXXXXX)"
gateway=""
cleanup() { [ -n "$gateway" ] && { kill "$gateway" 2>/dev/null || true; }; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

settings=(--max-sessions "$sessions" --memory-budget "$budget" --session-ttl-seconds 3600)
say "gateway: serve ${settings[*]}"
java -jar "$jar" serve --port "$port" --store "$work/store" --examples false "${settings[@]}" \
    >"$work/gateway.log" 2>&1 &
gateway=$!
url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do curl -sf "$url/health" >/dev/null && break; sleep 0.5; done
printf '%s\n' "exports.object = function (n) {" "    var o = {};" \
    "    for (var i = 0; i < n; i++) o['key' + i] = 'the value of key ' + i;" "    return o;" "};" >"$work/bench.js"
curl -sf -o /dev/null -X POST "$url/v1/snapshots?tag=jsbench" -H 'Content-Type: application/javascript' \
    --data-binary "@$work/bench.js"

python3 - "$gateway" "$port" "$sessions" "$step" "$limit" <<'PY'
import http.client, json, os, sys, time
gateway, port, sessions, step, limit = (int(a) for a in sys.argv[1:])

def tree(pid):
    """The gateway and every process under it (its emulator processes)."""
    found, pending = [], [pid]
    while pending:
        p = pending.pop()
        found.append(p)
        for task in os.listdir(f"/proc/{p}/task"):
            try:
                pending += [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
            except FileNotFoundError:
                pass
    return found

def memory():
    """KiB of RSS and PSS: the gateway's, and all of its tree's."""
    total = {"Rss": 0, "Pss": 0, "Private_Dirty": 0}
    own = None
    for p in tree(gateway):
        try:
            lines = open(f"/proc/{p}/smaps_rollup").read().splitlines()
        except (FileNotFoundError, ProcessLookupError):
            continue
        fields = {l.split()[0].rstrip(":"): int(l.split()[1]) for l in lines[1:] if l.split()[1].isdigit()}
        total = {k: total[k] + fields[k] for k in total}
        if p == gateway:
            own = fields
    return own, total, len(tree(gateway)) - 1

connection = http.client.HTTPConnection("127.0.0.1", port)
def request(method, path, body=None):
    connection.request(method, path, body=json.dumps(body) if body is not None else None,
                       headers={"Content-Type": "application/json"})
    answer = connection.getresponse()
    data = answer.read()
    if answer.status >= 300:
        raise SystemExit(f"{method} {path}: {answer.status} {data[:300]!r}")
    return json.loads(data) if data else None

def available():
    """KiB the kernel says are available (MemAvailable): a cross-check that counts no page twice."""
    return next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemAvailable:"))

def report(n, base):
    own, total, emulators = memory()
    total["Used"] = -available()
    per = lambda k: (total[k] - base[1][k]) / n if n else 0
    print(f"{n:6d} sessions  gateway RSS {own['Rss'] / 1024:6.1f} MiB PSS {own['Pss'] / 1024:6.1f}  "
          f"all ({emulators} emulator processes) RSS {total['Rss'] / 1024:7.1f} MiB PSS {total['Pss'] / 1024:7.1f} "
          f"private dirty {total['Private_Dirty'] / 1024:7.1f}  per session: RSS {per('Rss'):6.1f} KiB "
          f"PSS {per('Pss'):6.1f} private dirty {per('Private_Dirty'):6.1f} MemAvailable drop "
          f"{-per('Used'):7.1f}  load {open('/proc/loadavg').read().split()[0]}", flush=True)
    return total

request("POST", "/v1/snapshots/jsbench/functions/object", {"args": [32]})   # a worker warm, as for a session
time.sleep(2)
base = memory()
base[1]["Used"] = -available()
report(0, base)
ids, started = [], time.time()
try:
    while len(ids) < sessions:
        ids.append(request("POST", "/v1/sessions", {"snapshot": "jsbench"})["id"])
        result = request("POST", f"/v1/sessions/{ids[-1]}/functions/object", {"args": [32]})["result"]
        assert result["key31"] == "the value of key 31", result
        if len(ids) % step == 0 or len(ids) == sessions:
            total = report(len(ids), base)
            if (total["Pss"] - base[1]["Pss"]) / 1024 > limit:
                print(f"stopped: the PSS grew by more than {limit} MiB", flush=True)
                break
    print(f"opened {len(ids)} sessions with a call each in {time.time() - started:.0f} s", flush=True)
finally:
    for s in ids:
        request("DELETE", f"/v1/sessions/{s}")
    health = request("GET", "/health")
    print(f"closed them all; /health sessions: {health.get('sessions', health)}", flush=True)
    time.sleep(2)
    report(0, base)
PY
