#!/usr/bin/env bash
# Every test, from a fresh machine: installs the npm dependencies when missing, builds, type-checks, runs the
# unit, fixture, LSP protocol and CLI tests, then the end-to-end tests in a real VS Code (scripts/e2e/run.sh,
# which installs code-server and Chromium when missing). Ends with one line, "N passed, N failed", over both
# runs, and exits non-zero when any part fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ ! -x node_modules/.bin/esbuild || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[test] npm ci"
  npm ci --no-audit --no-fund </dev/null || exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
npm test </dev/null 2>&1 | tee -a "$log" || status=1
bash scripts/e2e/run.sh 2>&1 | tee -a "$log" || status=1

# The node test runner prints "# pass N" (TAP) or "ℹ pass N" (spec) once per run.
sum() { grep -E "^(#|ℹ) $1 [0-9]+$" "$log" | awk '{ s += $3 } END { print s + 0 }'; }
passed=$(sum pass)
failed=$(sum fail)
if ((status != 0 && failed == 0)); then failed=1; fi
echo
echo "$passed passed, $failed failed"
exit $status
