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
