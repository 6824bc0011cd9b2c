#!/usr/bin/env bash
# Every test, from a fresh machine: installs the npm dependencies when missing, builds, type-checks, runs the
# unit, fixture, LSP protocol and CLI tests, then the end-to-end tests in a real VS Code (scripts/e2e/run.sh,
# which installs code-server and Chromium when missing). Exits non-zero when any part fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ ! -x node_modules/.bin/esbuild || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[test] npm ci"
  npm ci --no-audit --no-fund </dev/null || exit 1
fi

status=0
npm test </dev/null || status=1
bash scripts/e2e/run.sh || status=1
exit $status
