#!/usr/bin/env bash
# The first call a freshly started gateway answers: starts `snapgate serve` on an empty temp store (the example
# guests installed), times one call of hello greet with curl, then the first and second call of the JavaScript
# example rules (check) one second later, and stops it; several rounds, alternating between the checkouts given
# (default: this one), so that an A/B shares the machine's state. BENCHMARKS.md has the figures.
#   scripts/first-call.sh                         # this checkout, 3 rounds
#   ROUNDS=5 scripts/first-call.sh /tmp/old .     # an older checkout against this one
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
checkouts=("$@")
[ ${#checkouts[@]} -gt 0 ] || checkouts=("$root")
port=18090
pid=; store=
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; }; [ -n "$store" ] && rm -rf "$store" "$store".*' EXIT
for round in $(seq 1 "${ROUNDS:-3}"); do
    for checkout in "${checkouts[@]}"; do
        store="$(mktemp -d -t snapgate-first-call.XXXXXX)"
        log="$store.log"
        "$checkout/snapgate" serve --store "$store" --examples true --port "$port" >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 1 600); do grep -q "listening" "$log" && break; sleep 0.1; done
        headers="$store.headers"
        total=$(curl -sf -o /dev/null -D "$headers" -w '%{time_total}' -X POST \
            "http://127.0.0.1:$port/v1/snapshots/hello/functions/greet" -d '{"args":["x"]}')
        gateway=$(sed -n 's/.*gateway;dur=\([0-9.]*\).*/\1/p' "$headers")
        printf 'round %d  %-40s first call %6.1f ms (inside the gateway %s ms)\n' "$round" "$checkout" \
            "$(awk -v s="$total" 'BEGIN { print s * 1000 }')" "$gateway"
        sleep 1
        for nth in first second; do
            js=$(curl -sf -o /dev/null -w '%{time_total}' -X POST \
                "http://127.0.0.1:$port/v1/snapshots/rules/functions/check" \
                -d '{"args":[{"total":120,"country":"FR","items":3}]}')
            printf 'round %d  %-40s %-6s call of rules check (JavaScript) %6.1f ms\n' "$round" "$checkout" "$nth" \
                "$(awk -v s="$js" 'BEGIN { print s * 1000 }')"
        done
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        rm -rf "$store" "$log" "$headers"
        pid=; store=
    done
done
