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
# Cargo.toml names exactly these files. Then the provider's Registry assets
# (the end of this file).
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

# The provider's Registry assets in dist/provider/ (release.sh): SHA256SUMS
# covers every zip and the manifest, the signature verifies when there is
# one, and each zip holds exactly terraform-provider-oidcthumbprint_vVERSION
# for its platform, which, started by hand here (natively, under qemu or
# wine), says what it is and exits 1 at once instead of listening.
provider="terraform-provider-oidcthumbprint"
step "provider assets (dist/provider/)"
sums="dist/provider/${provider}_${version}_SHA256SUMS"
[ -f "$sums" ] || fail "no $sums: run scripts/release.sh first"
(cd dist/provider && sha256sum --check --strict "${sums##*/}") || fail "$sums does not match the files"
manifest="$(cat "dist/provider/${provider}_${version}_manifest.json")"
[ "$manifest" = '{"version":1,"metadata":{"protocol_versions":["6.0"]}}' ] \
  || fail "manifest.json: $manifest"
grep -q "  ${provider}_${version}_manifest.json\$" "$sums" || fail "SHA256SUMS does not list the manifest"
if [ -f "$sums.sig" ]; then
  need_cmd gpg "verifying the provider's signature"
  gpg --batch --verify "$sums.sig" "$sums" 2>/dev/null || fail "$sums.sig does not verify"
  ok "SHA256SUMS.sig verifies"
fi
zips=(dist/provider/*.zip)
[ -f "${zips[0]}" ] || fail "no provider zips in dist/provider/"
for zip in "${zips[@]}"; do
  grep -q "  ${zip#dist/provider/}\$" "$sums" || fail "SHA256SUMS does not list $zip"
  platform="${zip%.zip}"
  platform="${platform##*"${provider}_${version}_"}"
  case "$platform" in
    windows_*) binary="${provider}_v$version.exe" ;;
    *) binary="${provider}_v$version" ;;
  esac
  listed="$(unzip -Z1 "$zip")"
  [ "$listed" = "$binary" ] || fail "$zip holds '$listed', not '$binary'"
  rm -rf "$work/provider" && mkdir -p "$work/provider"
  unzip -q "$zip" -d "$work/provider"
  run=()
  case "$platform" in
    linux_amd64) check_static_elf "$work/provider/$binary" x86-64 ;;
    linux_arm64) check_static_elf "$work/provider/$binary" aarch64; run=(qemu-aarch64-static) ;;
    darwin_amd64 | darwin_arm64)
      want="x86_64" && [ "$platform" = darwin_arm64 ] && want=arm64
      case "$(file -L "$work/provider/$binary")" in
        *"Mach-O 64-bit $want executable"*) ok "$platform: Mach-O $want (macOS cannot run here)"; continue ;;
        *) fail "$platform: $(file -L "$work/provider/$binary")" ;;
      esac ;;
    windows_amd64)
      cp "$folder/bcryptprimitives.dll" "$work/provider/"
      run=("$wine") ;;
    *) fail "unknown provider platform $platform" ;;
  esac
  [ "$(stat -c %a "$work/provider/$binary")" = 755 ] || fail "$zip: $binary is not executable (mode $(stat -c %a "$work/provider/$binary"))"
  status=0
  (cd "$work/provider" && timeout 60 "${run[@]}" "./$binary" > "$work/provider.out" 2> "$work/provider.err") || status=$?
  [ "$status" -eq 1 ] || fail "$platform provider run by hand: exit $status, want 1 ($(cat "$work/provider.err"))"
  [ ! -s "$work/provider.out" ] || fail "$platform provider run by hand wrote to stdout: $(cat "$work/provider.out")"
  tr -d '\r' < "$work/provider.err" | grep -q "^$provider $version (" \
    || fail "$platform provider run by hand: $(cat "$work/provider.err")"
  grep -q "This is a Terraform provider" "$work/provider.err" || fail "$platform provider: no by-hand message"
  ok "$platform provider: $binary, run by hand it says what it is and exits 1"
done
