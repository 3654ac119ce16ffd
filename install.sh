#!/bin/sh
# Installs oidc-thumbprint from its release archives, checked against the
# release's SHA256SUMS (and, with --sha256, against a checksum you pinned).
#
#   curl -fsSL https://github.com/oidc-thumbprint/oidc-thumbprint/releases/latest/download/install.sh | sh
#   sh install.sh [--version VERSION] [--to DIR] [--sha256 SHA256]
#
# --version   the release to install (default: the latest)
# --to        where to put the binary (default: ~/.local/bin, or
#             /usr/local/bin when run as root)
# --sha256    the archive's SHA-256, pinned by you: installs only that file
#
# OIDC_THUMBPRINT_BASE_URL   where the archives and SHA256SUMS are (a mirror,
#                            an air-gapped file server); default: the
#                            project's GitHub release download URL
# OIDC_THUMBPRINT_OS, OIDC_THUMBPRINT_ARCH   override `uname -s` / `uname -m`
#
# Nothing is installed unless every check passed. POSIX sh; needs curl or
# wget, tar (or unzip on Windows), and sha256sum or shasum.
set -eu

repository="https://github.com/oidc-thumbprint/oidc-thumbprint"

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

usage() {
  sed -n '2,19s/^# \{0,1\}//p' "$0" 2>/dev/null || true
}

version=""
to=""
pinned=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version="${2#v}"; shift 2 ;;
    --to) [ $# -ge 2 ] || die "--to needs a directory"; to="$2"; shift 2 ;;
    --sha256) [ $# -ge 2 ] || die "--sha256 needs a checksum"; pinned="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

os="${OIDC_THUMBPRINT_OS:-$(uname -s)}"
arch="${OIDC_THUMBPRINT_ARCH:-$(uname -m)}"
case "$arch" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) die "no release is built for the $arch architecture (there are x86_64 and aarch64 ones); build from source with: cargo install --locked oidc-thumbprint" ;;
esac
exe=""
case "$os" in
  Linux) target="$arch-unknown-linux-musl"; kind=tar.gz ;;
  Darwin) target="$arch-apple-darwin"; kind=tar.gz ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT)
    [ "$arch" = x86_64 ] || die "no release is built for Windows on $arch (there is an x86_64 one)"
    target="x86_64-pc-windows-gnu"; kind=zip; exe=".exe" ;;
  *) die "no release is built for the $os operating system (there are Linux, macOS and Windows ones); build from source with: cargo install --locked oidc-thumbprint" ;;
esac

if [ -n "${OIDC_THUMBPRINT_BASE_URL:-}" ]; then
  base="${OIDC_THUMBPRINT_BASE_URL%/}"
elif [ -n "$version" ]; then
  base="$repository/releases/download/v$version"
else
  base="$repository/releases/latest/download"
fi

if [ -z "$to" ]; then
  if [ "$(id -u)" = 0 ]; then to=/usr/local/bin; else to="$HOME/.local/bin"; fi
fi

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 10 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 10 -O "$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256_of() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed, so the download cannot be checked"
  fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM

download "$base/SHA256SUMS" "$work/SHA256SUMS" \
  || die "cannot download $base/SHA256SUMS; check the version, the network, or OIDC_THUMBPRINT_BASE_URL"

# The archive's name carries the version; for "latest", SHA256SUMS says it.
if [ -n "$version" ]; then
  archive="oidc-thumbprint-$version-$target.$kind"
else
  archive="$(sed -n "s/^[0-9a-f]\{64\}  \(oidc-thumbprint-[^ ]*-$target\.$kind\)\$/\1/p" "$work/SHA256SUMS" | head -n 1)"
  [ -n "$archive" ] || die "$base/SHA256SUMS lists no archive for $target"
  version="$(printf '%s' "$archive" | sed "s/^oidc-thumbprint-\(.*\)-$target\.$kind\$/\1/")"
fi
listed="$(awk -v name="$archive" '$2 == name { print $1 }' "$work/SHA256SUMS")"
[ -n "$listed" ] || die "$base/SHA256SUMS lists no $archive"

download "$base/$archive" "$work/$archive" || die "cannot download $base/$archive"
actual="$(sha256_of "$work/$archive")"
[ "$actual" = "$listed" ] \
  || die "checksum mismatch for $archive: SHA256SUMS says $listed, the download is $actual; nothing was installed"
if [ -n "$pinned" ] && [ "$actual" != "$pinned" ]; then
  die "checksum mismatch for $archive: you pinned $pinned, the download is $actual; nothing was installed"
fi

case "$kind" in
  tar.gz) tar -xzf "$work/$archive" -C "$work" || die "cannot unpack $archive" ;;
  zip) unzip -q "$work/$archive" -d "$work" || die "cannot unpack $archive (is unzip installed?)" ;;
esac
unpacked="$work/oidc-thumbprint-$version-$target/oidc-thumbprint$exe"
[ -f "$unpacked" ] || die "$archive does not hold oidc-thumbprint$exe"

mkdir -p "$to" || die "cannot create $to"
# Copied beside the target and then renamed, so that a half-written binary
# never takes the place of a working one.
cp "$unpacked" "$to/.oidc-thumbprint$exe.new" || die "cannot write to $to"
chmod 0755 "$to/.oidc-thumbprint$exe.new"
mv -f "$to/.oidc-thumbprint$exe.new" "$to/oidc-thumbprint$exe" || die "cannot write to $to"

say "installed oidc-thumbprint $version ($target) to $to/oidc-thumbprint$exe"
say "sha256 of $archive: $actual"
case ":$PATH:" in
  *":$to:"*) ;;
  *) say "note: $to is not on PATH; add it, or give Terraform the full path" ;;
esac
