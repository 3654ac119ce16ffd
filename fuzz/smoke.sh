#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short while (CI: 30 s each,
# FUZZ_SECONDS to change). A target that stops compiling or finds a crash
# fails the run. Needs the nightly toolchain and cargo-fuzz (installed here
# from crates.io when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
seconds="${FUZZ_SECONDS:-30}"

rustup toolchain list | grep -q '^nightly' \
  || fail "the nightly toolchain is not installed (cargo-fuzz needs it): rustup toolchain install nightly"
command -v cargo-fuzz >/dev/null 2>&1 || {
  step "installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked || fail "cargo install cargo-fuzz"
}

cd fuzz
targets=$(cargo +nightly fuzz list)
[ -n "$targets" ] || fail "no fuzz targets found"
cargo +nightly fuzz build || fail "a fuzz target does not build"
for target in $targets; do
  # Every crash found so far is replayed first: a regression fails at once.
  if compgen -G "regressions/$target/*" >/dev/null; then
    step "replaying regressions/$target"
    cargo +nightly fuzz run "$target" regressions/"$target"/* >/dev/null 2>&1 \
      || fail "fuzz target $target crashes again on a saved regression input (regressions/$target)"
  fi
  mkdir -p "corpus/$target"
  # Seeds: the repository's own fixtures give the PEM target real certificates.
  if [ "$target" = pem_chain_walk ]; then
    cp ../tests/fixtures/*.pem "corpus/$target/"
  fi
  step "fuzzing $target for ${seconds}s"
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 4 \
    || fail "fuzz target $target found a crash (see fuzz/artifacts/$target)"
done
