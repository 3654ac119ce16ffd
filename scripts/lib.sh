# shellcheck shell=bash
# Shared shell helpers for the test and build scripts (sourced, not run).

step() { printf '\n==> %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# need_debs PKG...: installs the Debian packages that are missing.
need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  step "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >&2 || fail "apt-get update failed (needed for ${missing[*]})"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 \
    || fail "could not install Debian packages: ${missing[*]}"
}

# need_cmd CMD WHY: fails with a message when CMD is not on PATH.
need_cmd() {
  command -v "$1" >/dev/null 2>&1 || fail "'$1' is not installed; it is needed for $2"
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_port PORT: until something accepts on 127.0.0.1:PORT (5 s at most).
wait_for_port() {
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  fail "nothing listens on 127.0.0.1:$1"
}

# start_s_server PKI_DIR PORT LOG [EXTRA ARGS]: openssl s_server presenting
# the leaf and PKI_DIR/chain.pem (intermediate + root) on 127.0.0.1:PORT, in
# the background; its PID is in $s_server_pid once it accepts connections.
start_s_server() {
  local pki="$1" port="$2" log="$3"
  shift 3
  openssl s_server -quiet -accept "127.0.0.1:$port" -cert "$pki/leaf.pem" -key "$pki/leaf.key" \
    -cert_chain "$pki/chain.pem" "$@" >"$log" 2>&1 </dev/null &
  # shellcheck disable=SC2034 # read by the scripts that source this one
  s_server_pid=$!
  wait_for_port "$port"
}

# target_dir: where cargo puts build output, CARGO_TARGET_DIR included.
target_dir() {
  cargo metadata --no-deps --format-version 1 \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

# crate_version: the version in Cargo.toml.
crate_version() {
  cargo metadata --no-deps --format-version 1 \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["packages"][0]["version"])'
}
