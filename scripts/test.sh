#!/usr/bin/env bash
# Runs every test: contracts (Hardhat, coverage gate, solhint) and all .NET tests.
# Installs what a fresh machine lacks. Usage: ./scripts/test.sh [--full]
#   --full  also runs the long drills and load profiles (PROVENANCE_PROFILE=full).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" = "--full" ]; then export PROVENANCE_PROFILE=full; fi
export PROVENANCE_PROFILE="${PROVENANCE_PROFILE:-small}"

ensure_apt chromium zbar-tools fonts-noto-core sqlite3 ca-certificates
ensure_npm
cd "$ROOT"

log "contracts: compile, lint, test with coverage gate"
ensure_contracts
npx --no-install solhint --max-warnings 0 'contracts/**/*.sol'
bash scripts/contract-coverage.sh

log ".NET: build and test"
dotnet build Provenance.sln -c Release -warnaserror --nologo -v q
status=0
# Per checkout (test-output/ is ignored): several clones on one machine must not share one log file.
TEST_LOG="$ROOT/test-output/dotnet-test.log"
mkdir -p "$(dirname "$TEST_LOG")"
dotnet test Provenance.sln -c Release --no-build --nologo --logger "console;verbosity=normal" \
  > "$TEST_LOG" 2>&1 || status=$?
# Show everything except the long list of passing tests, then each project's totals.
grep -Ev '^\s+Passed |^\s*$|^(Total tests|\s+(Passed|Failed|Skipped):|\s*Total time)' "$TEST_LOG" | tail -n 400 || true
# Every failing test with its message and stack, wherever it is in the log (the tail above may not reach it).
grep -E -A40 '\[FAIL\]|^\s+Failed ' "$TEST_LOG" | head -n 600 || true
grep -E '^(Total tests|\s+(Passed|Failed|Skipped):|Test Run|\s*Total time)' "$TEST_LOG" || true
if [ "$status" -ne 0 ]; then log "dotnet test failed (exit $status)"; exit "$status"; fi
log "all tests passed"
