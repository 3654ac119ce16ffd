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
      # protoc: tf-provider's build script compiles the plugin protocol.
      need_debs bsdutils openssl protobuf-compiler python3
      need_cmd terraform "the provider's tests, which run real Terraform"
      step "cargo test: the core, the CLI, the provider and their integration tests"
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
      need_debs shellcheck gpg
      # install.sh is checked as POSIX sh by test-install.sh, once.
      shellcheck -x scripts/*.sh bench/*.sh fuzz/*.sh .ci/run || fail "shellcheck"
      bash scripts/actionlint.sh
      # A key made for this run signs the provider's SHA256SUMS. CI builds
      # the provider for the three platforms it can start (qemu, wine);
      # the release workflow builds all five (README "What CI checks").
      keyring="$(mktemp -d)"
      throwaway_gpg_key "$keyring"
      OIDC_THUMBPRINT_PROVIDER_TARGETS="${OIDC_THUMBPRINT_PROVIDER_TARGETS:-x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-pc-windows-gnu}" \
        bash scripts/release.sh
      bash scripts/check-release.sh
      bash scripts/test-provider-registry.sh
      gpgconf --kill gpg-agent 2>/dev/null || true
      rm -rf "$keyring"
      bash scripts/test-install.sh
      bash scripts/check-package.sh
      ;;
    *) fail "unknown suite '$suite' (rust, static, terraform, fuzz, release)" ;;
  esac
done
step "all suites passed: ${suites[*]}"
# A plain closing line that any CI reader can count.
echo "suites: ${#suites[@]} passed, 0 failed"
