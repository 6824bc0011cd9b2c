#!/usr/bin/env bash
# Creates (idempotently) the Python virtual environment the recorded real traces are made in
# (test/fixtures/traces-real/): test/.venv-traces/ with the LangGraph release of the oracle, the OpenInference
# LangChain instrumentation and the OpenTelemetry SDK with its OTLP/HTTP protobuf exporter, all pinned.
# Prints the venv's python path on its last line. A stamp file holding the requirement list makes a second
# run skip pip entirely. The exporter is only ever pointed at 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/test/.venv-traces"
py="$venv/bin/python"
stamp="$venv/.requirements-stamp"
otel="opentelemetry-api==1.45.2 opentelemetry-sdk==1.45.2 opentelemetry-exporter-otlp-proto-http==1.45.2 opentelemetry-proto==1.45.2"
oi="openinference-instrumentation-langchain==0.1.80 openinference-instrumentation==0.1.72 openinference-semantic-conventions==0.1.42"
reqs="langgraph==1.2.24 langchain-core==1.8.4 $oi $otel"

if [ -x "$py" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$reqs" ]; then
  echo "$py"
  exit 0
fi
[ -x "$py" ] || python3 -m venv "$venv" >&2
pip() { "$py" -m pip install --disable-pip-version-check -q "$@" 2>&1 | { grep -v "^WARNING: Location" || true; } >&2; }
# As in oracle-venv.sh: langchain-core 1.8.4 asks for a langchain-protocol the registry here does not carry;
# resolve with 1.8.3 and put 1.8.4 in place without its dependency check.
# shellcheck disable=SC2086
pip langgraph==1.2.24 langchain-core==1.8.3 $oi $otel
pip --no-deps langchain-core==1.8.4
"$py" -c 'import importlib.metadata as m, sys
want = dict(r.split("==") for r in sys.argv[1:])
got = {k: m.version(k) for k in want}
sys.exit(0 if got == want else f"traces venv: wanted {want}, got {got}")' $reqs >&2
printf '%s' "$reqs" > "$stamp"
echo "$py"
