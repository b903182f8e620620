#!/usr/bin/env bash
# Benchmarks the offline Ethereum layer (Keccak, sign, recover, ABI, EIP-712, transactions) with BenchmarkDotNet
# and writes the "## Ethereum layer" section of docs/benchmarks.md (other sections are kept as they are).
# Usage: ./scripts/bench-ethereum.sh [extra BenchmarkDotNet arguments, e.g. --filter '*Sign*']
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

COMMAND="./scripts/bench-ethereum.sh${*:+ $*}"
OUT="$ROOT/test-output/bench-ethereum"
rm -rf "$OUT"
mkdir -p "$OUT"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "BenchmarkDotNet: tests/Provenance.Ethereum.Benchmarks (load average $LOAD_BEFORE)"
dotnet run -c Release --project tests/Provenance.Ethereum.Benchmarks -- \
  --filter '*' --exporters github --artifacts "$OUT" "$@"

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
REPORT="$(ls "$OUT"/results/*-report-github.md | head -n 1)"
[ -f "$REPORT" ] || { echo "no BenchmarkDotNet report in $OUT/results" >&2; exit 1; }

SECTION="$OUT/section.md"
{
  echo "## Ethereum layer"
  echo
  echo "Produced by \`$COMMAND\` on $(date -u +%Y-%m-%d) ($(nproc) cores; BenchmarkDotNet, 1 launch, 3 warm-up and 10"
  echo "measured iterations). Each group has a baseline measured in the same run (Ratio = mean / baseline mean):"
  echo "Keccak-256 against a fresh BouncyCastle \`KeccakDigest\` per call; signing against BouncyCastle's plain"
  echo "\`ECDsaSigner\` (same RFC 6979 nonce, but no low-s and no recovery id); recovery against a plain ECDSA verify;"
  echo "the registry's \`executeBatch\` with 10 actions against packing 10 ids; the EIP-712 digest against the struct"
  echo "hash alone; signing a type-2 transaction against computing its signing hash. Op/s is per core."
  echo "Targets (issue 3): signing and recovery each ≥ 2,000/s on one core. Load average (1/5/15 min) before the run:"
  echo "$LOAD_BEFORE, after: $LOAD_AFTER — on a shared machine other work inflates the means and their error."
  echo
  # The report: drop BenchmarkDotNet's code fence around the environment and keep the table.
  sed -e 's/^```$//' "$REPORT"
} > "$SECTION"

write_doc_section "Ethereum layer" "$SECTION"
log "wrote the '## Ethereum layer' section of docs/benchmarks.md"
