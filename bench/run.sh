#!/usr/bin/env bash
# Benchmark: the static oidc-thumbprint against the openssl one-liner it
# replaces, on one loopback TLS server presenting a 3-certificate RSA-2048
# chain (leaf, intermediate, root). Prints medians, the ratios a/b and a/c,
# the stripped binary's size and its peak RSS. See bench/README.md.
#
#   bench/run.sh [RUNS]      RUNS interleaved runs each (default 40)
#
# With BASELINE=PATH (an earlier build of the static binary), the same run
# also times, against a concurrent server (bench/tls_server.py): (d) that
# build, (f) this one with sample=first (one handshake, as the baseline
# makes), (g) this one sampling one address (two handshakes, one per
# ClientHello profile) and (e) four addresses (eight), and prints f/d, g/d
# and e/d.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
runs="${1:-40}"
need_debs openssl time musl-tools file
binary="$(bash scripts/build-static.sh)"
work="$(mktemp -d)"
server=""
servers=()
stop_servers() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap stop_servers EXIT

bash scripts/make-test-pki.sh "$work/pki"
port="$(free_port)"
start_s_server "$work/pki" "$port" "$work/s_server.log"
server=$s_server_pid

query="{\"host\":\"localhost\",\"port\":\"$port\",\"ca_file\":\"$work/pki/root.pem\"}"
# (a) ours, in Terraform mode with a host query.
a="echo '$query' | $binary"
# (b) the classic pipeline, corrected for Linux: tac for tail -r, an explicit
# port, and </dev/null so s_client does not wait on stdin.
b="openssl s_client -servername localhost -showcerts -connect localhost:$port </dev/null 2>&- | tac | sed -n '/-----END CERTIFICATE-----/,/-----BEGIN CERTIFICATE-----/p; /-----BEGIN CERTIFICATE-----/q' | tac | openssl x509 -fingerprint -noout | sed 's/://g' | awk -F= '{print tolower(\$2)}'"
# (c) a bare handshake: the best openssl itself does.
c="openssl s_client -servername localhost -connect localhost:$port </dev/null >/dev/null 2>&1"

extra=()
if [ -n "${BASELINE:-}" ]; then
  [ -x "$BASELINE" ] || fail "BASELINE=$BASELINE is not an executable"
  # openssl s_server takes one connection at a time, which would queue the
  # handshakes this program makes in parallel; issuers' front ends do not,
  # so the baseline comparison uses a concurrent server on 127.0.0.1 to
  # 127.0.0.4 (bench/tls_server.py), one port.
  edge_port="$(free_port)"
  python3 bench/tls_server.py "$work/pki/leaf.pem" "$work/pki/leaf.key" "$work/pki/chain.pem" \
    "127.0.0.1:$edge_port" "127.0.0.2:$edge_port" "127.0.0.3:$edge_port" "127.0.0.4:$edge_port" \
    >"$work/tls_server.log" 2>&1 &
  servers+=($!)
  wait_for_port "$edge_port"
  ca="$work/pki/root.pem"
  one="{\"host\":\"localhost\",\"port\":\"$edge_port\",\"ca_file\":\"$ca\",\"resolve\":\"localhost:$edge_port:127.0.0.1\"}"
  first="{\"host\":\"localhost\",\"port\":\"$edge_port\",\"ca_file\":\"$ca\",\"sample\":\"first\"}"
  four="{\"host\":\"localhost\",\"port\":\"$edge_port\",\"ca_file\":\"$ca\",\"resolve\":\"localhost:$edge_port:127.0.0.1,127.0.0.2,127.0.0.3,127.0.0.4\"}"
  # The baseline resolves localhost itself and connects to 127.0.0.1 first.
  baseline_query="{\"host\":\"localhost\",\"port\":\"$edge_port\",\"ca_file\":\"$ca\"}"
  extra=("d=echo '$baseline_query' | $BASELINE" "f=echo '$first' | $binary"
    "g=echo '$one' | $binary" "e=echo '$four' | $binary"
    "ratio:f/d" "ratio:g/d" "ratio:e/d")
fi

python3 bench/interleave.py "$runs" 5 "a=$a" "b=$b" "c=$c" "${extra[@]}"

echo
echo "binary: $binary"
echo "size (stripped): $(stat -c %s "$binary") bytes"
rss_kib="$(echo "$query" | /usr/bin/time -v "$binary" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}')"
echo "peak RSS: ${rss_kib} KiB"
echo "expected thumbprint (openssl, root presented): $(cat "$work/pki/expected-root.sha1")"
