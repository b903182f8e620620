#!/usr/bin/env bash
# Verification page under load: wrk against /p/{code} and against a static file of the same bytes served by the same
# Kestrel in the same run (concurrency 16 and 64). Writes the "## Verification page" section of docs/benchmarks.md.
# Usage: scripts/bench-pages.sh [--quick]
#   --quick (or PROVENANCE_PROFILE=small): 5 s per run instead of 30 s; figures are printed, the doc is not touched.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=30
QUICK=0
if [ "${1:-}" = "--quick" ] || [ "${PROVENANCE_PROFILE:-}" = "small" ]; then DURATION=5; QUICK=1; fi
THREADS=2
CODE=KP7Q3M9XZ2H4K8W
FIXTURES="$ROOT/tests/Provenance.Api.Tests/Verification/Fixtures/preview-pieces.json"

ensure_apt wrk curl
cd "$ROOT"
log "build (Release)"
dotnet build src/Provenance.Api -c Release -warnaserror --nologo -v q >/dev/null

WORK="$(mktemp -d)"
APP_PID=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/static" "$WORK/data"

# The gateway needs a deployment file and a chain URL to start; the page reads the preview source, so the chain is
# an address nobody listens on (the relayer and indexer back off quietly).
echo '{"abi":[]}' > "$WORK/abi.json"
printf '{"chainId":31337,"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3","deployBlock":1,"deployTx":null,"abi":"%s","admin":null}\n' \
  "$WORK/abi.json" > "$WORK/deployment.json"

log "start the gateway (Release, preview data source, rate limits out of the way)"
env ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS=http://127.0.0.1:0 \
  Logging__LogLevel__Default=Warning 'Logging__LogLevel__Microsoft.Hosting.Lifetime=Information' \
  Storage__DataDirectory="$WORK/data" Security__MasterKey="$(head -c 32 /dev/urandom | base64)" \
  Chain__RpcUrl=http://127.0.0.1:9 Chain__DeploymentFile="$WORK/deployment.json" \
  RateLimit__PermitLimit=1000000 RateLimit__WindowSeconds=1 \
  Verification__PreviewFixturesFile="$FIXTURES" Verification__PreviewStaticDirectory="$WORK/static" \
  Verification__RateLimits__PagesPerMinute=2000000000 \
  Verification__Scans__ConnectionString="Data Source=$WORK/data/scans.db" \
  dotnet src/Provenance.Api/bin/Release/net10.0/Provenance.Api.dll > "$WORK/app.log" 2>&1 &
APP_PID=$!

BASE=""
for _ in $(seq 1 150); do
  BASE="$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$WORK/app.log" | head -1 | sed 's/Now listening on: //')" || true
  [ -n "$BASE" ] && curl -sf -o /dev/null "$BASE/p/$CODE" && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; echo "gateway exited" >&2; exit 1; }
  sleep 0.2
done
[ -n "$BASE" ] || { cat "$WORK/app.log"; echo "gateway did not start" >&2; exit 1; }

PAGE_URL="$BASE/p/$CODE"
STATIC_URL="$BASE/preview/static/page.html"
curl -sf "$PAGE_URL" -o "$WORK/static/page.html"
PAGE_BYTES=$(curl -sf "$PAGE_URL" | wc -c)
STATIC_BYTES=$(curl -sf "$STATIC_URL" | wc -c)
[ "$PAGE_BYTES" = "$STATIC_BYTES" ] || { echo "sizes differ: page $PAGE_BYTES, static $STATIC_BYTES" >&2; exit 1; }
log "page $PAGE_URL and static $STATIC_URL: $PAGE_BYTES bytes each"

to_ms() { # wrk latency ("371.00us", "2.10ms", "1.02s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# run URL CONNECTIONS -> "rps p50 p99"
run() {
  local out
  out="$(wrk -t"$THREADS" -c"$2" -d"${DURATION}s" --latency "$1")"
  if grep -q 'Non-2xx' <<<"$out" || grep -q 'Socket errors' <<<"$out"; then
    echo "$out" >&2; echo "errors during the run against $1" >&2; exit 1
  fi
  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  echo "$rps $p50 $p99"
}

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
log "warm-up (load average $LOAD_BEFORE on $(nproc) cores)"
wrk -t"$THREADS" -c16 -d3s "$STATIC_URL" >/dev/null
wrk -t"$THREADS" -c16 -d3s "$PAGE_URL" >/dev/null

ROWS=""
VERDICT=""
for C in 16 64; do
  log "concurrency $C: static file, ${DURATION}s"
  read -r S_RPS S_P50 S_P99 <<<"$(run "$STATIC_URL" "$C")"
  log "concurrency $C: verification page, ${DURATION}s"
  read -r P_RPS P_P50 P_P99 <<<"$(run "$PAGE_URL" "$C")"
  RATIO=$(awk -v p="$P_RPS" -v s="$S_RPS" 'BEGIN { printf "%.2f", p / s }')
  ROWS+="| static file | $C | $S_RPS | $S_P50 | $S_P99 | |"$'\n'
  ROWS+="| verification page | $C | $P_RPS | $P_P50 | $P_P99 | $RATIO |"$'\n'
  if [ "$C" = 16 ]; then
    T_RATIO=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.5) ? "met" : "not met" }')
    T_P99=$(awk -v p="$P_P99" 'BEGIN { print (p <= 20) ? "met" : "not met" }')
    VERDICT="At concurrency 16: throughput ratio $RATIO (target ≥ 0.50: $T_RATIO), page p99 $P_P99 ms (target ≤ 20 ms: $T_P99; the static file's p99 in the same run: $S_P99 ms)."
  fi
done
SCANS=$(curl -sf -o /dev/null -w '%{http_code}' "$PAGE_URL")
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
SECTION="## Verification page

Produced by \`scripts/bench-pages.sh\` (run $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)): the gateway in
Release on one machine ($(nproc) cores, $CPU) with wrk $THREADS threads on the same cores, ${DURATION} s per run after a
3 s warm-up. Page: \`/p/$CODE\` in English, $PAGE_BYTES bytes uncompressed (wrk sends no Accept-Encoding), every
request counted as a scan (salted client hash, suspected-copy rules) and rate-limited per client, data from the preview
source (\`Verification:PreviewFixturesFile\`; the gateway's store-backed source is not registered yet), cached views and
rendered pages (\`Verification:ViewCacheDuration\`, 5 s). Static file: the same bytes served from disk by the same
Kestrel (\`/preview/static/page.html\`) in the same run. Latencies in milliseconds. One-minute load average
$LOAD_BEFORE before and $LOAD_AFTER after the runs (above $(nproc), other work shared the cores and the tails show it).

| target | concurrency | req/s | p50 | p99 | page / static |
|---|---:|---:|---:|---:|---:|
${ROWS}
$VERDICT
"
printf '\n%s\n' "$SECTION"
[ "$SCANS" = 200 ] || { echo "page stopped answering 200 after the runs" >&2; exit 1; }

if [ "$QUICK" = 1 ]; then
  log "quick profile: docs/benchmarks.md left unchanged"
  exit 0
fi

DOC="$ROOT/docs/benchmarks.md"
[ -f "$DOC" ] || printf '# Benchmarks\n' > "$DOC"
printf '%s' "$SECTION" > "$WORK/section.md"
awk -v section="$WORK/section.md" '
  function emit() { while ((getline line < section) > 0) print line; close(section); done = 1 }
  /^## Verification page[[:space:]]*$/ { emit(); skipping = 1; next }
  skipping && /^## / { skipping = 0; print ""; }
  !skipping { print }
  END { if (!done) { print ""; emit() } }
' "$DOC" > "$WORK/benchmarks.md"
mv "$WORK/benchmarks.md" "$DOC"
log "wrote the Verification page section of docs/benchmarks.md"
