#!/usr/bin/env bash
# Shared helpers for scripts/*.sh: install what a fresh machine lacks, from the registries we reach.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# ensure_apt PKG... : installs Debian packages that are missing (needs root, as on CI and dev machines).
ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_npm : installs the locked npm packages when node_modules is missing or older than the lock file.
ensure_npm() {
  cd "$ROOT"
  # A symlinked node_modules is a shared install managed elsewhere (git worktrees, test clones): never run
  # npm ci through it — npm would empty the shared folder.
  if [ -L node_modules ]; then return 0; fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # The lock lists anvil's other-platform binaries without a tarball: the registries we reach serve
    # only anvil-linux-amd64, and npm ci skips optional packages for other platforms.
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# ensure_contracts : compiles the registry (offline compiler from the npm solc package).
ensure_contracts() {
  cd "$ROOT"
  npx --no-install hardhat compile --quiet
}

# json_field PATH: prints a dotted path of the JSON document on stdin (objects and arrays as JSON, absent as "").
json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let o=JSON.parse(s);for(const k of process.argv[1].split("."))o=o?.[k];console.log(typeof o==="object"&&o!==null?JSON.stringify(o):(o??""))})' "$1"; }

# free_port : prints a TCP port nobody listens on right now (127.0.0.1).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# rpc_answers URL : true when a JSON-RPC node answers eth_chainId at URL.
rpc_answers() {
  curl -s -m 2 -H 'Content-Type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$1" 2>/dev/null | grep -q '"result"'
}

# start_anvil PORT LOG [anvil args...] : starts Anvil (chain id 31337) on 127.0.0.1:PORT in the background, sets
# CHAIN_PID (the caller stops it) and waits until it answers; fails with the log's path if it does not.
# The states of older blocks Anvil writes to disk go to anvil-cache beside the log (its default, ~/.foundry/anvil/tmp,
# keeps them after a kill: tens of GB after a few busy runs).
start_anvil() {
  local port="$1" logfile="$2"
  shift 2
  # The platform binary shipped inside the npm package; the bin shim only forwards to it.
  local anvil
  anvil="$(ls "$ROOT"/node_modules/@foundry-rs/anvil-*/bin/anvil 2>/dev/null | head -n 1 || true)"
  [ -n "$anvil" ] || anvil="$ROOT/node_modules/.bin/anvil"
  "$anvil" --host 127.0.0.1 --port "$port" --chain-id 31337 --cache-path "$(dirname "$logfile")/anvil-cache" "$@" >"$logfile" 2>&1 &
  CHAIN_PID=$!
  local _
  for _ in $(seq 1 150); do
    rpc_answers "http://127.0.0.1:$port" && return 0
    kill -0 "$CHAIN_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "Anvil did not start on port $port; see $logfile" >&2
  return 1
}

# deploy_registry RPC_URL DEPLOYMENT_FILE : deploys the registry there unless the file already points at it
# (scripts/deploy.js is idempotent).
deploy_registry() {
  (cd "$ROOT" && PROVENANCE_RPC_URL="$1" PROVENANCE_DEPLOYMENT="$2" \
    npx --no-install hardhat run scripts/deploy.js --network localhost)
}

# write_doc_section HEADING FILE : replaces the "## HEADING" section of docs/benchmarks.md (up to the next "## "
# heading) with FILE's text, or appends it; other sections stay as they are.
write_doc_section() {
  node "$ROOT/scripts/doc-section.js" "$ROOT/docs/benchmarks.md" "$1" "$2"
}
