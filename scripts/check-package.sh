#!/usr/bin/env bash
# The crate as crates.io would get it: `cargo package --locked` (which builds
# the packaged copy), then the unpacked copy's own `cargo test`, so a file the
# tests need but `include` leaves out fails here, not after publishing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_debs openssl

version="$(crate_version)"
step "cargo package --locked"
cargo package --locked >&2 || fail "cargo package"
crate="$(target_dir)/package/oidc-thumbprint-$version.crate"
[ -f "$crate" ] || fail "cargo package made no $crate"
listing="$(tar -tzf "$crate")"
echo "files in the crate:"
while IFS= read -r file; do echo "  $file"; done <<<"$listing"
for needed in LICENSE README.md CHANGELOG.md Cargo.lock build.rs tests/golden/messages.txt \
  tests/fixtures/amazon-root-ca-1.pem tests/it/main.rs; do
  grep -qx "oidc-thumbprint-$version/$needed" <<<"$listing" || fail "the crate lacks $needed"
done
for left_out in terraform/ scripts/ fuzz/ bench/ .github/ install.sh; do
  if grep -q "^oidc-thumbprint-$version/$left_out" <<<"$listing"; then
    fail "the crate ships $left_out, which include should leave out"
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$crate" -C "$work"
step "cargo test in the unpacked crate"
(cd "$work/oidc-thumbprint-$version" && CARGO_TARGET_DIR="$work/target" cargo test --locked) \
  || fail "the packaged crate's tests fail"
echo "ok   the packaged crate builds and passes its tests"
