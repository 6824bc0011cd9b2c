#!/usr/bin/env bash
# Creates (idempotently) the Python virtual environment the LangGraph oracle runs in
# (test/oracle/dump_graphs.py): test/.venv-oracle/ with the LangGraph release the static reader is
# checked against. Prints the venv's python path on its last line. A stamp file holding the requirement
# list makes a second run skip pip entirely.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/test/.venv-oracle"
py="$venv/bin/python"
stamp="$venv/.requirements-stamp"
# The versions LANGGRAPH.md was read from, and the langchain 1.x whose create_agent (langchain.agents)
# works with them (langchain 1.5.2 asks for langgraph>=1.2.12,<1.3 and langchain-core>=1.8).
reqs="langgraph==1.2.24 langchain-core==1.8.4 langchain==1.5.2"

if [ -x "$py" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$reqs" ]; then
  echo "$py"
  exit 0
fi
[ -x "$py" ] || python3 -m venv "$venv" >&2
# pip's own exit status is kept (pipefail); only the noise about missing local mirror folders is dropped.
pip() { "$py" -m pip install --disable-pip-version-check -q "$@" 2>&1 | { grep -v "^WARNING: Location" || true; } >&2; }
# langchain-core 1.8.4 asks for langchain-protocol>=0.0.22, which the package registry reachable here does not
# carry (it stops at 0.0.20). 1.8.4 only imports two type names from it (MessagesData, MessageFinishData),
# both in 0.0.20; so resolve everything with 1.8.3 (which accepts 0.0.20) and then put 1.8.4 itself in place
# without its dependency check. The dumper never streams model events, so this is safe. Always done this way
# (rather than trying the plain install first) so every machine gets the same set.
pip langgraph==1.2.24 langchain-core==1.8.3 langchain==1.5.2
pip --no-deps langchain-core==1.8.4
"$py" -c 'import importlib.metadata as m, sys
want = {"langgraph": "1.2.24", "langchain-core": "1.8.4", "langchain": "1.5.2"}
got = {k: m.version(k) for k in want}
sys.exit(0 if got == want else f"oracle venv: wanted {want}, got {got}")' >&2
printf '%s' "$reqs" > "$stamp"
echo "$py"
