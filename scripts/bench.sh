#!/usr/bin/env bash
# Runs the JMH benchmarks of the VMM core (vmm-worker, package io.snapgate.vmm.bench); BENCHMARKS.md has the figures.
# Every argument goes to JMH's own entry point (org.openjdk.jmh.Main); with none, every benchmark in the package runs.
#   scripts/bench.sh                                   # the whole set, about 5 minutes on 2 cores
#   scripts/bench.sh 'GuestCallBenchmark.noop' -f 3    # one benchmark, three forks
#   scripts/bench.sh -rf json -rff /tmp/run.json       # also write the results as JSON
#   scripts/bench.sh -h                                # JMH's options (-prof stack, -p pages=16, ...)
#   scripts/bench.sh footprint                         # resident memory of 64 sandboxes of one snapshot (not JMH)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf '[snapgate] %s\n' "$*" >&2; }

scripts/ensure-deps.sh

# Offline first (the usual case: the dependencies are in ~/.m2), online when something is missing.
maven() {
    mvn -q -B -ntp -o "$@" || { say "offline maven failed; retrying online"; mvn -q -B -ntp "$@"; }
}

say "building guests and vmm-worker with the benchmarks (mvn -o -DskipTests package -pl vmm-worker -am)"
maven -DskipTests package -pl vmm-worker -am

# The forks load classes for minutes: run them from a private copy, so that a build in this tree meanwhile
# (mvn clean, an IDE) cannot change or remove them under a running benchmark. The build wrote the test class path
# (vmm-worker/pom.xml): this tree's own modules, which are copied too, and the dependencies in ~/.m2.
run_dir="$(mktemp -d -t snapgate-bench.XXXXXX)"
trap 'rm -rf "$run_dir"' EXIT
cp -r vmm-worker/target/classes "$run_dir/classes"
cp -r vmm-worker/target/test-classes "$run_dir/test-classes"
classpath="$run_dir/test-classes:$run_dir/classes"
IFS=: read -r -a entries <"vmm-worker/target/test-classpath.txt" || true # no newline at its end
for entry in "${entries[@]}"; do
    case "$entry" in
        "$root"/*) copy="$run_dir/reactor/${entry#"$root"/}"; mkdir -p "$(dirname "$copy")"; cp -r "$entry" "$copy"
            classpath="$classpath:$copy" ;;
        *) classpath="$classpath:$entry" ;;
    esac
done

cd vmm-worker
args=("$@")
main=org.openjdk.jmh.Main
if [ ${#args[@]} -eq 0 ]; then
    args=('io\.snapgate\.vmm\.bench\.')
elif [ "${args[0]}" = footprint ]; then
    main=io.snapgate.vmm.bench.MemoryFootprint
    args=()
fi
cmd=(java -cp "$classpath" "$main" "${args[@]}")
say "running in $PWD (this tree's classes copied to $run_dir):"
printf '%q ' "${cmd[@]}" >&2
printf '\n' >&2
"${cmd[@]}"
