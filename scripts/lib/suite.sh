# Shared by the packaging suites in scripts/test.d/ (source it; it is not a
# suite itself). Gives: ok/not_ok/check/check_eq counters, `finish` (prints
# "N passed, N failed" and exits), `need_node`, `server_binary` and
# `path_without_rust`.
# shellcheck shell=bash
export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
# check NAME COMMAND…: passes when the command succeeds.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# check_eq NAME WANT GOT
check_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (want '$2', got '$3')"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}
# Abort the suite: one failure for what could not be set up.
die() {
  not_ok "$1"
  finish
}

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null
}

need_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install nodejs npm || die "install Node.js and npm"
  fi
}

# npm_ci_once DIR WHAT: `npm ci` in DIR when its node_modules does not
# match package-lock.json (a stamp in node_modules remembers the lockfile).
npm_ci_once() {
  local dir=$1 what=$2 stamp want
  stamp="$dir/node_modules/.installed-lock.sha256"
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> npm ci ($what)"
    (cd "$dir" && npm ci --no-progress --loglevel=error) || die "npm ci of $what"
    echo "$want" >"$stamp"
  fi
}

# The server binary: $EXCHANGE_AUTH_LINT_BIN, else a debug build.
server_binary() {
  if [ -z "${EXCHANGE_AUTH_LINT_BIN:-}" ]; then
    cargo build --locked --quiet --bin exchange-auth-lint || die "cargo build"
    EXCHANGE_AUTH_LINT_BIN="$PWD/target/debug/exchange-auth-lint"
  fi
  echo "$EXCHANGE_AUTH_LINT_BIN"
}

# $PATH without the folders that hold cargo, rustc or rustup: what a user
# without a Rust toolchain has.
path_without_rust() {
  local out="" dir
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] || continue
    if [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || [ -e "$dir/rustup" ]; then continue; fi
    out="${out:+$out:}$dir"
  done
  echo "$out"
}

# Runs a command in the sample project ($proj) the way a user without a
# Rust toolchain would: PATH without cargo/rustc, its own HOME.
in_proj() { (cd "$proj" && env PATH="${proj_path:-$(path_without_rust)}" HOME="$work/home" "$@"); }

# new_npm_project DIR TARBALL…: a fresh npm project with the demo org and a
# clean project inside, the tarballs installed (npm cache under $work).
new_npm_project() {
  proj=$1
  shift
  mkdir -p "$proj" "$work/home"
  cp -R fixtures/demo-org "$proj/demo-org"
  cp -R fixtures/clean "$proj/clean"
  echo '{ "name": "npm-install-test", "version": "1.0.0", "private": true }' >"$proj/package.json"
  export npm_config_cache="$work/npm-cache"
  if ! in_proj npm install --no-progress --loglevel=error "$@" >"$work/install.log" 2>&1; then
    cat "$work/install.log"
    return 1
  fi
}

# Only the timing in the human summary line differs from run to run.
same_output() { diff <(sed -E 's/ \([0-9]+ ms\)$//' "$1") <(sed -E 's/ \([0-9]+ ms\)$//' "$2") >/dev/null; }

# The Python tools (pre-commit, actionlint, PyYAML) in a venv of the
# project's own (tests/clients/python/.venv), made again when
# requirements.txt changes. Sets $venv.
need_python_tools() {
  local dir="$PWD/tests/clients/python" want
  venv="$dir/.venv"
  want=$(sha256sum "$dir/requirements.txt" | cut -d' ' -f1)
  if [ ! -f "$venv/.installed.sha256" ] || [ "$(cat "$venv/.installed.sha256")" != "$want" ]; then
    echo "==> pip install (pre-commit, actionlint)"
    command -v python3 >/dev/null || apt_install python3 || die "install python3"
    rm -rf "$venv"
    # Debian's python3 needs python3-venv for ensurepip.
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
      rm -rf "$venv"
      apt_install python3-venv && python3 -m venv "$venv" || die "python3 -m venv"
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$dir/requirements.txt" || die "pip install"
    echo "$want" >"$venv/.installed.sha256"
  fi
}

# sarif_summary FILE: "VERSION RESULTS" of a SARIF log.
sarif_summary() {
  node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(s.version, s.runs[0].results.length)' "$1" 2>&1
}
