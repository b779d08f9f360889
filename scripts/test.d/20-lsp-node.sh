#!/usr/bin/env bash
# End-to-end: drives `exchange-auth-lint server` with Microsoft's LSP
# protocol library from npm (tests/clients/node). Installs Node.js and the
# locked npm packages when missing. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive

summary() { echo "$1 passed, $2 failed"; exit "$3"; }

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null || summary 0 1 1
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq nodejs npm >/dev/null || summary 0 1 1
  fi
fi
if [ -z "${EXCHANGE_AUTH_LINT_BIN:-}" ]; then
  cargo build --locked --quiet --bin exchange-auth-lint || summary 0 1 1
  export EXCHANGE_AUTH_LINT_BIN="$PWD/target/debug/exchange-auth-lint"
fi
cd tests/clients/node
if ! npm ci --no-audit --no-fund --loglevel=error >/dev/null; then
  summary 0 1 1
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout 600 node --test --test-reporter=tap 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
pass=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
fail=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
pass=${pass:-0}
fail=${fail:-0}
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
summary "$pass" "$fail" "$([ "$fail" -eq 0 ] && echo 0 || echo 1)"
