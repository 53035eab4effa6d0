#!/usr/bin/env bash
# The client figures of BENCHMARKS.md ("Clients"): a gateway node in a child JVM and, in the benchmark's JVM, an
# application joined to its cluster as a lite member (client/lite-member.xml), calling hello add(2, 3) through the
# typed SnapgateClient, a bare event-bus request and REST (Vert.x's HTTP client), all in the same run: the p50 of
# sequential calls and the calls per second with 64 in flight; with wrk's figures for scale when wrk is installed.
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
exec java -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/test-classpath.txt)" \
    io.snapgate.gateway.cluster.ClientBench
