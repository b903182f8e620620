#!/usr/bin/env bash
# Runs the whole service on this machine: a persistent local dev chain (Anvil, state under data/chain), the
# registry (deployed once), and the gateway on http://localhost:5080. Installs what is missing first.
# Run it again and it reuses everything; Ctrl-C stops the gateway and the chain it started.
#
# Environment (all optional):
#   PROVENANCE_DATA_DIR   data folder (default ./data): SQLite store, photos, master key, admin key, chain state
#   PROVENANCE_RPC_URL    chain to use (default http://127.0.0.1:8545; a chain already answering there is reused)
#   PROVENANCE_PORT       gateway port (default 5080)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt curl ca-certificates
ensure_npm
ensure_contracts
cd "$ROOT"
log "dotnet build (Release)"
dotnet build src/Provenance.Api/Provenance.Api.csproj -c Release --nologo -v q -warnaserror >/dev/null

DATA="${PROVENANCE_DATA_DIR:-$ROOT/data}"
mkdir -p "$DATA/chain"
DATA="$(cd "$DATA" && pwd)"
RPC_URL="${PROVENANCE_RPC_URL:-http://127.0.0.1:8545}"
PORT="${PROVENANCE_PORT:-5080}"
BASE_URL="http://localhost:$PORT"

CHAIN_PID=""
GATEWAY_PID=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null || true; wait "$GATEWAY_PID" 2>/dev/null || true; fi
  if [ -n "$CHAIN_PID" ]; then
    log "stopping the dev chain (state kept in $DATA/chain/state.json)"
    kill "$CHAIN_PID" 2>/dev/null || true; wait "$CHAIN_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if rpc_answers "$RPC_URL"; then
  log "reusing the chain at $RPC_URL"
else
  PORT_RPC="$(printf '%s' "$RPC_URL" | sed -E 's#.*:([0-9]+)/?$#\1#')"
  log "starting Anvil on port $PORT_RPC (state: $DATA/chain/state.json)"
  start_anvil "$PORT_RPC" "$DATA/chain/anvil.log" --state "$DATA/chain/state.json" --state-interval 1
fi

export PROVENANCE_DEPLOYMENT="${PROVENANCE_DEPLOYMENT:-$DATA/deployment.json}"
log "deploying the registry (only if $PROVENANCE_DEPLOYMENT does not point at it already)"
deploy_registry "$RPC_URL" "$PROVENANCE_DEPLOYMENT"

# Dev master key: generated once into the data folder, readable by this user only. In production give
# PROVENANCE_MASTER_KEY (base64 of 32 bytes) from a secret store instead.
if [ -z "${PROVENANCE_MASTER_KEY:-}" ] && [ -z "${PROVENANCE_MASTER_KEY_FILE:-}" ]; then
  export PROVENANCE_MASTER_KEY_FILE="$DATA/master.key"
  if [ ! -s "$PROVENANCE_MASTER_KEY_FILE" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >"$PROVENANCE_MASTER_KEY_FILE")
    log "generated a dev master key in $PROVENANCE_MASTER_KEY_FILE (mode 0600)"
  fi
fi

export PROVENANCE_DATA_DIR="$DATA" PROVENANCE_RPC_URL="$RPC_URL" PROVENANCE_PUBLIC_URL="${PROVENANCE_PUBLIC_URL:-$BASE_URL}"
export ASPNETCORE_URLS="$BASE_URL" ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
log "starting the gateway on $BASE_URL"
dotnet "$ROOT/src/Provenance.Api/bin/Release/net10.0/Provenance.Api.dll" --contentRoot "$ROOT/src/Provenance.Api" &
GATEWAY_PID=$!
for _ in $(seq 1 300); do
  curl -s -m 2 "$BASE_URL/health" 2>/dev/null | grep -q '"status":"healthy"' && break
  kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "the gateway exited; see its output above" >&2; exit 1; }
  sleep 0.2
done

SAMPLE="$(cat "$DATA/sample-piece" 2>/dev/null || true)"
cat <<INFO

  Provenance gateway is running.
    API            $BASE_URL/api        (health: $BASE_URL/health)
    Swagger UI     $BASE_URL/swagger    (OpenAPI: $BASE_URL/openapi/v1.json)
    Verification   $BASE_URL/p/${SAMPLE:-<piece code>}
    Admin API key  in $DATA/admin-api-key (created at first start, mode 0600):
                   curl -H "Authorization: Bearer \$(cat $DATA/admin-api-key)" $BASE_URL/api/actors/me
    Chain          $RPC_URL (deployment: $PROVENANCE_DEPLOYMENT)
  Press Ctrl-C to stop.

INFO
wait "$GATEWAY_PID"
