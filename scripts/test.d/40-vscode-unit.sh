#!/usr/bin/env bash
# Unit tests of the VS Code extension (binary resolution, settings, commands,
# activation) under Node's built-in test runner with the `vscode` module
# stubbed, plus its type check and bundle build. Installs what it needs.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../../vscode-extension"

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if ! command -v npm >/dev/null 2>&1; then
  echo "==> installing Node.js and npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi

# `npm ci` only when node_modules does not match package-lock.json.
stamp=node_modules/.installed-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> npm ci (vscode-extension)"
  if ! npm ci --no-progress; then
    echo "npm ci failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "$want" >"$stamp"
fi

passed=0
failed=0

step() { # name, command…
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "FAILED: $name"
    failed=$((failed + 1))
  fi
}

step "type check" npx --no-install tsc -p . --noEmit
step "bundle" node esbuild.mjs --production
rm -rf out
if npx --no-install tsc -p tsconfig.test.json; then
  log=$(mktemp)
  node --test --test-reporter=tap --require ./out/test/unit/stub-vscode.js out/test/unit/*.test.js 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
  f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  if [ -z "$p" ] || [ -z "$f" ]; then
    echo "FAILED: the test runner printed no summary"
    failed=$((failed + 1))
  else
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "FAILED: the test runner exited with $status"
      failed=$((failed + 1))
    fi
  fi
else
  echo "FAILED: compiling the tests"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
