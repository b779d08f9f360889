#!/usr/bin/env bash
# The SARIF output checked with Microsoft's SARIF validator
# (@microsoft/sarif-multitool from npm) for the GitHub and the Azure DevOps
# (GitHub Advanced Security for Azure DevOps) rule sets, on a temporary git
# repository whose SFDX project sits in a sub-folder, run from that
# sub-folder. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

multitool_version=5.7.0
need_node
command -v git >/dev/null || apt_install git || die "install git"
bin=$(server_binary)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The validator, installed once per version under target/.
tools="$PWD/target/sarif-multitool-$multitool_version"
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  echo "==> npm install @microsoft/sarif-multitool@$multitool_version"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-progress --loglevel=error \
    "@microsoft/sarif-multitool@$multitool_version" >"$work/npm.log" 2>&1 || { cat "$work/npm.log"; die "npm install @microsoft/sarif-multitool"; }
  # Its postinstall script only marks the binary executable.
  chmod u+x "$multitool" || die "find Sarif.Multitool"
fi

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
repo="$work/repo"
mkdir -p "$repo"
cp -R fixtures/demo-org "$repo/salesforce"
(cd "$repo" && git init -q -b main && git add -A &&
  git -c user.name=t -c user.email=t@example.com commit -q -m init) || die "make the repository"

# validate NAME RULE-KINDS FILE: the validator's own log must hold no result.
validate() {
  local name=$1 kinds=$2 file=$3 log="$work/validation-$RANDOM.sarif"
  if ! "$multitool" validate --rule-kind "$kinds" "$file" -o "$log" --log ForceOverwrite >"$work/validate.out" 2>&1; then
    cat "$work/validate.out"
    not_ok "$name (the validator failed)"
    return
  fi
  local n
  n=$(node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(l.runs.reduce((n, r) => n + (r.results || []).length, 0))' "$log")
  if [ "$n" = 0 ]; then ok "$name"; else grep -E ': (error|warning)' "$work/validate.out"; not_ok "$name ($n problems)"; fi
}

# GitHub code scanning, run from the project's folder.
(cd "$repo/salesforce" && "$bin" check --format sarif --as-of 2026-11-24 -o "$work/github.sarif" 2>/dev/null)
check_eq "check exits 1 on the demo org" 1 "$?"
validate "GitHub rules (and the SARIF rules)" "Gh;Sarif" "$work/github.sarif"
check_eq "URIs are relative to the repository root" "salesforce/force-app/" \
  "$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri.slice(0, 21)' "$work/github.sarif")"

# Azure Pipelines: the predefined variables give the automation details.
(cd "$repo/salesforce" && env TF_BUILD=True SYSTEM_COLLECTIONURI=https://dev.azure.com/contoso/ \
  SYSTEM_TEAMPROJECT=Sales SYSTEM_DEFINITIONID=12 BUILD_DEFINITIONNAME=org-lint \
  SYSTEM_PHASEID=7c3f0a52-1a2b-4c5d-9e8f-0123456789ab SYSTEM_PHASENAME=Lint \
  BUILD_SOURCEBRANCH=refs/heads/main BUILD_BUILDID=981 \
  "$bin" check --format sarif --as-of 2026-11-24 -o "$work/ado.sarif" 2>/dev/null)
validate "Azure DevOps (GHAzDO) and GitHub rules" "Gh;Ado" "$work/ado.sarif"

# With a baseline: new, unchanged (suppressed) and absent results.
nc="$repo/salesforce/force-app/main/default/namedCredentials"
(cd "$repo" && "$bin" check salesforce --as-of 2026-11-24 --write-baseline "$work/base.json" >/dev/null 2>&1)
cp "$nc/Exchange_Sync_Service.namedCredential-meta.xml" "$nc/New_Sync.namedCredential-meta.xml"
mv "$repo/salesforce/force-app/main/default/remoteSiteSettings/Exchange_Online.remoteSite-meta.xml" "$work/"
(cd "$repo" && "$bin" check salesforce --format sarif --as-of 2026-11-24 --baseline "$work/base.json" -o "$work/baseline.sarif" 2>/dev/null)
(cd "$repo" && env TF_BUILD=True SYSTEM_COLLECTIONURI=https://dev.azure.com/contoso/ \
  SYSTEM_TEAMPROJECT=Sales SYSTEM_DEFINITIONID=12 BUILD_DEFINITIONNAME=org-lint \
  SYSTEM_PHASEID=7c3f0a52-1a2b-4c5d-9e8f-0123456789ab SYSTEM_PHASENAME=Lint \
  BUILD_SOURCEBRANCH=refs/heads/main BUILD_BUILDID=981 \
  "$bin" check salesforce --format sarif --as-of 2026-11-24 --baseline "$work/base.json" -o "$work/baseline-ado.sarif" 2>/dev/null)
check_eq "check --baseline exits 1 on the new findings" 1 "$?"
check_eq "… with new, unchanged and absent results" "absent new unchanged" \
  "$(node -p '[...new Set(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).runs[0].results.map(r => r.baselineState))].sort().join(" ")' "$work/baseline.sarif")"
validate "GitHub rules with baseline states" "Gh;Sarif" "$work/baseline.sarif"
validate "Azure DevOps rules with baseline states" "Gh;Ado" "$work/baseline-ado.sarif"
rm "$nc/New_Sync.namedCredential-meta.xml"
mv "$work/Exchange_Online.remoteSite-meta.xml" "$repo/salesforce/force-app/main/default/remoteSiteSettings/"

# A clean project: no results, still valid.
cp -R fixtures/clean "$repo/clean"
(cd "$repo" && "$bin" check clean --format sarif --as-of 2026-11-24 -o "$work/clean.sarif" 2>/dev/null)
check_eq "check exits 0 on a clean project" 0 "$?"
validate "GitHub rules on an empty result list" "Gh;Sarif" "$work/clean.sarif"

finish
