#!/usr/bin/env bash
# The release workflow and the GitHub Action, which cannot run here:
# actionlint on .github/workflows/release.yml, on the README's workflow
# example and on a workflow using the action with every input; then the
# linux-x64 steps of release.yml's "package" and "publish" jobs, run locally
# on a copy of the working tree (the debug binary stands in for the build
# job's, which is a release build; the publishing steps are skipped); then
# the action's install and check scripts against those release files, with
# no Rust toolchain on PATH. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

need_node
command -v zip >/dev/null && command -v unzip >/dev/null || apt_install zip unzip || die "install zip and unzip"
bin=$(server_binary)
need_python_tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
actionlint="$venv/bin/actionlint"
version=$(sed -nE 's/^version = "([^"]+)"$/\1/p' server/Cargo.toml | head -n 1)

# 1. actionlint.
check "actionlint: release.yml" "$actionlint" -no-color .github/workflows/release.yml
sed -n '/^# exchange-auth-lint workflow example/,/^```$/p' README.md | sed '$d' >"$work/example.yml"
check "the README has the workflow example" grep -q 'uses: exchange-auth-lint/exchange-auth-lint@' "$work/example.yml"
check "actionlint: the README's workflow example" "$actionlint" -no-color "$work/example.yml"
# A workflow in the repository using the action itself (uses: ./), so that
# actionlint checks its inputs against action.yml.
mkdir -p "$work/lint/.github/workflows"
cp action.yml "$work/lint/"
cat >"$work/lint/.github/workflows/all-inputs.yml" <<'YAML'
on: pull_request
permissions:
  contents: read
  security-events: write
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
      - uses: ./
        id: eal
        with:
          version: v0.1.0
          paths: force-app
          fail-on: warning
          baseline: .exchange-auth-lint-baseline.json
          changed-since: ${{ github.event.pull_request.base.sha }}
          args: --as-of 2027-04-01
          sarif-file: out.sarif
          upload-sarif: "false"
          category: eal
      - run: echo "exit ${{ steps.eal.outputs.exit-code }}, log ${{ steps.eal.outputs.sarif-file }}"
YAML
git -C "$work/lint" init -q
check "actionlint: every input and output of action.yml" \
  bash -c "cd '$work/lint' && '$actionlint' -no-color .github/workflows/all-inputs.yml"
sed 's/          fail-on: warning/          fail-level: warning/' "$work/lint/.github/workflows/all-inputs.yml" >"$work/lint/.github/workflows/wrong.yml"
(cd "$work/lint" && "$actionlint" -no-color .github/workflows/wrong.yml >"$work/wrong.log" 2>&1)
check_eq "actionlint rejects an input action.yml does not have" 1 "$?"
check "… naming it" grep -q 'fail-level' "$work/wrong.log"

# 2. release.yml's linux-x64 steps on a copy of the working tree.
copy="$work/repo"
mkdir -p "$copy"
git ls-files -co --exclude-standard -z | grep -zv '^tests/clients/sf/' | (cd "$repo" && xargs -0 tar -cf -) | tar -C "$copy" -xf -
if [ -d vscode-extension/node_modules ]; then ln -s "$repo/vscode-extension/node_modules" "$copy/vscode-extension/node_modules"; fi
mkdir -p "$copy/bin"
cp "$bin" "$copy/bin/exchange-auth-lint"
chmod 644 "$copy/bin/exchange-auth-lint" # artifacts lose the execute bit
run_job() { "$venv/bin/python" tests/clients/python/run_workflow.py .github/workflows/release.yml --cwd "$copy" "$@"; }
run_job package --matrix target=linux-x64 >"$work/package.log" 2>&1
status=$?
check_eq "release.yml job package (linux-x64) runs" 0 "$status"
[ "$status" -eq 0 ] || tail -n 30 "$work/package.log"
run_job publish --github ref_name=v9.9.9 --skip publish-github --skip publish-npm --skip publish-vscode >"$work/wrongtag.log" 2>&1
check_eq "job publish refuses a tag that is not the version" 1 "$?"
check "… saying so" grep -q "tag v9.9.9 does not match server/Cargo.toml version $version" "$work/wrongtag.log"
run_job publish --github "ref_name=v$version" --skip publish-github --skip publish-npm --skip publish-vscode >"$work/publish.log" 2>&1
status=$?
check_eq "job publish runs (all but the publishing steps)" 0 "$status"
[ "$status" -eq 0 ] || tail -n 30 "$work/publish.log"
check "… which skipped exactly the three publishing steps and the actions" \
  test "$(grep -c '^--- skip (--skip publish-' "$work/publish.log")" = 3
dist="$copy/dist"
check_eq "dist/ holds the archive, the npm packages, the .vsix and SHA256SUMS" \
  "SHA256SUMS exchange-auth-lint-linux-x64.tar.gz npm/exchange-auth-lint-$version.tgz npm/exchange-auth-lint-cli-linux-x64-$version.tgz vscode/exchange-auth-lint-linux-x64-$version.vsix" \
  "$(cd "$dist" 2>/dev/null && find . -type f | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
check "SHA256SUMS verifies every file" bash -c "cd '$dist' && sha256sum --quiet -c SHA256SUMS && test \$(wc -l <SHA256SUMS) = 4"
check "the archive holds an executable binary, README and LICENSE" \
  bash -c "tar tvzf '$dist/exchange-auth-lint-linux-x64.tar.gz' | grep -q '^-rwxr-xr-x .* exchange-auth-lint-linux-x64/exchange-auth-lint$' &&
    tar tzf '$dist/exchange-auth-lint-linux-x64.tar.gz' | grep -qx 'exchange-auth-lint-linux-x64/README.md' &&
    tar tzf '$dist/exchange-auth-lint-linux-x64.tar.gz' | grep -qx 'exchange-auth-lint-linux-x64/LICENSE'"
check "the .vsix carries the server for linux-x64" \
  bash -c "unzip -l '$dist/vscode/exchange-auth-lint-linux-x64-$version.vsix' | grep -q 'extension/bundled/linux-x64/exchange-auth-lint$'"
unzip -p "$dist/vscode/exchange-auth-lint-linux-x64-$version.vsix" extension/bundled/linux-x64/exchange-auth-lint >"$work/vsix-server"
check "… stripped (no symbol table)" bash -c "! nm '$work/vsix-server' >/dev/null 2>&1 || [ -z \"\$(nm '$work/vsix-server' 2>/dev/null)\" ]"

vsix="$dist/vscode/exchange-auth-lint-linux-x64-$version.vsix"
unzip -p "$vsix" extension/readme.md >"$work/vsix-readme.md" 2>/dev/null
images=$(grep -oE '!\[[^]]*\]\([^)]+\)' "$work/vsix-readme.md" | sed -E 's/.*\((.*)\)/\1/')
check "the packaged README shows images" test -n "$images"
base="https://raw.githubusercontent.com/exchange-auth-lint/exchange-auth-lint/v$version/vscode-extension/"
bad=""
for url in $images; do
  rel=${url#"$base"}
  # Each image: an absolute URL at this version's tag, for a file the .vsix carries too.
  if [ "$rel" = "$url" ] || ! unzip -l "$vsix" "extension/$rel" >/dev/null 2>&1; then bad="$bad $url"; fi
done
check_eq "… each at this version's tag, and inside the .vsix" "" "$bad"
check "… and no relative link is left" bash -c "! grep -qE '\]\((\.\./|\./|images/)' '$work/vsix-readme.md'"

# 3. The action's scripts against these release files.
action_env() {
  env PATH="$(path_without_rust)" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$work/runner-temp" \
    GITHUB_PATH="$work/github-path" GITHUB_OUTPUT="$work/github-output" EAL_DOWNLOAD_URL="file://$dist" "$@"
}
mkdir -p "$work/runner-temp"
: >"$work/github-path"
action_env bash .github/action/install.sh >"$work/install.log" 2>&1
check_eq "action install.sh installs the release archive" 0 "$?"
installed=$(head -n 1 "$work/github-path")
check_eq "… adds its folder to GITHUB_PATH" "$work/runner-temp/exchange-auth-lint/exchange-auth-lint-linux-x64" "$installed"
check "… and the binary runs" grep -qx "exchange-auth-lint $version" "$work/install.log"
cp -R "$dist" "$work/tampered"
grep -v 'linux-x64.tar.gz' "$dist/SHA256SUMS" >"$work/tampered/SHA256SUMS"
echo "0000000000000000000000000000000000000000000000000000000000000000  exchange-auth-lint-linux-x64.tar.gz" >>"$work/tampered/SHA256SUMS"
mkdir -p "$work/runner-temp2"
action_env RUNNER_TEMP="$work/runner-temp2" EAL_DOWNLOAD_URL="file://$work/tampered" bash .github/action/install.sh >"$work/tampered.log" 2>&1
check_eq "… refuses an archive that does not match SHA256SUMS" 1 "$?"
check "… saying so" grep -q 'does not match the release' "$work/tampered.log"
action_env RUNNER_TEMP="$work/runner-temp2" RUNNER_OS=FreeBSD bash .github/action/install.sh >"$work/os.log" 2>&1
check_eq "… and a runner it has no binary for" 1 "$?"
check "… naming the runner" grep -q 'no release binary for FreeBSD/X64' "$work/os.log"

proj="$work/gh-workspace"
cp -R fixtures/demo-org "$proj"
in_ws() { (cd "$proj" && : >"$work/github-output" && action_env PATH="$installed:$(path_without_rust)" "$@"); }
in_ws EAL_PATHS=. EAL_FAIL_ON=error EAL_SARIF=results.sarif EAL_ARGS="--as-of 2026-12-01" bash "$repo/.github/action/check.sh" >"$work/check.log" 2>&1
check_eq "action check.sh succeeds when the linter finds errors (the upload must run)" 0 "$?"
check_eq "… and reports exit-code=1" "exit-code=1" "$(cat "$work/github-output")"
check "… with a SARIF 2.1.0 log with results" grep -qE '^2\.1\.0 [1-9]' <<<"$(sarif_summary "$proj/results.sarif")"
in_ws EAL_FAIL_ON=never EAL_SARIF=results.sarif bash "$repo/.github/action/check.sh" >/dev/null 2>&1
check_eq "fail-on never: exit-code=0" "exit-code=0" "$(cat "$work/github-output")"
in_ws EAL_ARGS="--no-such-flag" bash "$repo/.github/action/check.sh" >"$work/bad.log" 2>&1
check_eq "a usage error fails the step" 2 "$?"
check_eq "… with exit-code=2" "exit-code=2" "$(cat "$work/github-output")"
# Which arguments reach the binary (a stand-in that records them).
mkdir -p "$work/stub"
printf '#!/usr/bin/env bash\nprintf "%%s\\n" "$@" >"%s"\n' "$work/stub-args" >"$work/stub/exchange-auth-lint"
chmod +x "$work/stub/exchange-auth-lint"
stub_args() { (cd "$proj" && : >"$work/github-output" && action_env PATH="$work/stub:/usr/bin:/bin" "$@" bash "$repo/.github/action/check.sh" >/dev/null 2>&1); tr '\n' ' ' <"$work/stub-args" | sed 's/ $//'; }
check_eq "defaults: check . --format sarif --output exchange-auth-lint.sarif --fail-on error" \
  "check . --format sarif --output exchange-auth-lint.sarif --fail-on error" "$(stub_args)"
check_eq "paths on several lines, baseline and changed-since passed when set" \
  "check force-app other --format sarif --output o.sarif --fail-on warning --baseline base.json --changed-since abc123 --select EXO001" \
  "$(stub_args EAL_PATHS=$'force-app\nother' EAL_SARIF=o.sarif EAL_FAIL_ON=warning EAL_BASELINE=base.json EAL_CHANGED_SINCE=abc123 EAL_ARGS=--select\ EXO001)"
check_eq "… and not passed when empty" \
  "check . --format sarif --output exchange-auth-lint.sarif --fail-on error" "$(stub_args EAL_BASELINE= EAL_CHANGED_SINCE=)"

finish
