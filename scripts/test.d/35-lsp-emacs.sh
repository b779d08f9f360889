#!/usr/bin/env bash
# End-to-end: headless Emacs with eglot (Debian's packages: eglot 1.9 on
# Debian 12, built in from Emacs 29) as the LSP client of
# `exchange-auth-lint server` (tests/clients/emacs). Installs Emacs and
# eglot when missing. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive

summary() { echo "$1 passed, $2 failed"; exit "$3"; }

# Debian's elpa-* packages are activated by package.el (-Q skips that).
has_eglot() {
  emacs --batch -Q --eval '(progn (require (quote package)) (add-to-list (quote package-directory-list) "/usr/share/emacs/site-lisp/elpa") (package-initialize) (kill-emacs (if (require (quote eglot) nil t) 0 1)))' >/dev/null 2>&1
}

if ! command -v emacs >/dev/null || ! has_eglot; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq || summary 0 1 1
  $sudo apt-get install -y -qq emacs-nox </dev/null >/dev/null || summary 0 1 1
  # Emacs 29 and later have eglot built in; Debian 12's Emacs 28 needs the
  # package.
  if ! has_eglot; then
    $sudo apt-get install -y -qq elpa-eglot </dev/null >/dev/null || summary 0 1 1
  fi
fi
if [ -z "${EXCHANGE_AUTH_LINT_BIN:-}" ]; then
  cargo build --locked --quiet --bin exchange-auth-lint || summary 0 1 1
  EXCHANGE_AUTH_LINT_BIN="$PWD/target/debug/exchange-auth-lint"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R fixtures/demo-org "$work/org"
export EAL_BIN="$EXCHANGE_AUTH_LINT_BIN" EAL_ROOT="$work/org" EAL_RESULTS="$work/results"
export HOME="$work/home"
mkdir -p "$HOME"
: >"$EAL_RESULTS"
# The driver quits itself; `timeout` is the last resort.
timeout 120 emacs --batch -Q -l tests/clients/emacs/test.el </dev/null >"$work/emacs.log" 2>&1
status=$?
cat "$EAL_RESULTS"
pass=$(grep -c '^ok - ' "$EAL_RESULTS")
fail=$(grep -c '^not ok - ' "$EAL_RESULTS")
if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then
  echo "not ok - emacs exited with status $status"
  fail=1
fi
if [ "$fail" -ne 0 ]; then
  tail -n 30 "$work/emacs.log"
fi
summary "$pass" "$fail" "$([ "$fail" -eq 0 ] && echo 0 || echo 1)"
