#!/usr/bin/env bash
# The client figures of BENCHMARKS.md ("Clients"): a gateway node in a child JVM and, in the benchmark's JVM, an
# application joined to its cluster as a lite member (client/lite-member.xml), calling hello add(2, 3) through the
# typed SnapgateClient, a bare event-bus request and REST (Vert.x's HTTP client), all in the same run: the p50 of
# sequential calls and the calls per second with 64 in flight; with wrk's figures for scale when wrk is installed;
# at the end the medians over the rounds and each path's part above its transport's floor.
# Everything listens on 127.0.0.1 only. Builds with test-compile (never install). Settings: ROUNDS (5),
# INFLIGHT (64), SECONDS (5) per throughput measurement.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }

scripts/ensure-deps.sh
maven() { mvn -q -B -ntp -o "$@" || { say "offline maven failed; retrying online"; mvn -q -B -ntp "$@"; }; }
say "building (mvn -pl gateway -am test-compile: the gateway's test class path in gateway/target)"
maven -pl gateway -am test-compile
say "measuring: a warm-up round, then ${ROUNDS:-5} rounds (commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
out="$(mktemp -t snapgate-client-bench.XXXXXX)"
trap 'rm -f "$out"' EXIT
java -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/test-classpath.txt)" \
    io.snapgate.gateway.cluster.ClientBench | tee "$out"
# Medians over the rounds, and each path's part above its transport's floor in the same run: the p50 of a call
# minus the p50 of the floor's echo (the clustered event bus for the client, HTTP for REST).
python3 - "$out" <<'PY'
import re, statistics, sys
p50, rate = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r'round \d+, (.+?)\s+sequential p50 (\d+) us.*: ([\d,]+) calls/s', line)
    if m:
        p50.setdefault(m.group(1), []).append(int(m.group(2)))
        rate.setdefault(m.group(1), []).append(int(m.group(3).replace(',', '')))
if not p50:
    sys.exit(0)
med = {way: statistics.median(v) for way, v in p50.items()}
print("medians over the rounds: " + "; ".join(
    f"{way} p50 {med[way]:.0f} us, {statistics.median(rate[way]):.0f} calls/s" for way in med))
if {'client', 'bus floor', 'REST', 'HTTP floor'} <= med.keys():
    print(f"above the floors: the typed client {med['client'] - med['bus floor']:.0f} us, "
          f"REST {med['REST'] - med['HTTP floor']:.0f} us")
PY
