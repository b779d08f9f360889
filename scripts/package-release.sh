#!/usr/bin/env bash
# Everything a release carries for one platform, from a binary built for it:
#   exchange-auth-lint-<target>.tar.gz (.zip for win32)   the binary, README, LICENSE
#   npm/exchange-auth-lint-cli-<target>-<version>.tgz      the npm platform package
#   vscode/exchange-auth-lint-<target>-<version>.vsix      the VS Code extension with the server inside
# Archive names carry no version, so .../releases/latest/download/NAME works.
# Used by .github/workflows/release.yml (job "package"), which runs on Linux
# for every target.
#
# Usage: scripts/package-release.sh --target OS-CPU --binary PATH [--out DIR]
#   --target  linux-x64, linux-arm64, darwin-x64, darwin-arm64 or win32-x64
#   --binary  the exchange-auth-lint binary built for that target
#   --out     output folder (default: dist)
# Prints the folder on its last line.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
target=
binary=
out=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "package-release.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$target" ] || { echo "package-release.sh: --target is required" >&2; exit 2; }
[ -f "$binary" ] || { echo "package-release.sh: no binary at '$binary'" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

exe=exchange-auth-lint
[ "${target%%-*}" = win32 ] && exe=exchange-auth-lint.exe

# 1. The archive.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir="$stage/exchange-auth-lint-$target"
mkdir -p "$dir"
cp "$binary" "$dir/$exe"
chmod 755 "$dir/$exe"
host=$(uname -s)-$(uname -m)
if [ "$target" = linux-x64 ] && [ "$host" = Linux-x86_64 ] && command -v strip >/dev/null; then
  strip "$dir/$exe" # release.yml's binaries are stripped already; a local one may not be
fi
cp "$repo/README.md" "$dir/"
cp "$repo/vscode-extension/LICENSE" "$dir/LICENSE"
echo "==> archive for $target" >&2
if [ "$exe" = exchange-auth-lint.exe ]; then
  rm -f "$out/exchange-auth-lint-$target.zip"
  (cd "$stage" && zip -q -r "$out/exchange-auth-lint-$target.zip" "exchange-auth-lint-$target")
else
  tar -C "$stage" -czf "$out/exchange-auth-lint-$target.tar.gz" "exchange-auth-lint-$target"
fi

# 2. The npm platform package.
bash "$repo/scripts/package-npm.sh" --target "$target" --binary "$binary" --no-launcher --out "$out/npm" >/dev/null

# 3. The VS Code extension for that target.
version=$(sed -nE 's/^version = "([^"]+)"$/\1/p' "$repo/server/Cargo.toml" | head -n 1)
mkdir -p "$out/vscode"
bash "$repo/vscode-extension/scripts/package.sh" --target "$target" --binary "$binary" \
  --out "$out/vscode/exchange-auth-lint-$target-$version.vsix" >&2

echo "$out"
