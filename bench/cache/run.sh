#!/usr/bin/env bash
# Cache benchmark: GET /hello (no cache) next to a Cache.get hit, and getOrSet hit/miss, on the
# in-process cache and on Redis. `bench/cache/run.sh [REDIS_URL]` after `cargo build --release`.
set -euo pipefail
cd "$(dirname "$0")"
bin=../../target/release/palbase
redis=${1:-redis://127.0.0.1:6379/}
run() { # name, env
  local log; log=$(mktemp)
  env "$@" "$bin" serve . --port 0 --no-watch >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q "ready in" "$log" && break; sleep 0.1; done
  local base; base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  curl -s "$base/hitset" >/dev/null
  for path in /hello /hit "/miss?k=gos" /miss; do
    wrk -t2 -c64 -d8s --latency "$base$path" 2>/dev/null | awk -v p="$path" '/Requests\/sec/{rps=$2} /^ +50%/{p50=$2} /^ +99%/{p99=$2} END{printf "  %-12s %10s req/s  p50 %-8s p99 %s\n", p, rps, p50, p99}'
  done
  kill $pid; wait $pid 2>/dev/null || true
}
echo "in-process cache:"; run PALBASE_LOG=warn
echo "redis ($redis):"; run PALBASE_LOG=warn PALBASE_REDIS_URL="$redis"
