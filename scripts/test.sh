#!/usr/bin/env bash
# Runs every test of the project: the Rust tests (unit, CLI end-to-end,
# in-process LSP), then each suite in scripts/test.d/ (real editor clients,
# the VS Code extension's unit tests…), which install what they need.
# Prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The fix tests check that `--diff` output applies with both `git apply`
# and `patch -p1`; make sure `patch` is there on a fresh machine.
if ! command -v patch >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "==> installing patch"
  (apt-get update -qq && apt-get install -y -qq patch) >/dev/null 2>&1 || echo "warning: could not install patch"
fi

# Formatting and lints are part of the suite: each counts as one test.
echo "==> cargo fmt --all --check"
if cargo fmt --all --check; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
echo "==> cargo clippy --workspace --all-targets -- -D warnings"
if cargo clippy --workspace --all-targets --locked -- -D warnings; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

echo "==> cargo test"
cargo test --workspace --locked 2>&1 | tee "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
while read -r p f; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -nE 's/^test result: [a-zA-Z]+\. ([0-9]+) passed; ([0-9]+) failed.*/\1 \2/p' "$log")

for suite in scripts/test.d/*.sh; do
  [ -e "$suite" ] || continue
  echo "==> $suite"
  bash "$suite" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # Each suite ends with its own "N passed, N failed" line.
  line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "$suite printed no summary line"; failed=$((failed + 1)); status=1
  else
    p=$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
    f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
    passed=$((passed + p)); failed=$((failed + f))
  fi
done

[ "$failed" -eq 0 ] || status=1
echo
echo "total: $passed passed, $failed failed"
exit "$status"
