#!/usr/bin/env bash
# Installs what the end-to-end tests and scripts/main.sh need: Debian's Chromium and the build tools for
# code-server's native modules (apt), and code-server (VS Code for the web) into .vscode-test/code-server.
# Idempotent: each part is skipped when it is already there. Works unattended (CI=true, no stdin, root).
#
# Offline workarounds (see shared/notes/vscode-e2e.md):
#   - @vscode/ripgrep's postinstall downloads ripgrep from GitHub; it is served from a cache tarball made
#     from Debian's /usr/bin/rg, found through TMPDIR.
#   - node-pty's postinstall runs `npx node-gyp`, which npm refuses unless npm_config_yes=true.
#   - argon2 and kerberos compile from source; kerberos needs libkrb5-dev.
#   - code-server's postinstall wants npm_config_unsafe_perm=true as root, which npm 11 warns about.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3 # The last release that installs on Node 20.
RIPGREP_PKG_VERSION=1.15.11 # @vscode/ripgrep version that code-server 4.100.3 depends on.
RIPGREP_BIN_VERSION=v13.0.0-10 # Binary release that @vscode/ripgrep 1.15.11 downloads.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="$ROOT/.vscode-test/code-server"
MARKER="$PREFIX/.installed-version"
APT_PACKAGES=(chromium ripgrep libkrb5-dev build-essential python3 pkg-config fonts-dejavu-core ca-certificates)

log() { printf '[install-vscode] %s\n' "$*"; }

# --- Debian packages ---------------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
else
  log "apt: all packages present"
fi

# --- code-server -------------------------------------------------------------------------------------
if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$CODE_SERVER_VERSION" && -x "$PREFIX/node_modules/.bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION already installed in $PREFIX"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  log "warning: code-server $CODE_SERVER_VERSION is known to install on Node 20; this is Node $(node --version)"
fi

case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) log "unsupported architecture $(uname -m)"; exit 1 ;;
esac

log "installing code-server $CODE_SERVER_VERSION into $PREFIX (native modules compile: about a minute)"
rm -rf "$PREFIX"
mkdir -p "$PREFIX"

# @vscode/ripgrep looks for $TMPDIR/vscode-ripgrep-cache-<version>/ripgrep-<release>-<target>.tar.gz before
# downloading; an archive with rg at its top level satisfies it.
install_tmp="$(mktemp -d "${TMPDIR:-/tmp}/agentgraph-install-vscode.XXXXXX")"
trap 'rm -rf "$install_tmp"' EXIT
rg_cache="$install_tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
mkdir -p "$rg_cache"
tar -czf "$rg_cache/ripgrep-$RIPGREP_BIN_VERSION-$rg_target.tar.gz" -C "$(dirname "$(command -v rg)")" rg

# node-gyp must build against Node's local headers: it cannot download them here.
if [[ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" && -f /usr/include/node/node.h ]]; then
  export npm_config_nodedir=/usr
fi

# The install scripts that run are the ones reviewed here (npm 11 lists any other, and a later npm will block it):
# code-server's postinstall (VS Code's own dependencies) and argon2's build.
echo '{ "private": true, "allowScripts": { "code-server": true, "argon2": true } }' >"$PREFIX/package.json"
# code-server's postinstall.sh refuses to run as root unless npm_config_unsafe_perm=true, a check from npm 6. npm 7
# and later run install scripts as root without it and warn about the setting it no longer knows, so the variable
# is given to the install scripts alone, through the shell npm runs them with.
script_shell="$install_tmp/sh-for-install-scripts"
printf '#!/bin/sh\nnpm_config_unsafe_perm=true exec /bin/sh "$@"\n' >"$script_shell"
chmod +x "$script_shell"
TMPDIR="$install_tmp" npm_config_yes=true npm_config_script_shell="$script_shell" npm_config_update_notifier=false npm_config_fund=false \
  npm_config_audit=false npm install --prefix "$PREFIX" --save-exact --loglevel=warn \
  "code-server@$CODE_SERVER_VERSION" </dev/null

"$PREFIX/node_modules/.bin/code-server" --version >/dev/null
echo "$CODE_SERVER_VERSION" >"$MARKER"
log "code-server $("$PREFIX/node_modules/.bin/code-server" --version | head -1) installed"
