#!/usr/bin/env bash
# What the transport and live-query limits cost: Health/Check under h2load and the mixed arbor-load workload,
# against two release builds of arbor-server (before and after), alternating in one run so that the machine's
# noise hits both alike. Prints one line per run; the ratio after/before is what docs/benchmarks.md records.
#
#   Benchmarks/scripts/limits-overhead.sh BEFORE_BIN_DIR AFTER_BIN_DIR DATABASE_URL [PAIRS]
#
# Each BIN_DIR holds arbor-server and arbor-load (swift build -c release --product …). Servers are pinned to core 0
# with one event loop, load generators to core 1.
set -euo pipefail
before=$1 after=$2 database=$3 pairs=${4:-5}
port=50071
health=$(mktemp)
printf '\x00\x00\x00\x00\x00' > "$health"    # length-prefixed empty HealthCheckRequest

serve() {
    taskset -c 0 "$1/arbor-server" serve --database-url "$database" --listen 127.0.0.1:$port --event-loops 1 \
        --max-staleness 60s --log-level warning > /tmp/limits-overhead-server.out 2>&1 &
    server=$!
    for _ in $(seq 1 600); do
        "$1/arbor-load" --server 127.0.0.1:$port --duration 1s --warmup 0s --requests 1 --mix users=1 \
            >/dev/null 2>&1 && break
        sleep 0.1
    done
    sleep 2    # first snapshot load
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; }

run() {
    local label=$1 dir=$2
    serve "$dir"
    local h2
    # 60 connections: below the per-address limit (64) that the new server enforces on loopback clients.
    h2=$(taskset -c 1 h2load -c 60 -m 100 -n 200000 -d "$health" -H 'content-type: application/grpc' \
        -H 'te: trailers' "http://127.0.0.1:$port/grpc.health.v1.Health/Check" \
        | awk '/^finished in/ {print $4} /^requests:/ {print $8, "succeeded"}' | tr '\n' ' ')
    local load
    load=$(taskset -c 1 "$dir/arbor-load" --server 127.0.0.1:$port --duration 15s --warmup 3s --timeout 30s \
        --max-staleness 60s --seed 1 --json 2>/dev/null | python3 -c '
import json, sys
total = json.load(sys.stdin)["total"]
print("%.0f req/s, p99 %.1f ms, %d errors" % (total["throughput_per_s"], total["latency_ms"]["p99"], total["errors"]))')
    stop
    echo "$label health: $h2 | arbor-load req/s, errors: $load | load average: $(cut -d' ' -f1 /proc/loadavg)"
}

for i in $(seq 1 "$pairs"); do
    run before "$before"
    run after "$after"
done
rm -f "$health"
