#!/usr/bin/env bash
# Runs the end-to-end tests in a real VS Code (code-server) and Chromium: installs them when missing, packages
# the extension (dist/agentgraph.vsix), then runs test/e2e/*.e2e.test.ts (or the files given as arguments)
# with node's test runner. Exits non-zero when a test fails, and lists the screenshots and logs of failures.
#
#   scripts/e2e/run.sh                                # all e2e tests
#   scripts/e2e/run.sh test/e2e/diagnostics.e2e.test.ts
#   AGENTGRAPH_E2E_SKIP_PACKAGE=1 scripts/e2e/run.sh  # reuse dist/agentgraph.vsix
#   AGENTGRAPH_E2E_KEEP=1 scripts/e2e/run.sh          # keep each session's temporary folder
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
RESULTS=test-results/e2e

bash scripts/install-vscode.sh

# Cleared before packaging: without a .vscodeignore, vsce would pack an earlier run's screenshots.
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

if [[ "${AGENTGRAPH_E2E_SKIP_PACKAGE:-}" != 1 ]]; then
  echo "[e2e] packaging the extension"
  npm run --silent package </dev/null
fi

if (($# > 0)); then
  files=("$@")
else
  shopt -s nullglob
  files=(test/e2e/*.e2e.test.ts)
  shopt -u nullglob
fi
if ((${#files[@]} == 0)); then
  echo "[e2e] no test files found" >&2
  exit 1
fi

# One file at a time: each runs its own VS Code and browser. --test-force-exit ends a file whose abandoned
# (timed-out) test still holds handles.
status=0
start=$SECONDS
node --import tsx --test --test-concurrency=1 --test-force-exit --test-reporter=spec "${files[@]}" </dev/null || status=$?
echo "[e2e] finished in $((SECONDS - start)) s with exit code $status"

mapfile -t failures < <(find "$RESULTS" -maxdepth 1 \( -name '*-failure.png' -o -name '*-logs' \) | sort)
if ((${#failures[@]})); then
  echo "[e2e] failure artifacts:"
  for file in "${failures[@]}"; do echo "  $ROOT/$file"; done
fi
exit "$status"
