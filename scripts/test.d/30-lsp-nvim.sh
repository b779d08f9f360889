#!/usr/bin/env bash
# End-to-end: headless Neovim (Debian's package, 0.7+) as the LSP client of
# `exchange-auth-lint server` (tests/clients/nvim). Installs Neovim when
# missing. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive

summary() { echo "$1 passed, $2 failed"; exit "$3"; }

if ! command -v nvim >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq neovim >/dev/null || summary 0 1 1
fi
if [ -z "${EXCHANGE_AUTH_LINT_BIN:-}" ]; then
  cargo build --locked --quiet --bin exchange-auth-lint || summary 0 1 1
  EXCHANGE_AUTH_LINT_BIN="$PWD/target/debug/exchange-auth-lint"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R fixtures/demo-org "$work/org"
export EAL_BIN="$EXCHANGE_AUTH_LINT_BIN" EAL_ROOT="$work/org" EAL_RESULTS="$work/results"
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
# A Lua error can leave headless Neovim waiting: the script quits itself
# (xpcall + cquit) and `timeout` is the last resort.
timeout 120 nvim --headless --clean -n -c "luafile tests/clients/nvim/test.lua" </dev/null
status=$?
touch "$EAL_RESULTS"
cat "$EAL_RESULTS"
pass=$(grep -c '^ok - ' "$EAL_RESULTS")
fail=$(grep -c '^not ok - ' "$EAL_RESULTS")
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
  echo "not ok - neovim exited with status $status"
  fail=1
fi
if [ "$fail" -ne 0 ] && [ -f "$work/state/nvim/lsp.log" ]; then
  tail -n 20 "$work/state/nvim/lsp.log"
fi
summary "$pass" "$fail" "$([ "$fail" -eq 0 ] && echo 0 || echo 1)"
