#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) with the real pre-commit from
# PyPI: a hook repository made from this working tree, a sample SFDX git
# repository that uses it with the npm tarballs of scripts/package-npm.sh
# (additional_dependencies), no Rust toolchain on PATH. A commit of clean
# metadata passes, one with basic auth is refused with the finding.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

need_node
command -v git >/dev/null || apt_install git || die "install git"
bin=$(server_binary)
need_python_tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

packages=$(bash scripts/package-npm.sh --binary "$bin" --out "$work/packages" 2>"$work/pack.log" | tail -n 1)
[ -d "$packages" ] || { cat "$work/pack.log"; die "package-npm.sh"; }
version=$(sed -nE 's/^version = "([^"]+)"$/\1/p' server/Cargo.toml | head -n 1)

export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_GLOBAL="$work/gitconfig" GIT_CONFIG_NOSYSTEM=1
git config --global init.defaultBranch main
git config --global commit.gpgsign false

# The hook repository: what pre-commit clones (the files it reads from ours).
hooks="$work/hooks-repo"
mkdir -p "$hooks/npm/pre-commit"
cp .pre-commit-hooks.yaml package.json "$hooks/"
cp npm/pre-commit/hook.js "$hooks/npm/pre-commit/"
(cd "$hooks" && git init -q && git add -A && git commit -q -m hooks) || die "make the hook repository"
rev=$(git -C "$hooks" rev-parse HEAD)

check_eq "the hook package's optional dependency is this version" "$version" \
  "$(node -p 'require(process.argv[1]).optionalDependencies["exchange-auth-lint"]' "$PWD/package.json")"

# The sample repository: the clean fixture, then the demo org's files.
proj="$work/sample"
mkdir -p "$proj"
cp -R fixtures/clean/. "$proj/"
cat >"$proj/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: exchange-auth-lint
        args: [--as-of=2026-12-01]
        additional_dependencies:
          - $packages/exchange-auth-lint-$version.tgz
          - $packages/exchange-auth-lint-cli-linux-x64-$version.tgz
YAML
export PRE_COMMIT_HOME="$work/pre-commit-home" npm_config_cache="$work/npm-cache"
proj_path="$venv/bin:$(path_without_rust)"
check "no cargo or rustc on the test's PATH" \
  env PATH="$proj_path" bash -c '! command -v cargo && ! command -v rustc' >/dev/null
in_proj git init -q
in_proj pre-commit install >"$work/install.log" 2>&1 || { cat "$work/install.log"; die "pre-commit install"; }
ok "pre-commit install"

in_proj git add -A
in_proj git commit -q -m "clean metadata" >"$work/commit1.log" 2>&1
status=$?
check_eq "a commit of clean metadata passes the hook" 0 "$status"
[ "$status" -eq 0 ] || cat "$work/commit1.log"
check "… which ran exchange-auth-lint" grep -qE '^exchange-auth-lint\.+Passed' "$work/commit1.log"

cp -R fixtures/demo-org/force-app/. "$proj/force-app/"
echo "notes" >"$proj/NOTES.md"
in_proj git add -A
in_proj git commit -q -m "basic auth" >"$work/commit2.log" 2>&1
status=$?
check_eq "a commit with basic auth is refused" 1 "$status"
check "… the hook failed" grep -qE '^exchange-auth-lint\.+Failed' "$work/commit2.log"
check "… and printed EXO001 on the named credential" \
  grep -q 'Exchange_Sync_Service.namedCredential-meta.xml:10:5: error\[EXO001\]' "$work/commit2.log"
check "… so nothing was committed" test "$(in_proj git rev-list --count HEAD)" = 1

in_proj pre-commit run exchange-auth-lint --files NOTES.md >"$work/skip.log" 2>&1
check_eq "a change without metadata skips the hook" 0 "$?"
check "… (no files to check)" grep -qE '^exchange-auth-lint\.+\(no files to check\)Skipped' "$work/skip.log"

in_proj pre-commit run --all-files >"$work/all.log" 2>&1
check_eq "pre-commit run --all-files fails on the demo org" 1 "$?"
check "… with the linter's summary" grep -qE '^[1-9][0-9]* errors?, [0-9]+ warnings?, [0-9]+ info in [0-9]+ metadata files' "$work/all.log"

# The "system" hook: an exchange-auth-lint the user installed (here: npm's .bin).
new_npm_project "$work/npm-install" "$packages"/*.tgz >/dev/null || die "npm install of the tarballs"
proj="$work/sample"
cat >"$proj/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: exchange-auth-lint-system
        args: [--as-of=2026-12-01, --fail-on=never]
        verbose: true
YAML
proj_path="$work/npm-install/node_modules/.bin:$proj_path"
in_proj pre-commit run --all-files >"$work/system.log" 2>&1
check_eq "the system hook with --fail-on=never passes" 0 "$?"
check "… after reporting the findings" grep -q 'error\[EXO001\]' "$work/system.log"

finish
