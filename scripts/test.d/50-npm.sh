#!/usr/bin/env bash
# The npm packages: the launcher's unit tests, then scripts/package-npm.sh
# (the launcher and this machine's platform package as tarballs), installed
# into a fresh folder and run with `npx exchange-auth-lint check` on the demo
# org with no Rust toolchain on PATH: output and exit codes must be the
# binary's own. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

need_node
bin=$(server_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The launcher's unit tests (resolution, error messages, exit codes).
log="$work/unit.log"
node --test --test-reporter=tap npm/exchange-auth-lint/test/ >"$log" 2>&1
unit_status=$?
p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log" | tail -n 1)
f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log" | tail -n 1)
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ -z "$p" ] || { [ "$unit_status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; }; then
  cat "$log"
  not_ok "launcher unit tests ran (exit $unit_status)"
elif [ "${f:-0}" -ne 0 ]; then
  cat "$log"
fi

# 2. Packing.
packed=$(bash scripts/package-npm.sh --binary "$bin" --out "$work/packages" 2>"$work/pack.log" | tail -n 1)
check_eq "package-npm.sh prints its folder on the last line" "$work/packages" "$packed"
version=$(sed -nE 's/^version = "([^"]+)"$/\1/p' server/Cargo.toml | head -n 1)
launcher_tgz="$work/packages/exchange-auth-lint-$version.tgz"
platform_tgz="$work/packages/exchange-auth-lint-cli-linux-x64-$version.tgz"
[ -f "$launcher_tgz" ] && [ -f "$platform_tgz" ] || { cat "$work/pack.log"; die "both tarballs are there"; }
ok "both tarballs are there"
check_eq "the launcher packs only bin/, lib/, sf/, README and LICENSE" \
  "LICENSE README.md bin/exchange-auth-lint.js lib/platform.js package.json sf/commands/exchange-auth-lint/check.js" \
  "$(tar tzf "$launcher_tgz" | sed 's|^package/||' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "the packed launcher has no runtime dependencies, only the platforms as optional ones" \
  "undefined 5 $version" \
  "$(tar xzOf "$launcher_tgz" package/package.json | node -e '
    const p = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const v = new Set(Object.values(p.optionalDependencies));
    console.log(String(p.dependencies), Object.keys(p.optionalDependencies).length, [...v].join(","));')"
check_eq "the platform package declares os, cpu and libc" "linux x64 glibc" \
  "$(tar xzOf "$platform_tgz" package/package.json | node -e '
    const p = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log(p.os.join(), p.cpu.join(), p.libc.join());')"
check "the platform package's binary is executable" \
  bash -c "tar tvzf '$platform_tgz' package/exchange-auth-lint | grep -q '^-rwxr-xr-x'"

# 3. A fresh project without a Rust toolchain.
proj_path=$(path_without_rust)
proj="$work/project"
check "no cargo or rustc on the test's PATH" \
  env PATH="$proj_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null
new_npm_project "$proj" "$launcher_tgz" "$platform_tgz" || die "npm install of the tarballs"
ok "npm install of the tarballs"
check "the platform package is installed beside the launcher" \
  test -x "$proj/node_modules/@exchange-auth-lint/cli-linux-x64/exchange-auth-lint"

asof=--as-of=2026-12-01
(cd "$proj" && "$bin" check demo-org "$asof" >"$work/want.out" 2>"$work/want.err" </dev/null)
want_status=$?
in_proj npx --no-install exchange-auth-lint check demo-org "$asof" >"$work/got.out" 2>"$work/got.err" </dev/null
got_status=$?
check_eq "npx exchange-auth-lint check demo-org exits 1 (errors found)" 1 "$got_status"
check_eq "… like the binary itself" "$want_status" "$got_status"
check "… with the binary's standard output (all but the timing)" same_output "$work/want.out" "$work/got.out"
check "… which reports EXO001 on the named credential" \
  grep -q 'Exchange_Sync_Service.namedCredential-meta.xml:10:5: error\[EXO001\]' "$work/got.out"
check "… and the summary line" grep -qE '^[1-9][0-9]* errors?, [0-9]+ warnings?, [0-9]+ info in [0-9]+ metadata files' "$work/got.out"

in_proj npx --no-install exchange-auth-lint check demo-org "$asof" --fail-on never >/dev/null 2>&1
check_eq "--fail-on never exits 0" 0 "$?"
in_proj npx --no-install exchange-auth-lint check clean "$asof" >"$work/clean.out" 2>&1
check_eq "a clean project exits 0" 0 "$?"
in_proj npx --no-install exchange-auth-lint check demo-org "$asof" --format sarif -o results.sarif >/dev/null 2>"$work/sarif.err"
check_eq "--format sarif -o exits 1" 1 "$?"
(cd "$proj" && "$bin" check demo-org "$asof" --format sarif -o "$work/want.sarif" >/dev/null 2>&1 </dev/null)
check_eq "… and writes the binary's SARIF 2.1.0 log (version, result count)" "$(sarif_summary "$work/want.sarif")" \
  "$(sarif_summary "$proj/results.sarif")"
check "… a 2.1.0 log with results" grep -qE '^2\.1\.0 [1-9]' <<<"$(sarif_summary "$proj/results.sarif")"
in_proj npx --no-install exchange-auth-lint check --no-such-flag >/dev/null 2>"$work/bad.err"
check_eq "an unknown flag exits 2" 2 "$?"
check "… with clap's reason on stderr" grep -q "unexpected argument '--no-such-flag'" "$work/bad.err"
in_proj npx --no-install exchange-auth-lint --version >"$work/version.out" 2>&1
check_eq "--version is the package's version" "exchange-auth-lint $version" "$(cat "$work/version.out")"
printf 'x' | in_proj npx --no-install exchange-auth-lint check demo-org "$asof" --format json >"$work/json.out" 2>/dev/null
check "--format json goes to stdout, parseable" node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$work/json.out"

# 4. When no binary fits: a clear reason naming what to install, exit 2.
rm -rf "$proj/node_modules/@exchange-auth-lint/cli-linux-x64"
in_proj npx --no-install exchange-auth-lint check demo-org >/dev/null 2>"$work/missing.err"
check_eq "without the platform package the launcher exits 2" 2 "$?"
check "… and says: npm install @exchange-auth-lint/cli-linux-x64" \
  grep -q 'the package @exchange-auth-lint/cli-linux-x64 is not installed.*Install it: npm install @exchange-auth-lint/cli-linux-x64' "$work/missing.err"
EXCHANGE_AUTH_LINT_BINARY="$bin" in_proj npx --no-install exchange-auth-lint check demo-org "$asof" >"$work/override.out" 2>/dev/null
check_eq "EXCHANGE_AUTH_LINT_BINARY runs that binary instead" 1 "$?"
check "… with the same output" same_output "$work/want.out" "$work/override.out"

finish
