#!/usr/bin/env bash
# Installs the peer: Salesforce Code Analyzer's PMD engine (the npm package
# that `sf code-analyzer run` loads for its PMD rules) into DIR/pmd, with
# Node and Java 17 from Debian when they are missing. Idempotent.
#
# Why not `sf code-analyzer run` itself: see BENCHMARKS.md, "Peer".
set -euo pipefail
dir=${1:?usage: peer-setup.sh DIR}
version=0.46.0
need=()
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$dir/pmd"
cd "$dir/pmd"
if ! grep -qs "\"version\": \"$version\"" node_modules/@salesforce/code-analyzer-pmd-engine/package.json; then
  [ -f package.json ] || echo '{ "private": true }' >package.json
  npm install --no-audit --no-fund --loglevel=error "@salesforce/code-analyzer-pmd-engine@$version"
fi
echo "peer ready: code-analyzer-pmd-engine $version, node $(node --version), $(java -version 2>&1 | head -1)"
