#!/usr/bin/env bash
# Checks what scripts/release.sh put in dist/, running what can run here:
#
#   x86_64 Linux (musl)   natively: static, --version, the --pem known answer,
#                         a loopback thumbprint equal to openssl's
#   aarch64 Linux (musl)  the same, under qemu-user-static
#   macOS x86_64, arm64   `file` names the right Mach-O architecture; no macOS
#                         here to run them
#   Windows x86_64        under wine64: --version, the --pem known answer and a
#                         loopback thumbprint equal to openssl's
#
# and that SHA256SUMS covers every archive, each archive holds the binary,
# README.md, LICENSE and CHANGELOG.md, and the cargo-binstall template in
# Cargo.toml names exactly these files.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_debs file openssl qemu-user-static wine64 mingw-w64 unzip

version="$(crate_version)"
[ -f dist/SHA256SUMS ] || fail "no dist/SHA256SUMS: run scripts/release.sh first"
work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  # wine leaves its wineserver running for a few seconds; end it before its
  # prefix goes.
  [ -d "$work/wine" ] && WINEPREFIX="$work/wine" /usr/lib/wine/wineserver64 -k 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

loopback_issuer "$work"
server=$s_server_pid

step "SHA256SUMS"
(cd dist && sha256sum --check --strict SHA256SUMS) || fail "dist/SHA256SUMS does not match the archives"
archives=(dist/*.tar.gz dist/*.zip)
[ "${#archives[@]}" -eq 5 ] || fail "expected 5 archives in dist/, found ${#archives[@]}"
for archive in "${archives[@]}"; do
  grep -q "  ${archive#dist/}\$" dist/SHA256SUMS || fail "SHA256SUMS does not list $archive"
done
ok "5 archives, all in SHA256SUMS"

# unpack TARGET: unpacks the archive for TARGET into $work and prints its folder.
unpack() {
  local name="oidc-thumbprint-$version-$1"
  case "$1" in
    *windows*) unzip -q -o "dist/$name.zip" -d "$work" ;;
    *) tar -xzf "dist/$name.tar.gz" -C "$work" ;;
  esac
  for file in README.md LICENSE CHANGELOG.md; do
    [ -f "$work/$name/$file" ] || fail "$name lacks $file"
  done
  echo "$work/$name"
}

# runs TARGET BINARY [RUNNER...]: the shared check (lib.sh), from $work.
runs() {
  local target="$1" binary="$2"
  shift 2
  check_runs "$target" "$binary" "$work" "$issuer_query" "$issuer_want" "$@"
}

step "x86_64-unknown-linux-musl (native)"
folder="$(unpack x86_64-unknown-linux-musl)"
check_static_elf "$folder/oidc-thumbprint" x86-64
runs x86_64-unknown-linux-musl "$folder/oidc-thumbprint"

step "aarch64-unknown-linux-musl (qemu-user-static)"
need_cmd qemu-aarch64-static "running the aarch64 binary"
folder="$(unpack aarch64-unknown-linux-musl)"
check_static_elf "$folder/oidc-thumbprint" aarch64
runs aarch64-unknown-linux-musl "$folder/oidc-thumbprint" qemu-aarch64-static

step "macOS (Mach-O architecture only: macOS cannot run here)"
for pair in x86_64-apple-darwin:x86_64 aarch64-apple-darwin:arm64; do
  target="${pair%%:*}"
  folder="$(unpack "$target")"
  description="$(file -L "$folder/oidc-thumbprint")"
  case "$description" in
    *"Mach-O 64-bit ${pair##*:} executable"*) ok "$target: Mach-O ${pair##*:}" ;;
    *) fail "$target: $description" ;;
  esac
done

step "x86_64-pc-windows-gnu (wine64)"
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || fail "wine64 ($wine) is missing: Debian package wine64"
folder="$(unpack x86_64-pc-windows-gnu)"
case "$(file -L "$folder/oidc-thumbprint.exe")" in
  *"PE32+ executable (console) x86-64"*) ok "PE32+ x86-64 console executable" ;;
  *) fail "Windows binary: $(file -L "$folder/oidc-thumbprint.exe")" ;;
esac
# Test-only stand-in for a DLL Debian's wine lacks (scripts/wine/).
x86_64-w64-mingw32-gcc -shared -O2 -o "$folder/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c -ladvapi32 || fail "building the wine stand-in DLL"
export WINEPREFIX="$work/wine" WINEDEBUG=-all
runs x86_64-pc-windows-gnu "$folder/oidc-thumbprint.exe" "$wine"

step "cargo-binstall template"
python3 scripts/check-binstall.py "$version" dist
