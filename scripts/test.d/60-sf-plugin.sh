#!/usr/bin/env bash
# The Salesforce CLI plugin: the real `sf` (@salesforce/cli from npm, locked
# in tests/clients/sf) links the npm package exchange-auth-lint, installed
# from the tarballs of scripts/package-npm.sh in a fresh project, and
# `sf exchange-auth-lint check` must give the binary's output and exit codes,
# with no Rust toolchain on PATH. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

need_node
bin=$(server_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Salesforce CLI, once per package-lock.json change (node_modules stays
# in tests/clients/sf, like the other client suites').
sf_dir="$PWD/tests/clients/sf"
npm_ci_once "$sf_dir" @salesforce/cli

packages=$(bash scripts/package-npm.sh --binary "$bin" --out "$work/packages" 2>"$work/pack.log" | tail -n 1)
[ -d "$packages" ] || { cat "$work/pack.log"; die "package-npm.sh"; }
proj="$work/project"
new_npm_project "$proj" "$packages"/*.tgz || die "npm install of the tarballs"

# sf with its own data, config and cache folders; no telemetry, no update checks.
proj_path="$sf_dir/node_modules/.bin:$(path_without_rust)"
export XDG_DATA_HOME="$work/sf-data" XDG_CONFIG_HOME="$work/sf-config" XDG_CACHE_HOME="$work/sf-cache"
export SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_SKIP_NEW_VERSION_CHECK=true \
  SF_HIDE_RELEASE_NOTES=true SF_DISABLE_AUTOUPDATE=true SF_CONTAINER_MODE=true
check "no cargo or rustc on the test's PATH" \
  env PATH="$proj_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null
check "sf runs" in_proj sf --version >"$work/sf-version.out" 2>&1
plugin_dir="$proj/node_modules/exchange-auth-lint"
if ! in_proj sf plugins link "$plugin_dir" --no-install >"$work/link.log" 2>&1; then
  cat "$work/link.log"
  die "sf plugins link"
fi
ok "sf plugins link $plugin_dir"
in_proj sf plugins --json >"$work/plugins.json" 2>/dev/null
check_eq "sf plugins lists exchange-auth-lint as a link" "exchange-auth-lint link" \
  "$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const l = Array.isArray(r) ? r : r.result;
    console.log(l.filter((p) => p.name === "exchange-auth-lint").map((p) => p.name + " " + p.type).join());' \
    "$work/plugins.json" 2>&1)"

asof=--as-of=2026-12-01
(cd "$proj" && "$bin" check demo-org "$asof" >"$work/want.out" 2>/dev/null </dev/null)
want_status=$?
# A linked plugin's stderr can carry oclif's development warnings; stdout
# and the exit code are what CI reads.
in_proj sf exchange-auth-lint check demo-org "$asof" >"$work/got.out" 2>"$work/got.err" </dev/null
got_status=$?
check_eq "sf exchange-auth-lint check demo-org exits 1 (errors found)" 1 "$got_status"
check_eq "… like the binary itself" "$want_status" "$got_status"
check "… with the binary's standard output (all but the timing)" same_output "$work/want.out" "$work/got.out"
check "… which reports EXO001 on the named credential" \
  grep -q 'Exchange_Sync_Service.namedCredential-meta.xml:10:5: error\[EXO001\]' "$work/got.out"

in_proj sf exchange-auth-lint check demo-org "$asof" --fail-on never >/dev/null 2>&1 </dev/null
check_eq "--fail-on never exits 0" 0 "$?"
in_proj sf exchange-auth-lint check clean "$asof" >/dev/null 2>&1 </dev/null
check_eq "a clean project exits 0" 0 "$?"
in_proj sf exchange-auth-lint check demo-org "$asof" --format sarif -o results.sarif >/dev/null 2>&1 </dev/null
check_eq "--format sarif -o exits 1" 1 "$?"
(cd "$proj" && "$bin" check demo-org "$asof" --format sarif -o "$work/want.sarif" >/dev/null 2>&1 </dev/null)
check_eq "… and writes the binary's SARIF 2.1.0 log (version, result count)" "$(sarif_summary "$work/want.sarif")" \
  "$(sarif_summary "$proj/results.sarif")"
check "… a 2.1.0 log with results" grep -qE '^2\.1\.0 [1-9]' <<<"$(sarif_summary "$proj/results.sarif")"
(cd "$proj" && "$bin" check demo-org "$asof" --format json >"$work/want.json" 2>/dev/null </dev/null)
in_proj sf exchange-auth-lint check demo-org "$asof" --format json >"$work/got.json" 2>/dev/null </dev/null
check "--format json: the same JSON as the binary's" \
  cmp -s "$work/want.json" "$work/got.json"
in_proj sf exchange-auth-lint check --no-such-flag >/dev/null 2>"$work/bad.err" </dev/null
check_eq "an unknown flag exits 2 (the linter's own usage error, not oclif's)" 2 "$?"
check "… with clap's reason on stderr" grep -q "unexpected argument '--no-such-flag'" "$work/bad.err"
in_proj sf exchange-auth-lint check --help >"$work/help.out" 2>/dev/null </dev/null
check_eq "sf exchange-auth-lint check --help exits 0" 0 "$?"
check "… and shows the usage line" grep -q 'sf exchange-auth-lint check \[PATHS...\] \[--format' "$work/help.out"
in_proj sf exchange-auth-lint --help >"$work/topic.out" 2>/dev/null </dev/null
check "sf exchange-auth-lint --help lists the check command" grep -q 'exchange-auth-lint check' "$work/topic.out"

rm -rf "$proj/node_modules/@exchange-auth-lint/cli-linux-x64"
in_proj sf exchange-auth-lint check demo-org >/dev/null 2>"$work/missing.err" </dev/null
check_eq "without the platform package the command exits 2" 2 "$?"
check "… and says: npm install @exchange-auth-lint/cli-linux-x64" \
  grep -q 'Install it: npm install @exchange-auth-lint/cli-linux-x64' "$work/missing.err"

finish
