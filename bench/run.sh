#!/usr/bin/env bash
# Benchmarks exchange-auth-lint against its floors and its peer, in one run
# on the same generated trees, and writes the tables into BENCHMARKS.md.
#
#   bench/run.sh            full run (1k, 10k and 100k files)
#   BENCH_SIZES="1000 10000" bench/run.sh     smaller run
#   BENCH_PEER=0 / BENCH_MICRO=0 / BENCH_LSP=0 skip a part
#
# Installs what it needs: ripgrep, hyperfine and time from Debian; the peer
# (Salesforce Code Analyzer's PMD engine) from npm into target/bench-tools.
# Generated trees live in target/bench-org (never committed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SIZES=${BENCH_SIZES:-"1000 10000 100000"}
AS_OF=2026-11-24
ORGS=$ROOT/target/bench-org
TOOLS=$ROOT/target/bench-tools
OUT=$ROOT/target/bench-results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$ORGS" "$TOOLS" "$OUT"
ln -sfn "$OUT" "$ROOT/target/bench-results/latest"
log() { printf '\n==> %s\n' "$*" >&2; }

# --- tools ----------------------------------------------------------------
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v hyperfine >/dev/null || need+=(hyperfine)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

log "cargo build --release"
cargo build --release --locked -q -p exchange-auth-lint -p exchange-auth-lint-bench
BIN=$ROOT/target/release/exchange-auth-lint
GEN=$ROOT/target/release/sfdx-org-gen
LSPB=$ROOT/target/release/lsp-bench
REPORT=$ROOT/target/release/bench-report

{
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'): $(uname -srm); $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(nproc) cores; $(free -g | awk '/^Mem:/{print $2}') GiB RAM; load average at start $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Tools: $(rustc -V | cut -d' ' -f1-2), $(rg --version | sed -n 1p), $(hyperfine --version), git $(git rev-parse --short HEAD)."
} >"$OUT/machine.txt"

# --- trees ----------------------------------------------------------------
for n in $SIZES; do
  "$GEN" --files "$n" --seed 1 --out "$ORGS/$n"
done

# --- CLI against its floors ----------------------------------------------
# Each command runs ROUNDS times a few runs, the commands taking turns, so a
# change in the machine's load (it may be shared) hits them all alike.
ROUNDS=${BENCH_ROUNDS:-4}
runs_for() { case $1 in 1000) echo 8 ;; 10000) echo 5 ;; *) echo 3 ;; esac; }
check() { echo "$BIN check $ORGS/$1 --as-of $AS_OF --fail-on never $2"; }
for n in $SIZES; do
  log "CLI on $n files ($ROUNDS rounds of $(runs_for "$n") runs)"
  args=(-N --warmup 1 --runs "$(runs_for "$n")" --style basic
    -n "rg --files" "rg --files $ORGS/$n"
    -n "cat candidates" "xargs -d '\\n' -a $ORGS/$n.candidates cat")
  for f in json human github sarif junit; do
    args+=(-n "check --format $f" "$(check "$n" "--format $f")")
  done
  for r in $(seq "$ROUNDS"); do
    hyperfine "${args[@]}" --export-json "$OUT/cli-$n-r$r.json" >"$OUT/cli-$n-r$r.txt"
  done
done

# Many package directories: 5,000 and 50,000 (one file each), against
# `rg --files` on the same tree, to show the growth is linear.
PKG_SIZES=${BENCH_PKG_SIZES:-"5000 50000"}
for n in $PKG_SIZES; do
  log "CLI on $n package directories"
  "$GEN" --package-dirs "$n" --out "$ORGS/pkg-$n"
  hyperfine -N --warmup 1 --runs 3 --style basic --export-json "$OUT/pkg-$n.json" \
    -n "rg --files" "rg --files $ORGS/pkg-$n" \
    -n "check --format json" "$BIN check $ORGS/pkg-$n --as-of $AS_OF --fail-on never --format json" >"$OUT/pkg-$n.txt"
done

big=${SIZES##* }
log "threads on $big files"
for r in $(seq "$ROUNDS"); do
  hyperfine -N --warmup 1 --runs "$(runs_for "$big")" --export-json "$OUT/threads-r$r.json" --style basic \
    -n "check --threads 1" "$(check "$big" "--format json --threads 1")" \
    -n "check --threads 0 (all cores)" "$(check "$big" "--format json --threads 0")" >"$OUT/threads-r$r.txt"
done

log "peak RSS on $big files"
rss=0
for _ in 1 2 3; do
  # shellcheck disable=SC2046
  /usr/bin/time -v $(check "$big" "--format json") >/dev/null 2>"$OUT/time-v.txt"
  r=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time-v.txt")
  [ "$r" -gt "$rss" ] && rss=$r
done
echo "$rss" >"$OUT/rss.txt"

# --- peer: Salesforce Code Analyzer's PMD engine (XML rules) ---------------
# Sizes the peer runs on (it takes minutes per 10k files) and its time limit.
PEER_SIZES=${BENCH_PEER_SIZES:-"1000 10000"}
if [ "${BENCH_PEER:-1}" = 1 ]; then
  log "peer: Salesforce Code Analyzer PMD engine"
  if bash "$ROOT/bench/peer-setup.sh" "$TOOLS" >"$OUT/peer-setup.log" 2>&1; then
    echo "Peer: $(tail -1 "$OUT/peer-setup.log"); driven by \`bench/peer/run-pmd.mjs\` through its engine API, as \`sf code-analyzer run\` does." >"$OUT/peer-notes.txt"
    for n in $PEER_SIZES; do
      runs=3
      [ "$n" -ge 10000 ] && runs=1
      peer="timeout ${BENCH_PEER_TIMEOUT:-600} env PEER_MODULES=$TOOLS/pmd/node_modules node $ROOT/bench/peer/run-pmd.mjs $ORGS/$n"
      if ! hyperfine -N --runs "$runs" --export-json "$OUT/peer-$n.json" --style basic --output "$OUT/peer-$n.out" \
        -n "PMD engine, 2 remote-site rules" "$peer" >"$OUT/peer-$n.txt" 2>&1; then
        rm -f "$OUT/peer-$n.json"
        echo "On $n files the peer did not finish within its limit: $(grep -v '^ *$' "$OUT/peer-$n.txt" | tail -2 | tr '\n' ' ')" >>"$OUT/peer-notes.txt"
        break
      fi
      echo "Peer findings on $n files: $(grep -o '"violations":{[^}]*}' "$OUT/peer-$n.out" | head -1)." >>"$OUT/peer-notes.txt"
    done
  else
    {
      echo "The peer could not be set up; the last lines of its setup:"
      echo
      echo '```'
      tail -15 "$OUT/peer-setup.log"
      echo '```'
    } >"$OUT/peer-notes.txt"
  fi
fi

# --- language server --------------------------------------------------------
if [ "${BENCH_LSP:-1}" = 1 ]; then
  if "$BIN" server --help >/dev/null 2>&1; then
    for n in $SIZES; do
      [ "$n" -lt 10000 ] && continue
      log "LSP index on $n files"
      timeout 300 "$LSPB" index --server "$BIN" --root "$ORGS/$n" >"$OUT/lsp-index-$n.json" 2>"$OUT/lsp-index-$n.err" ||
        { echo "LSP index on $n files failed: $(cat "$OUT/lsp-index-$n.err")" >>"$OUT/lsp-pending.txt"; rm -f "$OUT/lsp-index-$n.json"; }
    done
    small=${SIZES%% *}
    # Typing in a value (the usual edit) and in a tag, on the ~1 MB
    # credential and on a small one; typing in a string literal of the
    # 5,000-line Apex class.
    for which in large small large-tag small-tag apex; do
      case $which in
        apex) file=force-app/main/default/classes/EwsMailboxGateway.cls ;;
        large*) file=force-app/main/default/namedCredentials/Partner_Gateway.namedCredential-meta.xml ;;
        *) file=force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml ;;
      esac
      case $which in apex) edit=literal ;; *-tag) edit=tag ;; *) edit=value ;; esac
      log "LSP didChange latency, $which file"
      timeout 300 "$LSPB" latency --server "$BIN" --root "$ORGS/$small" --file "$file" --edits 250 --edit $edit \
        >"$OUT/lsp-latency-$which.json" 2>"$OUT/lsp-latency-$which.err" ||
        { echo "LSP latency ($which file) failed: $(cat "$OUT/lsp-latency-$which.err")" >>"$OUT/lsp-pending.txt"; rm -f "$OUT/lsp-latency-$which.json"; }
    done
  else
    echo "Pending: this build has no \`server\` command yet (\`exchange-auth-lint server --help\` fails), so the language-server rows are not measured in this run; \`lsp-bench\` is ready for it." >"$OUT/lsp-pending.txt"
  fi
fi

# --- micro-benchmarks ----------------------------------------------------------
if [ "${BENCH_MICRO:-1}" = 1 ]; then
  log "cargo bench (divan)"
  cargo bench --locked -q -p exchange-auth-lint-bench --bench engine 2>/dev/null | sed 's/[[:space:]]*$//' >"$OUT/micro.txt" || true
fi

# --- report --------------------------------------------------------------------
"$REPORT" "$OUT" "$ORGS" $SIZES >"$OUT/report.md"
if [ -s "$OUT/micro.txt" ]; then
  {
    echo
    echo '**Micro-benchmarks** (`cargo bench -p exchange-auth-lint-bench --bench engine`, divan; fastest / slowest / median / mean, with throughput):'
    echo
    echo '```text'
    cat "$OUT/micro.txt"
    echo '```'
  } >>"$OUT/report.md"
fi
awk -v report="$OUT/report.md" '
  /<!-- results:begin -->/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
  /<!-- results:end -->/ { skip = 0 }
  !skip { print }
' BENCHMARKS.md >"$OUT/BENCHMARKS.md" && cp "$OUT/BENCHMARKS.md" BENCHMARKS.md
cat "$OUT/report.md"
log "raw results in ${OUT#"$ROOT"/}; tables written to BENCHMARKS.md"
