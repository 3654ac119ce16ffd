#!/usr/bin/env bash
# Checks the static musl build: the check every released binary gets
# (check_runs in lib.sh: --version, the --pem known answer, a loopback
# thumbprint equal to openssl's), and what only a static Linux binary can
# get wrong: that it is static, that it resolves names through the system's
# /etc/hosts, and that a closed stdout is still seen as closed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_debs file openssl
binary="$(bash scripts/build-static.sh)"
work="$(mktemp -d)"
s_server_pid=""
trap '[ -n "$s_server_pid" ] && kill "$s_server_pid" 2>/dev/null; rm -rf "$work"' EXIT

check_static_elf "$binary" x86-64
loopback_issuer "$work"
check_runs x86_64-unknown-linux-musl "$binary" "$work" "$issuer_query" "$issuer_want"

# localhost is answered without a resolver (RFC 6761), so the system
# resolver is checked with this machine's own name from /etc/hosts: static
# glibc binaries fail exactly here, musl ones must not.
name="$(hostname)"
getent hosts "$name" >/dev/null || fail "this machine's name '$name' does not resolve (getent hosts), so the static resolver cannot be checked"
closed="$(free_port)"
resolved="$("$binary" --timeout 3 "$name:$closed" 2>&1 || true)"
case "$resolved" in
  *"connection refused"*) ok "static binary resolved '$name' through /etc/hosts: $resolved" ;;
  *) fail "static binary could not resolve '$name': $resolved" ;;
esac

# The closed-stdout check reads fd 1 from an initialiser that runs before
# Rust's runtime; musl's loader must run it too.
status=0
"$binary" --pem tests/fixtures/amazon-root-ca-1.pem >&- 2>"$work/closed.err" || status=$?
if [ "$status" -ne 1 ] || ! grep -q "stdout: it is closed" "$work/closed.err"; then
  fail "static binary with stdout closed: exit $status, $(cat "$work/closed.err")"
fi
ok "static binary with stdout closed: exit 1, $(cat "$work/closed.err")"
ls -l "$binary"
