#!/usr/bin/env bash
# Builds every release archive into dist/ (docs/INSTALL.md "Getting the binary where
# Terraform runs"), the same way here, in CI and in the release workflow:
#
#   dist/oidc-thumbprint-VERSION-x86_64-unknown-linux-musl.tar.gz
#   dist/oidc-thumbprint-VERSION-aarch64-unknown-linux-musl.tar.gz
#   dist/oidc-thumbprint-VERSION-x86_64-apple-darwin.tar.gz
#   dist/oidc-thumbprint-VERSION-aarch64-apple-darwin.tar.gz
#   dist/oidc-thumbprint-VERSION-x86_64-pc-windows-gnu.zip
#   dist/SHA256SUMS
#
# and the Terraform provider's Registry asset set (docs/PROVIDER.md)
# in dist/provider/:
#
#   terraform-provider-oidcthumbprint_VERSION_OS_ARCH.zip    one per platform
#   terraform-provider-oidcthumbprint_VERSION_manifest.json
#   terraform-provider-oidcthumbprint_VERSION_SHA256SUMS
#   terraform-provider-oidcthumbprint_VERSION_SHA256SUMS.sig when a key is given
#
# OIDC_THUMBPRINT_GPG_KEY names the gpg key (fingerprint or user id, in
# $GNUPGHOME) that signs SHA256SUMS with a binary detached signature, as
# the Registry wants. OIDC_THUMBPRINT_PROVIDER_TARGETS, a space-separated
# subset of the targets below, limits the provider's builds: CI builds the
# three it can start (scripts/test.sh), the release workflow all five.
#
# Each archive holds one folder, oidc-thumbprint-VERSION-TARGET/, with the
# binary, README.md, LICENSE and CHANGELOG.md. The x86_64 Linux binary is
# built with musl-gcc (as scripts/build-static.sh does); the others with
# cargo-zigbuild and ziglang from PyPI, installed in .release-tools/.
# Archives are made byte for byte the same on every run: fixed times,
# owners and order. scripts/check-release.sh runs what can run here.
#
#   scripts/release.sh [VERSION]    VERSION must equal Cargo.toml's
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

crate_version="$(crate_version)"
version="${1:-$crate_version}"
[ "$version" = "$crate_version" ] \
  || fail "version $version is not Cargo.toml's $crate_version: the binary prints Cargo.toml's, so bump it there first"

targets=(
  x86_64-unknown-linux-musl
  aarch64-unknown-linux-musl
  x86_64-apple-darwin
  aarch64-apple-darwin
  x86_64-pc-windows-gnu
)

need_debs musl-tools python3-venv protobuf-compiler
tools="$PWD/.release-tools"
if [ ! -x "$tools/venv/bin/cargo-zigbuild" ]; then
  step "installing cargo-zigbuild and ziglang from PyPI into .release-tools/"
  python3 -m venv "$tools/venv" || fail "python3 -m venv"
  "$tools/venv/bin/pip" install -q "cargo-zigbuild==0.24.1" "ziglang==0.17.1" \
    || fail "pip install cargo-zigbuild ziglang"
fi
export PATH="$tools/venv/bin:$PATH"

for target in "${targets[@]}"; do
  rustup target list --installed | grep -qx "$target" \
    || rustup target add "$target" >&2 || fail "rustup target add $target"
done

target_dir="$(target_dir)"
RUSTFLAGS="$(release_rustflags)"
export RUSTFLAGS
SOURCE_DATE_EPOCH="$(release_source_date_epoch)"
export SOURCE_DATE_EPOCH

rm -rf dist
mkdir -p dist
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# build_for TARGET PACKAGE: one package's release build for TARGET.
build_for() {
  case "$1" in
    x86_64-unknown-linux-musl) cargo build --locked --release -p "$2" --target "$1" >&2 ;;
    *) cargo zigbuild --locked --release -p "$2" --target "$1" >&2 ;;
  esac
}

for target in "${targets[@]}"; do
  step "building $target"
  build_for "$target" oidc-thumbprint
  name="oidc-thumbprint-$version-$target"
  stage="$work/$name"
  mkdir -p "$stage"
  case "$target" in
    *windows*) binary="oidc-thumbprint.exe" ;;
    *) binary="oidc-thumbprint" ;;
  esac
  cp "$target_dir/$target/release/$binary" "$stage/$binary"
  cp README.md LICENSE CHANGELOG.md "$stage/"
  chmod 0755 "$stage/$binary"
  chmod 0644 "$stage/README.md" "$stage/LICENSE" "$stage/CHANGELOG.md"
  case "$target" in
    *windows*)
      python3 - "$work" "$name" "dist/$name.zip" <<'PY'
import os, sys, zipfile
work, name, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for file in sorted(os.listdir(os.path.join(work, name))):
        path = os.path.join(work, name, file)
        entry = zipfile.ZipInfo(f"{name}/{file}", date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = (os.stat(path).st_mode & 0o777) << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        with open(path, "rb") as data:
            archive.writestr(entry, data.read())
PY
      ;;
    *)
      tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
        -C "$work" -cf - "$name" | gzip -9n > "dist/$name.tar.gz"
      ;;
  esac
done

(cd dist && sha256sum -- *.tar.gz *.zip > SHA256SUMS)

# The provider: Terraform's platform names, and the Registry's file names.
read -r -a provider_targets <<< "${OIDC_THUMBPRINT_PROVIDER_TARGETS:-${targets[*]}}"
provider="terraform-provider-oidcthumbprint"
mkdir -p dist/provider
for target in "${provider_targets[@]}"; do
  case "$target" in
    x86_64-unknown-linux-musl) platform=linux_amd64 ;;
    aarch64-unknown-linux-musl) platform=linux_arm64 ;;
    x86_64-apple-darwin) platform=darwin_amd64 ;;
    aarch64-apple-darwin) platform=darwin_arm64 ;;
    x86_64-pc-windows-gnu) platform=windows_amd64 ;;
    *) fail "OIDC_THUMBPRINT_PROVIDER_TARGETS: unknown target '$target' (one of: ${targets[*]})" ;;
  esac
  step "building the provider for $target ($platform)"
  build_for "$target" "$provider"
  case "$target" in
    *windows*) built="$provider.exe" packed="${provider}_v$version.exe" ;;
    *) built="$provider" packed="${provider}_v$version" ;;
  esac
  pack_provider_zip "$target_dir/$target/release/$built" "$packed" "dist/provider/${provider}_${version}_$platform.zip"
done
# Protocol 6: tf-provider speaks tfplugin6 only.
printf '{"version":1,"metadata":{"protocol_versions":["6.0"]}}\n' > "dist/provider/${provider}_${version}_manifest.json"
(cd dist/provider && sha256sum -- *.zip "${provider}_${version}_manifest.json" > "${provider}_${version}_SHA256SUMS")
if [ -n "${OIDC_THUMBPRINT_GPG_KEY:-}" ]; then
  need_cmd gpg "signing the provider's SHA256SUMS"
  gpg --batch --yes --local-user "$OIDC_THUMBPRINT_GPG_KEY" \
    --output "dist/provider/${provider}_${version}_SHA256SUMS.sig" \
    --detach-sign "dist/provider/${provider}_${version}_SHA256SUMS" \
    || fail "gpg could not sign with key '$OIDC_THUMBPRINT_GPG_KEY'"
fi
step "dist/"
ls -l dist dist/provider >&2
cat dist/SHA256SUMS dist/provider/*_SHA256SUMS
