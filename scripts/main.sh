#!/usr/bin/env bash
# The main job: installs VS Code for the web (code-server) when missing, packages the extension, and runs
# code-server on 127.0.0.1:$PORT (default 8080) with the extension installed and examples/ open. Open the
# printed address in a browser; stop with Ctrl+C. State (settings, extensions) lives in .vscode-test/main/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8080}"
FOLDER="$ROOT/examples"
STATE="$ROOT/.vscode-test/main"
CODE_SERVER="$ROOT/.vscode-test/code-server/node_modules/.bin/code-server"

if [[ ! -x node_modules/.bin/esbuild || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "[main] npm ci"
  npm ci --no-audit --no-fund </dev/null
fi
bash scripts/install-vscode.sh

if [[ "${AGENTGRAPH_SKIP_PACKAGE:-}" != 1 ]]; then
  echo "[main] packaging the extension"
  npm run --silent package </dev/null
fi

if [[ ! -d "$FOLDER" ]]; then
  echo "[main] $FOLDER does not exist" >&2
  exit 1
fi

mkdir -p "$STATE"/{user-data/User,extensions,xdg-config,xdg-data,xdg-cache,tmp}
# code-server and VS Code write here rather than into the home folder and the system temp folder.
export XDG_CONFIG_HOME="$STATE/xdg-config" XDG_DATA_HOME="$STATE/xdg-data" XDG_CACHE_HOME="$STATE/xdg-cache" TMPDIR="$STATE/tmp"

# The same prompt-free settings as the e2e tests, written once so that changes made in the UI are kept.
SETTINGS="$STATE/user-data/User/settings.json"
if [[ ! -f "$SETTINGS" ]]; then
  cat >"$SETTINGS" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.tips.enabled": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.openRepositoryInParentFolders": "never"
}
JSON
fi

DIRS=(--user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions")
echo "[main] installing dist/agentgraph.vsix"
"$CODE_SERVER" "${DIRS[@]}" --install-extension "$ROOT/dist/agentgraph.vsix" --force >/dev/null

echo
echo "[main] AgentGraph in VS Code: http://127.0.0.1:$PORT/?folder=$FOLDER"
echo "[main] (the folder opened is $FOLDER; press Ctrl+C to stop)"
echo
# code-server runs in a process group of its own, so that stopping this script (Ctrl+C or a signal) ends it
# and everything it started (extension host, language server, file watcher) together.
setsid "$CODE_SERVER" "${DIRS[@]}" \
  --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --ignore-last-opened "$FOLDER" &
server=$!
stop() {
  trap - INT TERM EXIT
  kill -TERM -- "-$server" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    kill -0 -- "-$server" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL -- "-$server" 2>/dev/null || true
}
trap 'stop; exit 130' INT TERM
trap stop EXIT
wait "$server"
