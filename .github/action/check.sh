#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): runs
#   exchange-auth-lint check PATHS --format sarif --output SARIF --fail-on F
#     [--baseline FILE] [--changed-since REF] [ARGS…]
# (the optional ones only when set) and writes its exit code to
# GITHUB_OUTPUT as exit-code; the step itself succeeds unless the tool could
# not run, so the SARIF upload still happens. A human summary goes to the log.
set -uo pipefail

read -r -a paths <<<"$(tr '\n' ' ' <<<"${EAL_PATHS:-.}")"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
args=(check "${paths[@]}" --format sarif --output "${EAL_SARIF:-exchange-auth-lint.sarif}" --fail-on "${EAL_FAIL_ON:-error}")
[ -n "${EAL_BASELINE:-}" ] && args+=(--baseline "$EAL_BASELINE")
[ -n "${EAL_CHANGED_SINCE:-}" ] && args+=(--changed-since "$EAL_CHANGED_SINCE")
if [ -n "${EAL_ARGS:-}" ]; then
  read -r -a extra <<<"$EAL_ARGS"
  args+=("${extra[@]}")
fi
echo "exchange-auth-lint ${args[*]}"
exchange-auth-lint "${args[@]}"
code=$?
echo "exit-code=$code" >>"${GITHUB_OUTPUT:?}"
if [ "$code" -ge 2 ]; then
  echo "::error::exchange-auth-lint could not run (exit $code); see the message above"
  exit "$code"
fi
exit 0
