#!/usr/bin/env bash
# Storage throughput: a 100 MiB file through the runtime's signed URLs (streamed between the
# socket and the disk) and through a handler (`upload(req.file)` + `download()`, bytes crossing
# into JavaScript). `bench/storage/run.sh [BINARY]` (default target/release/palbase); prints MiB/s
# and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")"
bin=${1:-../../target/release/palbase}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; rm -rf .palbase' EXIT
head -c $((100 << 20)) /dev/urandom > "$tmp/big.bin"
log="$tmp/log"
PALBASE_LOG=warn "$bin" serve . --port 0 --no-watch >"$log" 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "ready in" "$log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
sign() { curl -s -X POST -H 'content-type: application/json' -d "{\"path\":\"big.bin\",\"up\":$1}" "$base/sign/up" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])'; }
up=$(sign true)
mibs() { python3 -c "print(f'{100/$1:.0f} MiB/s ({$1:.2f} s)')"; }
t=$(curl -s -o /dev/null -w '%{time_total}' -X PUT --data-binary @"$tmp/big.bin" "$up"); echo "signed upload (PUT, streamed):      $(mibs "$t")"
down=$(sign false)
t=$(curl -s -o "$tmp/back.bin" -w '%{time_total}' "$down"); echo "signed download (GET, streamed):    $(mibs "$t")"
cmp -s "$tmp/big.bin" "$tmp/back.bin" && echo "  bytes identical"
r=$(curl -s -F "file=@$tmp/big.bin;type=application/octet-stream" "$base/roundtrip")
echo "through a handler: $r"
echo "server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
kill $pid; wait $pid 2>/dev/null || true
