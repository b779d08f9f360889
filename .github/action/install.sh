#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): downloads the release
# archive for this runner (RUNNER_OS / RUNNER_ARCH), checks it against the
# release's SHA256SUMS, unpacks it under RUNNER_TEMP and adds it to
# GITHUB_PATH.
#   EAL_VERSION     a tag (v0.1.0) or latest; empty: EAL_ACTION_REF when it
#                   is a version tag, else latest
#   EAL_REPOSITORY  owner/name of the releases (default: exchange-auth-lint/exchange-auth-lint)
#   EAL_DOWNLOAD_URL  the folder holding the release files, instead of GitHub's
#                   (any URL curl reads, file:// included)
set -euo pipefail

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=linux-x64 ;;
  Linux/ARM64) target=linux-arm64 ;;
  macOS/X64) target=darwin-x64 ;;
  macOS/ARM64) target=darwin-arm64 ;;
  Windows/X64) target=win32-x64 ;;
  *) echo "::error::exchange-auth-lint has no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?} (there are Linux X64/ARM64, macOS X64/ARM64, Windows X64)"; exit 1 ;;
esac
archive=exchange-auth-lint-$target.tar.gz
[ "$target" = win32-x64 ] && archive=exchange-auth-lint-$target.zip

version=${EAL_VERSION:-}
if [ -z "$version" ]; then
  if [[ "${EAL_ACTION_REF:-}" =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]]; then version=$EAL_ACTION_REF; else version=latest; fi
fi
repository=${EAL_REPOSITORY:-exchange-auth-lint/exchange-auth-lint}
[ -n "$repository" ] || repository=exchange-auth-lint/exchange-auth-lint
if [ -n "${EAL_DOWNLOAD_URL:-}" ]; then
  base=${EAL_DOWNLOAD_URL%/}
elif [ "$version" = latest ]; then
  base="https://github.com/$repository/releases/latest/download"
else
  base="https://github.com/$repository/releases/download/$version"
fi

dest="${RUNNER_TEMP:?}/exchange-auth-lint"
rm -rf "$dest"
mkdir -p "$dest"
echo "Downloading $base/$archive"
curl --fail --silent --show-error --location --retry 3 -o "$dest/$archive" "$base/$archive"
curl --fail --silent --show-error --location --retry 3 -o "$dest/SHA256SUMS" "$base/SHA256SUMS"
want=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$dest/SHA256SUMS")
if command -v sha256sum >/dev/null; then got=$(sha256sum "$dest/$archive" | cut -d' ' -f1); else got=$(shasum -a 256 "$dest/$archive" | cut -d' ' -f1); fi
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  echo "::error::$archive does not match the release's SHA256SUMS (want ${want:-nothing}, got $got)"
  exit 1
fi
case "$archive" in
  *.zip) (cd "$dest" && unzip -q "$archive") ;;
  *) tar -C "$dest" -xzf "$dest/$archive" ;;
esac
bin_dir="$dest/exchange-auth-lint-$target"
echo "$bin_dir" >>"${GITHUB_PATH:?}"
"$bin_dir/exchange-auth-lint" --version
