#!/usr/bin/env bash
# Rewrites test/fixtures/langgraph/python/ORACLE.json: what the real LangGraph draws for every fixture graph
# module (a human-readable reference; tests run the dumper live). Review the diff before committing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
py="$(bash scripts/oracle-venv.sh | tail -n 1)"
dir=test/fixtures/langgraph/python
files=$(ls "$dir"/*.py "$dir"/subgraphs/*.py | grep -v '/__init__\.py$')
# shellcheck disable=SC2086
"$py" test/oracle/dump_graphs.py $files > "$dir/ORACLE.json"
if grep -q '"error"' "$dir/ORACLE.json"; then
  echo "update-oracle: some fixture failed to build; see $dir/ORACLE.json" >&2
  exit 1
fi
echo "wrote $dir/ORACLE.json"
