#!/usr/bin/env bash
# Builds the fully static x86_64 Linux binary (musl) and prints its path.
# With release.sh's flags and SOURCE_DATE_EPOCH, so that release.sh finds it
# already built.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_debs musl-tools
rustup target list --installed | grep -qx x86_64-unknown-linux-musl \
  || rustup target add x86_64-unknown-linux-musl >&2 || fail "rustup target add x86_64-unknown-linux-musl"
RUSTFLAGS="$(release_rustflags)" SOURCE_DATE_EPOCH="$(release_source_date_epoch)" \
  cargo build --locked --release -p oidc-thumbprint --target x86_64-unknown-linux-musl >&2
echo "$(target_dir)/x86_64-unknown-linux-musl/release/oidc-thumbprint"
