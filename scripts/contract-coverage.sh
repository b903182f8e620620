#!/usr/bin/env bash
# Runs the contract tests under solidity-coverage and fails below the gate:
# 100% lines and functions, >= 95% branches.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
npx --no-install hardhat coverage
node -e '
const s = require("./coverage/coverage-summary.json").total;
const pct = (k) => s[k].pct;
const gate = { lines: 100, functions: 100, branches: 95 };
let ok = true;
for (const [k, min] of Object.entries(gate)) {
  const v = pct(k);
  console.log(`coverage ${k}: ${v}% (gate ${min}%)`);
  if (v < min) ok = false;
}
if (!ok) { console.error("coverage gate failed"); process.exit(1); }
'
