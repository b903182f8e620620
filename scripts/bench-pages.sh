#!/usr/bin/env bash
# Verification page under load: wrk against /p/{code} and against a static file of the same bytes served by the same
# Kestrel in the same run (concurrency 16 and 64). Writes the "## Verification page" section of docs/benchmarks.md.
# Usage: scripts/bench-pages.sh [--quick] [--preview]
#   --quick (or PROVENANCE_PROFILE=small): 5 s per run instead of 30 s; figures are printed, the doc is not touched.
#   --preview: read the piece from the preview fixtures instead of the real store (no chain needed).
# By default the piece is real: an Anvil chain is started, the registry deployed, an artisan onboarded and a piece
# registered, processed and paid through the API; the page then reads the gateway's store-backed source.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=30
QUICK=0
SOURCE=real
for arg in "$@"; do
  case "$arg" in
    --quick) DURATION=5; QUICK=1 ;;
    --preview) SOURCE=preview ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
if [ "${PROVENANCE_PROFILE:-}" = "small" ]; then DURATION=5; QUICK=1; fi
THREADS=2
CODE=KP7Q3M9XZ2H4K8WTA
FIXTURES="$ROOT/tests/Provenance.Api.Tests/Verification/Fixtures/preview-pieces.json"

ensure_apt wrk curl
cd "$ROOT"
if [ "$SOURCE" = real ]; then ensure_npm; ensure_contracts; fi
log "build (Release)"
dotnet build src/Provenance.Api -c Release -warnaserror --nologo -v q >/dev/null

WORK="$(mktemp -d)"
APP_PID=""
CHAIN_PID=""
cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [ -n "$CHAIN_PID" ]; then kill "$CHAIN_PID" 2>/dev/null || true; wait "$CHAIN_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/static" "$WORK/data"


if [ "$SOURCE" = real ]; then
  RPC_PORT="$(free_port)"
  RPC_URL="http://127.0.0.1:$RPC_PORT"
  log "start Anvil on $RPC_URL and deploy the registry"
  start_anvil "$RPC_PORT" "$WORK/anvil.log"
  deploy_registry "$RPC_URL" "$WORK/deployment.json" >"$WORK/deploy.log" 2>&1 || { cat "$WORK/deploy.log"; exit 1; }
  PREVIEW_SETTINGS=()
else
  # The gateway needs a deployment file and a chain URL to start; the page reads the preview source, so the chain is
  # an address nobody listens on (the relayer and indexer back off quietly).
  RPC_URL=http://127.0.0.1:9
  echo '{"abi":[]}' > "$WORK/abi.json"
  printf '{"chainId":31337,"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3","deployBlock":1,"deployTx":null,"abi":"%s","admin":null}\n' \
    "$WORK/abi.json" > "$WORK/deployment.json"
  PREVIEW_SETTINGS=(Verification__PreviewFixturesFile="$FIXTURES")
fi

APP_PORT="$(free_port)"
BASE="http://127.0.0.1:$APP_PORT"
log "start the gateway (Release, $SOURCE data source, rate limits out of the way) on $BASE"
env ASPNETCORE_ENVIRONMENT=Benchmark ASPNETCORE_URLS="$BASE" Logging__LogLevel__Default=Warning \
  Storage__DataDirectory="$WORK/data" Security__MasterKey="$(head -c 32 /dev/urandom | base64)" \
  Security__PublicBaseUrl="$BASE" Chain__RpcUrl="$RPC_URL" Chain__DeploymentFile="$WORK/deployment.json" \
  RateLimit__PermitLimit=1000000 RateLimit__WindowSeconds=1 \
  Verification__PreviewStaticDirectory="$WORK/static" Verification__RateLimits__PagesPerMinute=2000000000 \
  "${PREVIEW_SETTINGS[@]}" \
  dotnet src/Provenance.Api/bin/Release/net10.0/Provenance.Api.dll > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 300); do
  curl -sf -o /dev/null "$BASE/health" && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; echo "gateway exited" >&2; exit 1; }
  sleep 0.2
done

if [ "$SOURCE" = real ]; then
  ADMIN="$(cat "$WORK/data/admin-api-key")"
  api() { # METHOD PATH KEY [BODY]
    curl -sf -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+--data "$4"} "$BASE$2"
  }
  wait_op() {
    local status=""
    for _ in $(seq 1 600); do
      status="$(curl -sf "$BASE/api/operations/$1" | json_field status)"
      [ "$status" = confirmed ] && return 0
      [ "$status" = failed ] && { curl -s "$BASE/api/operations/$1" >&2; exit 1; }
      sleep 0.1
    done
    echo "operation $1 stayed $status" >&2; exit 1
  }
  log "onboard an artisan, register a piece, record weaving and payment (real chain)"
  ARTISAN="$(api POST /api/actors/artisans "$ADMIN" \
    '{"name":"Haleema Bano","craft":"kani","cluster":"Kanihama","village":"Kanihama","visibility":{"name":true,"village":true}}')"
  wait_op "$(json_field roleOperationId <<<"$ARTISAN")"
  KEY="$(json_field apiKey <<<"$ARTISAN")"
  PIECE="$(api POST /api/pieces "$KEY" "$(printf '{"craft":"kani","title":"Kani shawl, chinar leaf jamawar","description":"Woven over fourteen months in Kanihama by two weavers reading a talim.","makers":[{"actorId":"%s","part":"weaving"}],"materials":["Changthangi pashmina wool","walnut-husk dye"],"dimensions":"200 x 100 cm","giLabel":"JK-KAN-2024-004127"}' "$(json_field id <<<"$ARTISAN")")")"
  CODE="$(json_field code <<<"$PIECE")"
  wait_op "$(json_field operationId <<<"$PIECE")"
  wait_op "$(api POST "/api/pieces/$CODE/events" "$KEY" '{"kind":"processing","step":"washing","location":"Kanihama","notes":"Washed in the Doodh Ganga, dried in shade."}' | json_field operationId)"
  wait_op "$(api POST "/api/pieces/$CODE/events" "$KEY" '{"kind":"paymentConfirmed","notes":"Paid in full"}' | json_field operationId)"
  for _ in $(seq 1 600); do # up to two minutes for the index on a busy machine
    curl -sf "$BASE/p/$CODE" 2>/dev/null | grep -q 'data-state="authentic"' && grep -q 'Paid in full' <(curl -sf "$BASE/p/$CODE") && break
    sleep 0.2
  done
fi
if ! curl -sf "$BASE/p/$CODE" | grep -q 'data-state="authentic"'; then
  echo "the page does not show the piece as authentic: HTTP $(curl -s -o "$WORK/page.html" -w '%{http_code}' "$BASE/p/$CODE"), $(grep -o 'data-state="[a-z]*"' "$WORK/page.html" | head -n 1)" >&2
  tail -n 40 "$WORK/app.log" >&2
  exit 1
fi

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

# run URL CONNECTIONS -> "rps p50 p90 p99"
run() {
  local out
  out="$(wrk -t"$THREADS" -c"$2" -d"${DURATION}s" --latency "$1")"
  if grep -q 'Non-2xx' <<<"$out" || grep -q 'Socket errors' <<<"$out"; then
    echo "$out" >&2; echo "errors during the run against $1" >&2; exit 1
  fi
  local rps p50 p90 p99
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p90=$(to_ms "$(awk '$1 == "90%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  echo "$rps $p50 $p90 $p99"
}

LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
log "warm-up (load average $LOAD_BEFORE on $(nproc) cores)"
wrk -t"$THREADS" -c16 -d3s "$STATIC_URL" >/dev/null
wrk -t"$THREADS" -c16 -d3s "$PAGE_URL" >/dev/null

ROWS=""
VERDICT=""
for C in 16 64; do
  log "concurrency $C: static file, ${DURATION}s"
  read -r S_RPS S_P50 S_P90 S_P99 <<<"$(run "$STATIC_URL" "$C")"
  log "concurrency $C: verification page, ${DURATION}s"
  read -r P_RPS P_P50 P_P90 P_P99 <<<"$(run "$PAGE_URL" "$C")"
  RATIO=$(awk -v p="$P_RPS" -v s="$S_RPS" 'BEGIN { printf "%.2f", p / s }')
  ROWS+="| static file | $C | $S_RPS | $S_P50 | $S_P90 | $S_P99 | |"$'\n'
  ROWS+="| verification page | $C | $P_RPS | $P_P50 | $P_P90 | $P_P99 | $RATIO |"$'\n'
  if [ "$C" = 16 ]; then
    T_RATIO=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.5) ? "met" : "not met" }')
    T_P99=$(awk -v p="$P_P99" 'BEGIN { print (p <= 20) ? "met" : "not met" }')
    VERDICT="At concurrency 16: throughput ratio $RATIO (target ≥ 0.50: $T_RATIO), page p99 $P_P99 ms (target ≤ 20 ms: $T_P99; the static file's p99 in the same run: $S_P99 ms)."
  fi
done
SCANS=$(curl -sf -o /dev/null -w '%{http_code}' "$PAGE_URL")
LOAD_AFTER="$(cut -d' ' -f1 /proc/loadavg)"

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
# Say that other work shared the cores only when the load average shows it.
LOAD_NOTE=$(awk -v a="$LOAD_BEFORE" -v b="$LOAD_AFTER" -v n="$(nproc)" \
  'BEGIN { if (a > n || b > n) printf " (above %d, other work shared the cores and the tails show it)", n }')
if [ "$SOURCE" = real ]; then
  SOURCE_TEXT="data from the gateway's store-backed source (a piece registered, processed and paid on a local Anvil chain through the API, read from the index)"
  COMMAND="scripts/bench-pages.sh"
else
  SOURCE_TEXT="data from the preview source (\`Verification:PreviewFixturesFile\`)"
  COMMAND="scripts/bench-pages.sh --preview"
fi
SECTION="## Verification page

Produced by \`$COMMAND\` (run $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)): the gateway in
Release on one machine ($(nproc) cores, $CPU) with wrk $THREADS threads on the same cores, ${DURATION} s per run after a
3 s warm-up. Page (what a view does: docs/verification.md, section \"What a page view does\"): \`/p/{code}\` in English, $PAGE_BYTES bytes uncompressed (wrk sends no Accept-Encoding), every
request counted as a scan (salted client hash, suspected-copy rules, an in-memory counter written to the store once a
second) and rate-limited per client, $SOURCE_TEXT, cached views and rendered pages (\`Verification:ViewCacheDuration\`,
5 s; one store read and one render when they expire). Static file: the same bytes served from disk by the same
Kestrel (\`/preview/static/page.html\`) in the same run. Latencies in milliseconds. One-minute load average
$LOAD_BEFORE before and $LOAD_AFTER after the runs$LOAD_NOTE.

| target | concurrency | req/s | p50 | p90 | p99 | page / static |
|---|---:|---:|---:|---:|---:|---:|
${ROWS}
$VERDICT
"
printf '\n%s\n' "$SECTION"
[ "$SCANS" = 200 ] || { echo "page stopped answering 200 after the runs" >&2; exit 1; }

if [ "$QUICK" = 1 ]; then
  log "quick profile: docs/benchmarks.md left unchanged"
  exit 0
fi

printf '%s' "$SECTION" > "$WORK/section.md"
write_doc_section "Verification page" "$WORK/section.md"
log "wrote the Verification page section of docs/benchmarks.md"
