#!/usr/bin/env bash
# Runs one fuzz target for a fixed time, seeded from the project's fixtures.
# Usage: fuzz/run.sh <xml_tree|xml_edit|check_rules|fix_all|manifest|cli_paths|lsp_transport|apex> [seconds]
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). On a stable
# toolchain RUSTC_BOOTSTRAP=1 unlocks the -Z flags cargo-fuzz passes.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target: xml_tree, xml_edit, check_rules, fix_all, manifest, cli_paths, lsp_transport or apex}
seconds=${2:-60}
mkdir -p "corpus/$target"
find ../fixtures -type f \( -name '*.xml' -o -name '*.json' -o -name '*.cls' -o -name '*.trigger' \) -size -100k \
  -exec cp -n {} "corpus/$target/" \;
if [ "$target" = lsp_transport ]; then
  # Framed messages, good and bad (the first byte chooses how reads split).
  frame() { printf '\x07Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
  frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}' >corpus/lsp_transport/init
  frame '{"jsonrpc":"2.0","id":1.5,"method":"x"}' >corpus/lsp_transport/float-id
  { frame '{"jsonrpc":"2.0","method":"exit"'; printf 'content-length: 2\r\n\r\n{}'; } >corpus/lsp_transport/two
fi
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1
