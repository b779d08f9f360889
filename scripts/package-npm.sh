#!/usr/bin/env bash
# Builds the npm packages as tarballs (npm pack) into a folder:
#   exchange-auth-lint-<version>.tgz                  the launcher and Salesforce CLI plugin
#   exchange-auth-lint-cli-<os>-<cpu>-<version>.tgz   the binary for one platform
# The version is the server's (server/Cargo.toml).
#
# Usage: scripts/package-npm.sh [--target OS-CPU] [--binary PATH] [--out DIR]
#                               [--no-launcher | --launcher-only]
#   --target  platform package to build: linux-x64, linux-arm64, darwin-x64,
#             darwin-arm64 or win32-x64 (default: this machine's).
#   --binary  the exchange-auth-lint binary built for that target
#             (default: cargo build --release here; only for this machine's target).
#   --out     folder for the tarballs (default: target/npm).
#   --no-launcher    only the platform package; --launcher-only: only the launcher.
# Prints the folder on its last line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
launcher_src="$repo/npm/exchange-auth-lint"

host_target() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux ;; Darwin) os=darwin ;; MINGW*|MSYS*|CYGWIN*|Windows_NT) os=win32 ;; *) os=unknown ;;
  esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) arch=unknown ;; esac
  echo "$os-$arch"
}

target=$(host_target)
binary=
out="$repo/target/npm"
launcher=1
platform=1
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-launcher) launcher=0; shift ;;
    --launcher-only) platform=0; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "package-npm.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

# The platforms the launcher knows (lib/platform.js is the one list).
known=$(node -p 'require(process.argv[1]).PLATFORMS.join(" ")' "$launcher_src/lib/platform.js")
case " $known " in
  *" $target "*) ;;
  *) echo "package-npm.sh: no npm package for $target (known: $known)" >&2; exit 2 ;;
esac
version=$(sed -nE 's/^version = "([^"]+)"$/\1/p' "$repo/server/Cargo.toml" | head -n 1)
[ -n "$version" ] || { echo "package-npm.sh: no version in server/Cargo.toml" >&2; exit 2; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

if [ "$launcher" = 1 ]; then
  echo "==> npm pack exchange-auth-lint $version" >&2
  mkdir -p "$stage/launcher"
  cp -R "$launcher_src/bin" "$launcher_src/lib" "$launcher_src/sf" "$launcher_src/package.json" "$launcher_src/README.md" "$stage/launcher/"
  cp "$repo/vscode-extension/LICENSE" "$stage/launcher/"
  # Stamp the release version into the launcher and its optional dependencies.
  node - "$stage/launcher/package.json" "$version" <<'JS'
const fs = require("fs");
const [file, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
pkg.version = version;
for (const name of Object.keys(pkg.optionalDependencies)) pkg.optionalDependencies[name] = version;
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
JS
  (cd "$stage/launcher" && npm pack --silent --pack-destination "$out" >/dev/null)
fi

if [ "$platform" = 1 ]; then
  os=${target%-*}
  cpu=${target#*-}
  exe=exchange-auth-lint
  [ "$os" = win32 ] && exe=exchange-auth-lint.exe
  if [ -z "$binary" ]; then
    if [ "$target" != "$(host_target)" ]; then
      echo "package-npm.sh: cannot build a $target binary on $(host_target); pass --binary" >&2
      exit 2
    fi
    echo "==> cargo build --release" >&2
    (cd "$repo" && cargo build --release --locked --bin exchange-auth-lint >&2)
    binary="$repo/target/release/$exe"
  fi
  [ -f "$binary" ] || { echo "package-npm.sh: no binary at $binary" >&2; exit 2; }
  echo "==> npm pack @exchange-auth-lint/cli-$target $version" >&2
  dir="$stage/cli-$target"
  mkdir -p "$dir"
  cp "$binary" "$dir/$exe"
  chmod 755 "$dir/$exe"
  # Debug line tables are for profiling; the package doesn't need them.
  if [ "$target" = "$(host_target)" ] && command -v strip >/dev/null 2>&1; then
    strip "$dir/$exe" || echo "package-npm.sh: warning: could not strip $exe" >&2
  fi
  cp "$repo/vscode-extension/LICENSE" "$dir/"
  node - "$dir/package.json" "$target" "$os" "$cpu" "$exe" "$version" <<'JS'
const fs = require("fs");
const [file, target, os, cpu, exe, version] = process.argv.slice(2);
const pkg = {
  name: `@exchange-auth-lint/cli-${target}`,
  version,
  description: `The exchange-auth-lint binary for ${target} (installed by the exchange-auth-lint package).`,
  license: "MIT OR Apache-2.0",
  repository: { type: "git", url: "git+https://github.com/exchange-auth-lint/exchange-auth-lint.git" },
  os: [os],
  cpu: [cpu],
  ...(os === "linux" ? { libc: ["glibc"] } : {}),
  files: [exe],
  preferUnplugged: true,
};
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
JS
  (cd "$dir" && npm pack --silent --pack-destination "$out" >/dev/null)
fi

ls "$out"/*.tgz >&2
echo "$out"
