#!/usr/bin/env bash
# Load test of the gateway on this machine (BENCHMARKS.md, "Gateway"), with the same-run baseline: plain
# Vert.x doing an HTTP -> event bus -> single-thread worker round trip, and the HTTP floor: plain Vert.x answering
# on the event loop (both gateway/src/test/.../BareEventBusRoute). Then one connection at a time, on idle cores
# and on cores kept awake (see below), with the gateway's own Server-Timing figures.
# Many tenants (issue 18): SNAPSHOTS distinct snapshots (variants of testguest, each its own code digest) deployed
# as tags v1..vN, then no-op calls round-robin over N of them, beside the one-snapshot no-op of the same run; and
# the first call of a freshly deployed snapshot against its later calls. Last, flood plus trickle: fair admission
# between two tenants (scripts/loadtest-fairness.sh, also run alone).
# Every request goes to 127.0.0.1 only. Settings: RUNS (3), DURATION (10s), CONNECTIONS (64), THREADS (2),
# SNAPSHOTS ("200 2000": one round-robin scenario per number; "" for none), FIRST_CALLS (20 deploys measured).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }
runs=${RUNS:-3}; duration=${DURATION:-10s}; connections=${CONNECTIONS:-64}; threads=${THREADS:-2}
snapshots=${SNAPSHOTS-200 2000}; first_calls=${FIRST_CALLS:-20}
gateway_port=18080; bare_port=18081

scripts/ensure-deps.sh
if ! command -v wrk >/dev/null 2>&1; then
    say "installing wrk with apt-get"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
maven() { mvn -q -B -ntp -o "$@" || { say "offline maven failed; retrying online"; mvn -q -B -ntp "$@"; }; }
say "building (mvn -DskipTests package: snapgate.jar, and the gateway's test class path in gateway/target)"
maven -DskipTests package

work="$(mktemp -d -t snapgate-loadtest.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

java -jar gateway/target/snapgate.jar serve --port "$gateway_port" --store "$work/store" --examples true \
    >"$work/gateway.log" 2>&1 &
pids+=($!)
java -cp "gateway/target/test-classes:$(cat gateway/target/test-classpath.txt)" \
    io.snapgate.gateway.bench.BareEventBusRoute "$bare_port" >"$work/bare.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$gateway_port/health" >/dev/null && curl -sf -X POST -d '{}' \
        "http://127.0.0.1:$bare_port/" >/dev/null && break
    sleep 0.5
done

# Distinct snapshots: variants of testguest (GuestVariants: 8 bytes in its code that never run), deployed two at a
# time; the first FIRST_CALLS deploys alone, each followed by its first call and nine more (curl's total, and the
# gateway's Server-Timing), for the first call against the later ones and what a deploy takes.
most=$(printf '%s\n' $snapshots 0 | sort -n | tail -1)
gateway_url="http://127.0.0.1:$gateway_port"
if [ "$most" -gt 0 ]; then
    say "deploying $most distinct snapshots (variants of testguest) as v1..v$most"
    java -cp "gateway/target/test-classes:$(cat gateway/target/test-classpath.txt)" \
        io.snapgate.gateway.testing.GuestVariants guests/target/classes/guests/testguest.elf "$most" "$work/variants"
    deploy() { curl -sf -o /dev/null -w '%{time_total}\n' -X POST "$gateway_url/v1/snapshots?tag=v$1" \
        --data-binary "@$work/variants/v$1.elf"; }
    noop() { curl -sf -o /dev/null -w '%{time_total} %header{server-timing}\n' -X POST -d '{}' \
        "$gateway_url/v1/snapshots/v$1/functions/noop"; }
    firsts=$(( first_calls < most ? first_calls : most ))
    for n in $(seq 1 "$firsts"); do
        deploy "$n" >>"$work/deploy-times"
        for call in $(seq 1 10); do printf '%s %s\n' "$call" "$(noop "$n")" >>"$work/first-calls"; done
    done
    export -f deploy; export gateway_url work
    seq $((firsts + 1)) "$most" | xargs -P 2 -I{} bash -c 'deploy {}' >>"$work/deploy-times"
fi

# One wrk Lua script per scenario: a POST of a fixed JSON body.
scenario() { # name path body
    printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
        "$(printf '%s' "$3" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')" >"$work/$1.lua"
    printf '%s %s\n' "$1" "$2" >>"$work/scenarios"
}
kib=$(head -c 1024 /dev/zero | tr '\0' 'x')
scenario floor "http://127.0.0.1:$bare_port/direct" '{"args":[]}'
scenario bare "http://127.0.0.1:$bare_port/" '{"args":[]}'
scenario noop "http://127.0.0.1:$gateway_port/v1/snapshots/testguest/functions/noop" '{"args":[]}'
scenario echo1KiB "http://127.0.0.1:$gateway_port/v1/snapshots/testguest/functions/echo_string" "{\"args\":[\"$kib\"]}"
scenario hostFunction "http://127.0.0.1:$gateway_port/v1/snapshots/testguest/functions/add" '{"args":[2,3]}'
# Round-robin over N snapshots: each wrk thread cycles through v1..vN from its own starting point.
for n in $snapshots; do
    scenario "rr$n" "$gateway_url" '{"args":[]}'
    cat >>"$work/rr$n.lua" <<LUA
local count, i = $n, 0
function setup(thread) thread:set("offset", math.random($n)) end
function request()
    i = i + 1
    return wrk.format(nil, "/v1/snapshots/v" .. ((i + offset) % count + 1) .. "/functions/noop")
end
LUA
done

say "warming up (5s per scenario)"
while read -r name url; do
    wrk -t"$threads" -c"$connections" -d5s -s "$work/$name.lua" "$url" >/dev/null
done <"$work/scenarios"

say "measuring: $runs runs of wrk -t$threads -c$connections -d$duration --latency per scenario"
for run in $(seq 1 "$runs"); do
    while read -r name url; do
        wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/$name.lua" "$url" >"$work/$name.$run.txt"
    done <"$work/scenarios"
done

# What the workers keep after the round-robin scenarios, and what their emulator processes hold.
curl -s "$gateway_url/metrics" \
    | grep -E '^snapgate_(sandboxes_cached|memory_reserved_bytes\{use="cached(Sandboxes|Vcpus))' \
    >"$work/cache-metrics" || true
for child in $(pgrep -P "${pids[0]}" java || true); do
    awk '/^VmRSS|^RssAnon/ {printf "%s %s kB  ", $1, $2} END {print ""}' "/proc/$child/status" >>"$work/emulator-rss"
done

# One connection: wrk's latency, and for the gateway also the Server-Timing header of every answer (the time
# from routing to answer, and the guest's part of it), whose medians the script prints at the end of the run.
cat "$work/noop.lua" - >"$work/noop-timing.lua" <<'LUA'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) gateway = {}; guest = {} end
function response(status, headers, body)
    local g, u = (headers["Server-Timing"] or ""):match("gateway;dur=([%d.]+), guest;dur=([%d.]+)")
    if g then gateway[#gateway + 1] = tonumber(g); guest[#guest + 1] = tonumber(u) end
end
local function median(t) table.sort(t); return t[math.max(1, math.floor(#t / 2))] * 1000 end
function done(summary, latency, requests)
    local g, u = {}, {}
    for _, thread in ipairs(threads) do
        for _, v in ipairs(thread:get("gateway")) do g[#g + 1] = v end
        for _, v in ipairs(thread:get("guest")) do u[#u + 1] = v end
    end
    io.write(string.format("server-timing gateway %.0f guest %.0f\n", median(g), median(u)))
end
LUA
# Twice: on an idle machine, and with one SCHED_IDLE busy loop per core. On a VM whose idle vCPUs halt (this
# one boots with haltpoll.guest_halt_poll_ns=0) every wake of a thread on an idle core waits for the hypervisor
# to resume that vCPU; a SCHED_IDLE task keeps the cores awake and yields to any other thread at once, as
# halt polling would. The difference between the two is what the hypervisor, not the gateway, adds.
for mode in idle awake; do
    spinners=()
    if [ "$mode" = awake ]; then
        for _ in $(seq 1 "$(nproc)"); do chrt --idle 0 sh -c 'while :; do :; done' & spinners+=($!); done
        pids+=("${spinners[@]}")
    fi
    say "unloaded latency ($mode cores): $runs runs of wrk -t1 -c1 -d$duration --latency for floor, bare and noop"
    for run in $(seq 1 "$runs"); do
        for name in floor bare noop; do
            url=$(grep "^$name " "$work/scenarios" | cut -d' ' -f2)
            script="$work/$name.lua"
            [ "$name" = noop ] && script="$work/noop-timing.lua"
            wrk -t1 -c1 -d"$duration" --latency -s "$script" "$url" >"$work/$name-c1-$mode.$run.txt"
        done
    done
    for p in "${spinners[@]}"; do kill "$p"; done
done

python3 - "$work" "$runs" <<'PY'
import os, re, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
def us(text):
    value, unit = float(re.match(r'([\d.]+)(\w+)', text).group(1)), re.match(r'[\d.]+(\w+)', text).group(1)
    return value * {'us': 1, 'ms': 1000, 's': 1e6}[unit]
rows = {}
for line in open(f'{work}/scenarios'):
    name = line.split()[0]
    rps, p50, p99, errors = [], [], [], 0
    for run in range(1, runs + 1):
        out = open(f'{work}/{name}.{run}.txt').read()
        rps.append(float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1)))
        p50.append(us(re.search(r'^\s+50%\s+(\S+)', out, re.M).group(1)))
        p99.append(us(re.search(r'^\s+99%\s+(\S+)', out, re.M).group(1)))
        m = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
        errors += int(m.group(1)) if m else 0
    rows[name] = (statistics.median(rps), statistics.median(p50), statistics.median(p99), rps, errors)
bare = rows['bare'][0]
print(f"{'scenario':14} {'req/s':>9} {'p50 us':>9} {'p99 us':>9} {'vs bare':>8} {'non-2xx':>8}  runs (req/s)")
for name, (rps, p50, p99, all_rps, errors) in rows.items():
    print(f"{name:14} {rps:9.0f} {p50:9.0f} {p99:9.0f} {rps / bare:8.2f} {errors:8d}  {'/'.join(f'{r:.0f}' for r in all_rps)}")
print()
many = [name for name in rows if name.startswith('rr')]
if many:
    noop = rows['noop']
    print("distinct snapshots round-robin against one snapshot (noop), same run: ratio of the medians, and per run")
    for name in many:
        ratios = '/'.join(f'{r / o:.2f}' for r, o in zip(rows[name][3], noop[3]))
        print(f"{name[2:]:>6} snapshots: {rows[name][0] / noop[0]:.2f}x ({ratios}), p99 {rows[name][2] / 1000:.1f} ms")
    def column(path, index):
        try:
            return [float(line.split()[index]) for line in open(path) if line.strip()]
        except FileNotFoundError:
            return []
    deploys = column(f'{work}/deploy-times', 0)
    if deploys:
        print(f"deploy (POST /v1/snapshots, build and warm-up included): median "
              f"{statistics.median(deploys) * 1000:.0f} ms of {len(deploys)}")
    calls = [line.split() for line in open(f'{work}/first-calls')] if os.path.exists(f'{work}/first-calls') else []
    if calls:
        def timing(parts):
            m = re.search(r'gateway;dur=([\d.]+)', ' '.join(parts[2:]))
            return float(m.group(1)) * 1000 if m else float('nan')
        first = [c for c in calls if c[0] == '1']
        later = [c for c in calls if c[0] != '1']
        print(f"first call of a fresh deploy: curl {statistics.median(float(c[1]) for c in first) * 1e6:.0f} us, "
              f"inside the gateway {statistics.median(timing(c) for c in first):.0f} us; later calls: curl "
              f"{statistics.median(float(c[1]) for c in later) * 1e6:.0f} us, inside "
              f"{statistics.median(timing(c) for c in later):.0f} us ({len(first)} deploys)")
    for extra in ('cache-metrics', 'emulator-rss'):
        try:
            print(open(f'{work}/{extra}').read().strip())
        except FileNotFoundError:
            pass
print()
for mode in ('idle', 'awake'):
    print(f"\none connection (unloaded), {mode} cores:")
    def c1(name, run):
        return open(f'{work}/{name}-c1-{mode}.{run}.txt').read()
    for name in ('floor', 'bare', 'noop'):
        p50 = [us(re.search(r'^\s+50%\s+(\S+)', c1(name, run), re.M).group(1)) for run in range(1, runs + 1)]
        p99 = [us(re.search(r'^\s+99%\s+(\S+)', c1(name, run), re.M).group(1)) for run in range(1, runs + 1)]
        print(f"{name:14} p50 {statistics.median(p50):7.0f} us  p99 {statistics.median(p99):7.0f} us  "
              f"runs p50 {'/'.join(f'{x:.0f}' for x in p50)}")
    timing = [re.search(r'server-timing gateway (\d+) guest (\d+)', c1('noop', run)) for run in range(1, runs + 1)]
    gateway, guest = [float(t.group(1)) for t in timing], [float(t.group(2)) for t in timing]
    print(f"noop inside the gateway (Server-Timing medians): routing to answer {statistics.median(gateway):.0f} us, "
          f"guest {statistics.median(guest):.0f} us; runs {'/'.join(f'{x:.0f}' for x in gateway)}")
PY

say "flood plus trickle (scripts/loadtest-fairness.sh) against the same gateway"
GATEWAY="http://127.0.0.1:$gateway_port" DURATION="$duration" scripts/loadtest-fairness.sh
