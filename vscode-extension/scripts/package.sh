#!/usr/bin/env bash
# Builds a platform-specific .vsix with the language server inside:
#   1. cargo build --release (the exchange-auth-lint binary),
#   2. copies it to bundled/<target>/exchange-auth-lint,
#   3. vsce package --target <target>.
#
# Usage: scripts/package.sh [--target TARGET] [--binary PATH] [--out FILE]
#   --target  vsce target (default: linux-x64). Targets other than the build
#             machine's need --binary: a server built for that target
#             (see README, "Other platforms").
#   --binary  use this server binary instead of building one.
#   --out     where to write the .vsix
#             (default: exchange-auth-lint-<target>-<version>.vsix here).
# Prints the path of the .vsix on its last line.
set -euo pipefail
ext_dir=$(cd "$(dirname "$0")/.." && pwd)
repo_dir=$(cd "$ext_dir/.." && pwd)

target=linux-x64
binary=
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

case "$target" in
  win32-*) exe=exchange-auth-lint.exe ;;
  *) exe=exchange-auth-lint ;;
esac

host_target() {
  local os arch
  case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=unknown ;; esac
  case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; armv7l) arch=armhf ;; *) arch=unknown ;; esac
  # Alpine's musl binaries need the alpine-* targets.
  if [ "$os" = linux ] && [ -f /etc/alpine-release ]; then os=alpine; fi
  echo "$os-$arch"
}

if [ -z "$binary" ]; then
  if [ "$target" != "$(host_target)" ]; then
    echo "package.sh: cannot build a $target server on $(host_target); pass --binary with one built for $target" >&2
    exit 2
  fi
  echo "==> cargo build --release"
  (cd "$repo_dir" && cargo build --release --locked --bin exchange-auth-lint)
  binary="$repo_dir/target/release/exchange-auth-lint"
fi
[ -f "$binary" ] || { echo "package.sh: no server binary at $binary" >&2; exit 2; }

cd "$ext_dir"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
stamp=node_modules/.installed-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> npm ci"
  npm ci --no-progress
  echo "$want" >"$stamp"
fi

echo "==> bundling the server for $target"
rm -rf bundled
mkdir -p "bundled/$target"
cp "$binary" "bundled/$target/$exe"
chmod 755 "bundled/$target/$exe"
# Debug line tables make the release binary ~5x larger; the .vsix doesn't
# need them. Strip the bundled copy (never the binary passed in) when it is
# this machine's format; binaries for other targets come from release builds
# that are stripped already (CARGO_PROFILE_RELEASE_STRIP in release.yml).
if [ "$target" = "$(host_target)" ] && command -v strip >/dev/null 2>&1; then
  strip "bundled/$target/$exe" || echo "package.sh: warning: could not strip bundled/$target/$exe" >&2
fi

version=$(node -p 'require("./package.json").version')
[ -n "$out" ] || out="$ext_dir/exchange-auth-lint-$target-$version.vsix"
echo "==> vsce package --target $target"
# Runtime dependencies are bundled into dist/extension.js by esbuild.
# README links and images: absolute, at this version's tag (vsce would point
# them at the repository root, where vscode-extension/images/ is not); the
# images are also inside the .vsix.
slug=exchange-auth-lint/exchange-auth-lint
npx --no-install vsce package --target "$target" --no-dependencies --out "$out" \
  --baseImagesUrl "https://raw.githubusercontent.com/$slug/v$version/vscode-extension/" \
  --baseContentUrl "https://github.com/$slug/blob/v$version/vscode-extension/"
echo "$out"
