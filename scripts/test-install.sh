#!/usr/bin/env bash
# Tests install.sh against a loopback HTTP server serving dist/ (made by
# scripts/release.sh): a good install that then runs, the latest release, a
# pinned checksum, a tampered archive, unsupported platforms and a server
# that is down. Every failure must install nothing. install.sh runs under
# dash, so a bash-ism fails here; shellcheck checks it as POSIX sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_debs shellcheck dash curl
[ -f dist/SHA256SUMS ] || fail "no dist/: run scripts/release.sh first"

version="$(crate_version)"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

step "shellcheck install.sh (POSIX sh)"
shellcheck -s sh install.sh || fail "shellcheck install.sh"

# The release layout: /good/ as published, /tampered/ with one byte changed.
mkdir -p "$work/www/good" "$work/www/tampered"
cp dist/*.tar.gz dist/*.zip dist/SHA256SUMS "$work/www/good/"
cp dist/*.tar.gz dist/*.zip dist/SHA256SUMS "$work/www/tampered/"
linux="oidc-thumbprint-$version-x86_64-unknown-linux-musl.tar.gz"
python3 - "$work/www/tampered/$linux" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[len(data) // 2] ^= 0xFF
open(path, "wb").write(bytes(data))
PY
port="$(free_port)"
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$port" >"$work/http.log" 2>&1 &
server=$!
wait_for_port "$port"
base="http://127.0.0.1:$port"

passed=0
failed=0
check() { # NAME CONDITION...
  local name="$1"
  shift
  if "$@"; then
    printf 'ok   %s\n' "$name"
    passed=$((passed + 1))
  else
    printf 'FAIL %s\n' "$name"
    failed=$((failed + 1))
  fi
}

# install DIR [ENV=VALUE...] -- [ARGS...]: runs install.sh under dash; its
# output is in $work/out, its status in $status.
install() {
  local to="$1"
  shift
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  status=0
  env "${env[@]}" dash install.sh --to "$to" "$@" >"$work/out" 2>&1 || status=$?
}
said() { grep -q -- "$1" "$work/out"; }
nothing_in() { [ ! -e "$1/oidc-thumbprint" ] && [ -z "$(ls -A "$1" 2>/dev/null)" ]; }

install "$work/bin" OIDC_THUMBPRINT_BASE_URL="$base/good" -- --version "$version"
check "a good install succeeds" test "$status" -eq 0
check "it says where and which version" said "installed oidc-thumbprint $version (x86_64-unknown-linux-musl) to $work/bin/oidc-thumbprint"
check "the installed binary runs: --pem known answer" \
  test "$("$work/bin/oidc-thumbprint" --pem tests/fixtures/amazon-root-ca-1.pem)" = 8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16

install "$work/latest" OIDC_THUMBPRINT_BASE_URL="$base/good" -- 
check "without --version it installs the release SHA256SUMS lists" test "$status" -eq 0
check "... and names that version" said "installed oidc-thumbprint $version"

sum="$(awk -v name="$linux" '$2 == name { print $1 }' dist/SHA256SUMS)"
install "$work/pinned" OIDC_THUMBPRINT_BASE_URL="$base/good" -- --version "$version" --sha256 "$sum"
check "a pinned checksum that matches installs" test "$status" -eq 0
install "$work/pinned-wrong" OIDC_THUMBPRINT_BASE_URL="$base/good" -- --version "$version" --sha256 "$(printf '0%.0s' $(seq 64))"
check "a pinned checksum that differs is refused" test "$status" -ne 0
check "... with a message" said "you pinned"
check "... and nothing installed" nothing_in "$work/pinned-wrong"

install "$work/tampered" OIDC_THUMBPRINT_BASE_URL="$base/tampered" -- --version "$version"
check "a tampered archive is refused" test "$status" -ne 0
check "... as a checksum mismatch" said "checksum mismatch for $linux"
check "... and nothing installed" nothing_in "$work/tampered"

install "$work/plan9" OIDC_THUMBPRINT_BASE_URL="$base/good" OIDC_THUMBPRINT_OS=Plan9 -- --version "$version"
check "an unsupported OS is refused" test "$status" -ne 0
check "... naming it" said "no release is built for the Plan9 operating system"
check "... and nothing installed" nothing_in "$work/plan9"
install "$work/riscv" OIDC_THUMBPRINT_BASE_URL="$base/good" OIDC_THUMBPRINT_ARCH=riscv64 -- --version "$version"
check "an unsupported architecture is refused" test "$status" -ne 0
check "... naming it" said "no release is built for the riscv64 architecture"
check "... and nothing installed" nothing_in "$work/riscv"

install "$work/mac" OIDC_THUMBPRINT_BASE_URL="$base/good" OIDC_THUMBPRINT_OS=Darwin OIDC_THUMBPRINT_ARCH=arm64 -- --version "$version"
check "a Mac on Apple silicon gets the arm64 build" sh -c "file -L '$work/mac/oidc-thumbprint' | grep -q 'Mach-O 64-bit arm64'"

down="$(free_port)"
install "$work/down" OIDC_THUMBPRINT_BASE_URL="http://127.0.0.1:$down" -- --version "$version"
check "a server that is down is reported" test "$status" -ne 0
check "... naming the URL" said "cannot download http://127.0.0.1:$down/SHA256SUMS"
check "... and nothing installed" nothing_in "$work/down"

install "$work/missing" OIDC_THUMBPRINT_BASE_URL="$base/good" -- --version 9.9.9
check "a version that was not released is refused" test "$status" -ne 0
check "... and nothing installed" nothing_in "$work/missing"

# docs/INSTALL.md's own commands, with the GitHub URL pointed at the loopback
# server laid out as GitHub's release download URLs are.
site="$work/www/oidc-thumbprint/oidc-thumbprint/releases"
mkdir -p "$site/download/v$version" "$site/latest/download"
cp dist/*.tar.gz dist/*.zip dist/SHA256SUMS install.sh "$site/download/v$version/"
cp dist/*.tar.gz dist/*.zip dist/SHA256SUMS install.sh "$site/latest/download/"
readme_block() { # MARKER: the first ```sh block after the line holding MARKER
  awk -v marker="$1" 'index($0, marker) { found = 1 } found && /^```sh/ { inside = 1; next }
    inside && /^```/ { exit } inside { print }' docs/INSTALL.md
}
local_urls() { sed "s|https://github.com|http://127.0.0.1:$port|g; s|SHA256_OF_THE_ARCHIVE|$sum|g"; }

ci_line="$(readme_block "**A CI runner.**" | local_urls)"
mkdir -p "$work/home"
status=0
# The installer fetched from the mirror would still fetch the archives from
# GitHub: its mirror setting points it here too.
(cd "$work" && HOME="$work/home" OIDC_THUMBPRINT_BASE_URL="http://127.0.0.1:$port/oidc-thumbprint/oidc-thumbprint/releases/download/v$version" \
  bash -c "$ci_line") >"$work/out" 2>&1 || status=$?
check "docs/INSTALL.md's CI one-liner installs the pinned release" test "$status" -eq 0
check "... which runs" test "$("$work/home/.local/bin/oidc-thumbprint" --version)" = "oidc-thumbprint $version (x86_64-unknown-linux-musl)"

vendor="$(readme_block "**Terraform Cloud / Enterprise agents.**" | local_urls)"
mkdir -p "$work/config"
status=0
(cd "$work/config" && bash -euc "$vendor") >"$work/out" 2>&1 || status=$?
check "docs/INSTALL.md's vendoring commands check and unpack the Linux binary" test "$status" -eq 0
check "... into bin/, where the module is pointed" \
  test "$("$work/config/bin/oidc-thumbprint" --pem tests/fixtures/amazon-root-ca-1.pem)" = 8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16

echo "installer: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || fail "install.sh: $failed checks failed"
