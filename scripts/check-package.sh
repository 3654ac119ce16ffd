#!/usr/bin/env bash
# The crates as crates.io would get them: `cargo package --locked` of the
# core and the CLI together (cargo builds each packaged copy, the CLI's
# against the packaged core), then what each crate ships and leaves out.
# Their tests need the unpublished test-support crate, so they run from
# the repository (scripts/test.sh rust), not from the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

version="$(crate_version)"
# cargo treats a packaged version as immutable: it would verify the CLI
# against an earlier run's copy of the core, extracted from its temporary
# registry into CARGO_HOME (never crates.io's own copies, which are kept),
# and built into the dev profile's folder, which verification shares.
rm -rf "$(target_dir)/package"
cargo clean --profile dev -p oidc-thumbprint-core >&2
for stale in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/oidc-thumbprint-core-"$version"; do
  case "$stale" in
    */index.crates.io-*) ;;
    *) [ -d "$stale" ] && rm -rf "$stale" ;;
  esac
done
step "cargo package --locked -p oidc-thumbprint-core -p oidc-thumbprint"
cargo package --locked -p oidc-thumbprint-core -p oidc-thumbprint >&2 || fail "cargo package"

# check_crate NAME NEEDED...: the crate's files include each NEEDED and
# none of the repository-only folders.
check_crate() {
  local name="$1"
  shift
  local crate listing
  crate="$(target_dir)/package/$name-$version.crate"
  [ -f "$crate" ] || fail "cargo package made no $crate"
  listing="$(tar -tzf "$crate")"
  echo "files in $name:"
  while IFS= read -r file; do echo "  $file"; done <<<"$listing"
  for needed in "$@"; do
    grep -qx "$name-$version/$needed" <<<"$listing" || fail "$name lacks $needed"
  done
  for left_out in terraform/ scripts/ fuzz/ bench/ .github/ install.sh crates/ tests/; do
    if grep -q "^$name-$version/$left_out" <<<"$listing"; then
      fail "$name ships $left_out, which it should leave out"
    fi
  done
}
check_crate oidc-thumbprint LICENSE README.md CHANGELOG.md Cargo.lock build.rs src/main.rs
check_crate oidc-thumbprint-core LICENSE README.md src/lib.rs src/trust.rs
echo "ok   both crates package, and the CLI builds against the packaged core"
