#!/usr/bin/env bash
# The CI examples of docs/ci.md (files under docs/examples/), checked as far
# as they can be here: each is shown verbatim in docs/ci.md; actionlint on
# the GitHub workflows (the action's one also against action.yml's inputs);
# the GitLab, Azure and pre-commit files parse as YAML; the GitLab job's
# script run on a merge-request-like repository (baseline committed on
# main, a new finding on the branch, the target branch fetched from a
# remote), its report validated against the Code Quality format; action.yml's
# every input used, and its check step run with baseline and changed-since.
# Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

command -v git >/dev/null || apt_install git || die "install git"
bin=$(server_binary)
need_python_tools
py="$venv/bin/python"
actionlint="$venv/bin/actionlint"
tool="$repo/tests/clients/ci/check_examples.py"
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
ex=docs/examples

# 1. Every example is in docs/ci.md, verbatim.
for f in "$ex"/*; do
  check "docs/ci.md shows $f" "$py" -c 'import sys; sys.exit(open(sys.argv[2]).read().rstrip("\n") not in open(sys.argv[1]).read())' docs/ci.md "$f"
done

# 2. actionlint.
mkdir -p "$work/lint/.github/workflows"
cp action.yml "$work/lint/"
cp "$ex/github-action.yml" "$ex/github-npm.yml" "$work/lint/.github/workflows/"
sed 's|uses: exchange-auth-lint/exchange-auth-lint@v0.1.0|uses: ./|' "$ex/github-action.yml" >"$work/lint/.github/workflows/local-action.yml"
git -C "$work/lint" init -q
for f in github-action.yml github-npm.yml local-action.yml; do
  check "actionlint: $f" bash -c "cd '$work/lint' && '$actionlint' -no-color .github/workflows/$f"
done
check "… the local copy uses the action itself" grep -q 'uses: \./$' "$work/lint/.github/workflows/local-action.yml"

# 3. YAML.
for f in gitlab-ci.yml azure-pipelines.yml pre-commit-config.yaml; do
  check "$f parses as YAML" "$py" "$tool" yaml "$ex/$f"
done

# 4. The GitLab job on a merge request: main has the demo org and its
# baseline; the branch adds a named credential with a password.
origin="$work/origin.git"
src="$work/src"
mkdir -p "$src"
cp -R fixtures/demo-org "$src/salesforce"
nc=salesforce/force-app/main/default/namedCredentials
(cd "$src" && git init -q -b main && git add -A && git commit -q -m org &&
  "$bin" check salesforce --write-baseline .exchange-auth-lint-baseline.json --as-of 2026-11-24 >/dev/null 2>&1 &&
  git add -A && git commit -q -m baseline && git clone -q --bare . "$origin") || die "make the repository"
mr="$work/mr"
git clone -q "file://$origin" "$mr" || die "clone"
(cd "$mr" && git checkout -q -b feature && cp "$nc/Exchange_Sync_Service.namedCredential-meta.xml" "$nc/New Sync é.namedCredential-meta.xml" &&
  git add -A && git commit -q -m "new credential" && git push -q origin feature) || die "make the branch"
"$py" "$tool" gitlab-script "$ex/gitlab-ci.yml" >"$work/gitlab-script.sh"
check "the GitLab job runs check with --format gitlab" grep -q -- '--format gitlab --output gl-code-quality-report.json' "$work/gitlab-script.sh"
# npx --yes exchange-auth-lint@VERSION … runs the binary under test.
run_gitlab() {
  (cd "$mr" && CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main EAL_BIN="$bin" bash -c '
    npx() { shift 2; "$EAL_BIN" "$@" --as-of 2026-11-24; }
    set -e
    . "$1"' _ "$work/gitlab-script.sh")
}
run_gitlab >"$work/gitlab.log" 2>&1
check_eq "the GitLab job fails on the new finding (exit 1)" 1 "$?"
check "… saying what the baseline hid and what changed" grep -qE '[0-9]+ known findings? hidden by baseline; 1 file changed since origin/main' "$work/gitlab.log"
check_eq "… its report is valid Code Quality JSON, with the 3 new findings" 3 "$("$py" "$tool" gitlab-report tests/clients/ci/gitlab-code-quality.schema.json "$mr/gl-code-quality-report.json" 2>&1)"
check "… all in the new file" "$py" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(not all(i["location"]["path"].endswith("New Sync é.namedCredential-meta.xml") for i in r))' "$mr/gl-code-quality-report.json"
(cd "$src" && "$bin" check salesforce --format gitlab --as-of 2026-11-24 -o "$work/all.json" >/dev/null 2>&1)
check_eq "the whole demo org's report is valid too" 9 "$("$py" "$tool" gitlab-report tests/clients/ci/gitlab-code-quality.schema.json "$work/all.json" 2>&1)"
echo '[{"description": "x", "check_name": "EXO001", "fingerprint": "f", "severity": "high", "location": {"path": "/abs"}}]' >"$work/badreport.json"
"$py" "$tool" gitlab-report tests/clients/ci/gitlab-code-quality.schema.json "$work/badreport.json" >"$work/bad.log" 2>&1
check_eq "the schema check rejects a bad report" 1 "$?"
check "… naming the severity" grep -q "'high' is not one of" "$work/bad.log"
# A shallow clone without the target branch's history: exit 2 with the hint.
git clone -q --depth 1 --branch feature "file://$origin" "$work/shallow" 2>/dev/null || die "shallow clone"
(cd "$work/shallow" && "$bin" check salesforce --changed-since origin/main) >"$work/shallow.log" 2>&1
check_eq "a shallow clone is exit 2 for --changed-since" 2 "$?"
check "… with the GIT_DEPTH hint" grep -q 'GitLab CI: `GIT_DEPTH: 0`' "$work/shallow.log"

# 5. action.yml: every input used, every variable read by check.sh; then
# the check step with baseline and changed-since against the branch.
check "action.yml: every input is used and reaches check.sh" "$py" "$tool" action-inputs action.yml .github/action/check.sh
: >"$work/github-output"
(cd "$mr" && env PATH="$(dirname "$bin"):$PATH" GITHUB_OUTPUT="$work/github-output" EAL_PATHS=salesforce EAL_FAIL_ON=error \
  EAL_BASELINE=.exchange-auth-lint-baseline.json EAL_CHANGED_SINCE=origin/main EAL_ARGS="--as-of 2026-11-24" EAL_SARIF=out.sarif \
  bash "$repo/.github/action/check.sh") >"$work/action.log" 2>&1
check_eq "the action's check step succeeds (the upload must run)" 0 "$?"
check_eq "… with exit-code=1 for the new finding" "exit-code=1" "$(cat "$work/github-output")"
check "… and ran check with --baseline and --changed-since" grep -q -- '--baseline .exchange-auth-lint-baseline.json --changed-since origin/main' "$work/action.log"
check_eq "… its SARIF marks 3 new results" 3 "$("$py" -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; print(sum(x.get("baselineState") == "new" for x in r))' "$mr/out.sarif" 2>&1)"
: >"$work/github-output"
(cd "$work/shallow" && env PATH="$(dirname "$bin"):$PATH" GITHUB_OUTPUT="$work/github-output" EAL_PATHS=salesforce EAL_CHANGED_SINCE=origin/main \
  bash "$repo/.github/action/check.sh") >"$work/action-shallow.log" 2>&1
check_eq "… in a shallow clone the step fails (exit 2)" 2 "$?"
check "… naming fetch-depth: 0" grep -q 'actions/checkout with `fetch-depth: 0`' "$work/action-shallow.log"

finish
