#!/usr/bin/env bash
# Checks the static musl build: `file` calls it statically linked, it gives
# the known answer for Amazon Root CA 1, it resolves names through the
# system's /etc/hosts, and it thumbprints a local openssl s_server on
# localhost the same way openssl does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_debs file openssl
binary="$(bash scripts/build-static.sh)"
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

description="$(file -L "$binary")"
echo "$description"
case "$description" in
  *"statically linked"* | *"static-pie linked"*) echo "ok   statically linked" ;;
  *) fail "the musl binary is not static: $description" ;;
esac

answer="$("$binary" --pem tests/fixtures/amazon-root-ca-1.pem)"
[ "$answer" = 8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16 ] || fail "--pem known answer: got '$answer'"
echo "ok   --pem Amazon Root CA 1 = $answer"

# localhost is answered without a resolver (RFC 6761), so the system
# resolver is checked with this machine's own name from /etc/hosts: static
# glibc binaries fail exactly here, musl ones must not.
name="$(hostname)"
getent hosts "$name" >/dev/null || fail "this machine's name '$name' does not resolve (getent hosts), so the static resolver cannot be checked"
closed="$(free_port)"
resolved="$("$binary" --timeout 3 "$name:$closed" 2>&1 || true)"
case "$resolved" in
  *"connection refused"*) echo "ok   static binary resolved '$name' through /etc/hosts: $resolved" ;;
  *) fail "static binary could not resolve '$name': $resolved" ;;
esac

bash scripts/make-test-pki.sh "$work/pki"
port="$(free_port)"
start_s_server "$work/pki" "$port" "$work/s_server.log"
server=$s_server_pid
got="$(printf '{"host":"localhost","port":"%s","ca_file":"%s"}' "$port" "$work/pki/root.pem" | "$binary")"
want="$(cat "$work/pki/expected-root.sha1")"
case "$got" in
  *"\"thumbprint\":\"$want\""*) echo "ok   static binary resolved localhost; thumbprint $want matches openssl's" ;;
  *) fail "static binary against localhost: got $got, want thumbprint $want" ;;
esac
ls -l "$binary"
