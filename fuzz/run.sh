#!/usr/bin/env bash
# Runs one fuzz target for a fixed time, seeded from the project's fixtures.
# Usage: fuzz/run.sh <xml_tree|xml_edit|check_rules|fix_all> [seconds]
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). On a stable
# toolchain RUSTC_BOOTSTRAP=1 unlocks the -Z flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target: xml_tree, xml_edit, check_rules or fix_all}
seconds=${2:-60}
mkdir -p "corpus/$target"
find ../fixtures -type f \( -name '*.xml' -o -name '*.json' \) -size -100k \
  -exec cp -n {} "corpus/$target/" \;
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1
