#!/usr/bin/env bash
# The one test command (README "Test"): installs what the tests need, then
# runs every suite. A missing tool is a failure with a message, never a skip.
#
#   scripts/test.sh            everything
#   scripts/test.sh rust       only the Rust tests (cargo test); likewise
#                              static, terraform, fuzz and release
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(rust static terraform fuzz release)

for suite in "${suites[@]}"; do
  case "$suite" in
    rust)
      need_debs bsdutils openssl
      step "cargo test: the core, the CLI and its integration tests"
      cargo test --locked --workspace
      ;;
    static)
      step "static musl build and its checks"
      bash scripts/check-static.sh
      ;;
    terraform)
      step "Terraform module tests"
      bash scripts/test-terraform.sh
      ;;
    fuzz)
      step "fuzz targets: build and a short run of each"
      bash fuzz/smoke.sh
      ;;
    release)
      step "release: lint the scripts and workflows, build and check every archive, the installer, the crate"
      need_debs shellcheck
      # install.sh is checked as POSIX sh by test-install.sh, once.
      shellcheck -x scripts/*.sh bench/*.sh fuzz/*.sh .ci/run || fail "shellcheck"
      bash scripts/actionlint.sh
      bash scripts/release.sh
      bash scripts/check-release.sh
      bash scripts/test-install.sh
      bash scripts/check-package.sh
      ;;
    *) fail "unknown suite '$suite' (rust, static, terraform, fuzz, release)" ;;
  esac
done
step "all suites passed: ${suites[*]}"
# A plain closing line that any CI reader can count.
echo "suites: ${#suites[@]} passed, 0 failed"
