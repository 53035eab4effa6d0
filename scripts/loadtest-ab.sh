#!/usr/bin/env bash
# Two gateways side by side, measured in alternation (BENCHMARKS.md): the same jar with two sets of serve flags
# (FLAGS_A, FLAGS_B), or two jars (JAR_A, JAR_B: a build of another commit, say), each on a fresh store with the
# example guests, against the bare Vert.x route of the same run (HTTP -> event bus -> worker thread,
# gateway/src/test/.../BareEventBusRoute). Each run is wrk -tTHREADS -cCONNECTIONS -dDURATION POSTing to PATH;
# the order turns each run, so a disturbance of the machine falls on each side alike. Prints every run and the
# medians. Settings: FLAGS_A, FLAGS_B, JAR_A, JAR_B (gateway/target/snapgate.jar, built here with
# mvn -DskipTests package when absent), RUNS (5), DURATION (8s), CONNECTIONS (64), THREADS (2),
# PATH_ (/v1/snapshots/testguest/functions/noop), BODY ({"args":[]}). Everything listens on 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }
runs=${RUNS:-5}; duration=${DURATION:-8s}; connections=${CONNECTIONS:-64}; threads=${THREADS:-2}
path=${PATH_:-/v1/snapshots/testguest/functions/noop}; body=${BODY:-'{"args":[]}'}
jar_a=${JAR_A:-gateway/target/snapgate.jar}; jar_b=${JAR_B:-gateway/target/snapgate.jar}
command -v wrk >/dev/null || { say "wrk is missing: run scripts/loadtest.sh once (it installs it)"; exit 1; }
if [ ! -f gateway/target/snapgate.jar ] || [ ! -f gateway/target/test-classpath.txt ]; then
    say "building (mvn -DskipTests package)"
    mvn -q -B -ntp -o -DskipTests package || mvn -q -B -ntp -DskipTests package
fi
work="$(mktemp -d -t snapgate-ab.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck disable=SC2086 # the flags are words
java -jar "$jar_a" serve --port 18180 --store "$work/a" --examples true ${FLAGS_A:-} >"$work/a.log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086
java -jar "$jar_b" serve --port 18280 --store "$work/b" --examples true ${FLAGS_B:-} >"$work/b.log" 2>&1 &
pids+=($!)
java -cp "gateway/target/test-classes:$(cat gateway/target/test-classpath.txt)" \
    io.snapgate.gateway.bench.BareEventBusRoute 18181 >"$work/bare.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
    curl -sf http://127.0.0.1:18180/health >/dev/null && curl -sf http://127.0.0.1:18280/health >/dev/null \
        && curl -sf -X POST -d '{}' http://127.0.0.1:18181/ >/dev/null && break
    sleep 0.5
done
curl -sf http://127.0.0.1:18180/health >/dev/null && curl -sf http://127.0.0.1:18280/health >/dev/null \
    || { say "a gateway did not start: $(tail -3 "$work/a.log" "$work/b.log")"; exit 1; }
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$body" \
    >"$work/post.lua"
urls=("bare http://127.0.0.1:18181/" "A http://127.0.0.1:18180$path" "B http://127.0.0.1:18280$path")
say "warming up (8s each); then $runs runs of wrk -t$threads -c$connections -d$duration, order turning"
for entry in "${urls[@]}"; do wrk -t"$threads" -c"$connections" -d8s -s "$work/post.lua" "${entry#* }" >/dev/null; done
for run in $(seq 1 "$runs"); do
    for i in 0 1 2; do
        entry=${urls[$(( (i + run) % 3 ))]}
        wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/post.lua" "${entry#* }" \
            | awk -v name="${entry%% *}" -v run="$run" '/Requests\/sec/ {rps = $2} /^ +50%/ {p50 = $2}
                /^ +99%/ {p99 = $2} /Non-2xx/ {bad = $5} END {print run, name, rps, p50, p99, bad + 0}'
    done
done | tee "$work/runs"
python3 - "$work/runs" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
by = {n: [float(r[2]) for r in rows if r[1] == n] for n in ('bare', 'A', 'B')}
bad = sum(int(r[5]) for r in rows)
m = {n: statistics.median(v) for n, v in by.items()}
print(f"median req/s: bare {m['bare']:.0f}, A {m['A']:.0f} ({m['A'] / m['bare']:.2f}x bare), "
      f"B {m['B']:.0f} ({m['B'] / m['bare']:.2f}x bare); B/A {m['B'] / m['A']:.2f}; non-2xx {bad}")
PY
