#!/usr/bin/env bash
# The HTML report in a real browser: Debian's Chromium driven by
# playwright-core (locked in scripts/test.d/report-browser; no browser
# download), with an IPA Japanese font. For the demo org in English and
# Japanese: no console error, no network request, every finding of
# `--format json` on the page, the timeline drawn with each finding on its
# date, headings and table headers, the print to an A4 PDF, screenshots
# (kept in target/report-browser/). Installs what it needs.
# Ends with "N passed, N failed".
#
#   bash scripts/test.d/45-report-browser.sh --readme-screenshot
# also writes docs/images/html-report.png (the README's picture).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
# shellcheck source=../lib/suite.sh
. scripts/lib/suite.sh

readme=""
[ "${1:-}" = "--readme-screenshot" ] && readme="$repo/docs/images/html-report.png"
asof=2026-11-24

need_node
if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=ja family 2>/dev/null | grep -q .; then
  echo "==> apt-get install chromium fonts-ipafont-gothic"
  apt_install --no-install-recommends chromium fonts-ipafont-gothic || die "install chromium and fonts-ipafont-gothic"
fi
dir="$repo/scripts/test.d/report-browser"
npm_ci_once "$dir" playwright-core
bin=$(server_binary)
out="$repo/target/report-browser"
rm -rf "$out"
mkdir -p "$out"

"$bin" check fixtures/demo-org --as-of "$asof" --format json -o "$out/findings.json" 2>/dev/null
check_eq "check --format json on the demo org exits 1 (errors found)" 1 "$?"
reports=()
for lang in en ja; do
  "$bin" check fixtures/demo-org --as-of "$asof" --lang "$lang" --format html -o "$out/report.$lang.html" 2>/dev/null
  check_eq "$lang: check --format html -o report.$lang.html exits 1" 1 "$?"
  reports+=("$lang=$out/report.$lang.html")
done

log="$out/browser.log"
timeout 180 node "$dir/check.mjs" --findings "$out/findings.json" --out "$out" \
  ${readme:+--readme-screenshot "$readme"} "${reports[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$((passed + $(grep -c '^ok - ' "$log")))
failed=$((failed + $(grep -c '^not ok - ' "$log")))
if [ "$status" -ne 0 ] && ! grep -q '^not ok - ' "$log"; then
  not_ok "the browser checks ran to the end (exit $status)"
fi
echo "# screenshots and PDFs: $out"
finish
