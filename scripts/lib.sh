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

ok() { printf 'ok   %s\n' "$*"; }

# release_rustflags: the flags every release build uses. Build paths would
# otherwise end up in panic locations inside the binary; and the static
# suite's musl build uses the same flags, so that release.sh finds it built
# and the musl binary is compiled once per test run.
release_rustflags() {
  echo "--remap-path-prefix=$HOME/.cargo=/cargo --remap-path-prefix=$PWD=/oidc-thumbprint"
}

# release_source_date_epoch: the time release builds stamp (the last
# commit's, or the caller's SOURCE_DATE_EPOCH). The static suite's build
# uses it too: a C build script reruns when it changes, and the musl binary
# would be compiled twice in one test run.
release_source_date_epoch() {
  echo "${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
}

# check_static_elf BINARY ARCH: `file` calls BINARY a static ARCH ELF.
check_static_elf() {
  local description
  description="$(file -L "$1")"
  case "$description" in
    *"$2"*"statically linked"* | *"$2"*"static-pie linked"*) ok "static $2 ELF" ;;
    *) fail "$1 is not a static $2 ELF: $description" ;;
  esac
}

# check_runs TARGET BINARY DIR QUERY WANT [RUNNER...]: the one check every
# built binary gets, run through RUNNER (nothing, qemu, wine) from DIR,
# which holds amazon-root-ca-1.pem and the ca_file QUERY names (relative
# paths mean the same to a Windows binary): --version names TARGET, --pem
# gives Amazon Root CA 1's known thumbprint, and QUERY on stdin (a loopback
# openssl s_server) gives thumbprint WANT, openssl's own answer.
check_runs() {
  local target="$1" binary="$2" dir="$3" query="$4" want="$5" got
  shift 5
  local known=8da7f965ec5efc37910f1c6e59fdc1cc6a6ede16
  got="$(cd "$dir" && "$@" "$binary" --version | tr -d '\r')"
  [ "$got" = "oidc-thumbprint $(crate_version) ($target)" ] || fail "$target --version: got '$got'"
  ok "$target --version: $got"
  got="$(cd "$dir" && "$@" "$binary" --pem amazon-root-ca-1.pem | tr -d '\r')"
  [ "$got" = "$known" ] || fail "$target --pem known answer: got '$got'"
  ok "$target --pem Amazon Root CA 1 = $got"
  got="$(cd "$dir" && printf '%s' "$query" | "$@" "$binary" | tr -d '\r')"
  case "$got" in
    *"\"thumbprint\":\"$want\""*) ok "$target loopback thumbprint $want = openssl's" ;;
    *) fail "$target against a loopback openssl s_server: got '$got', want thumbprint $want" ;;
  esac
}

# loopback_issuer DIR: a test PKI in DIR/pki, an openssl s_server presenting
# it (its PID in $s_server_pid), DIR/root.pem and DIR/amazon-root-ca-1.pem;
# sets $issuer_query (a Terraform query for it, ca_file relative to DIR) and
# $issuer_want (openssl's thumbprint of its top).
loopback_issuer() {
  local dir="$1" port
  bash scripts/make-test-pki.sh "$dir/pki"
  port="$(free_port)"
  start_s_server "$dir/pki" "$port" "$dir/s_server.log"
  cp tests/fixtures/amazon-root-ca-1.pem "$dir/amazon-root-ca-1.pem"
  cp "$dir/pki/root.pem" "$dir/root.pem"
  # shellcheck disable=SC2034 # read by the scripts that source this one
  issuer_query="{\"host\":\"localhost\",\"port\":\"$port\",\"ca_file\":\"root.pem\",\"timeout\":\"20\"}"
  # shellcheck disable=SC2034
  issuer_want="$(cat "$dir/pki/expected-root.sha1")"
}

# throwaway_gpg_key DIR: a new signing key in the keyring DIR (made for this
# run, never published); exports GNUPGHOME=DIR and OIDC_THUMBPRINT_GPG_KEY,
# its fingerprint, as scripts/release.sh reads them.
throwaway_gpg_key() {
  need_cmd gpg "signing the provider's SHA256SUMS"
  mkdir -p "$1" && chmod 700 "$1"
  export GNUPGHOME="$1"
  gpg --batch --pinentry-mode loopback --passphrase '' --quiet \
    --quick-gen-key "oidc-thumbprint test release <release@oidc-thumbprint.invalid>" rsa3072 sign never \
    2>/dev/null || fail "gpg could not make a throwaway key"
  OIDC_THUMBPRINT_GPG_KEY="$(gpg --batch --with-colons --list-secret-keys | awk -F: '/^fpr/ {print $10; exit}')"
  export OIDC_THUMBPRINT_GPG_KEY
}

# pack_provider_zip BINARY NAME ZIP: the Registry's zip, holding BINARY as
# NAME (terraform-provider-oidcthumbprint_vVERSION[.exe]), mode 0755, with a
# fixed time so the same binary gives the same bytes.
pack_provider_zip() {
  python3 - "$@" <<'PY' || fail "packing $3"
import sys, zipfile
binary, name, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.external_attr = 0o755 << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    with open(binary, "rb") as data:
        archive.writestr(entry, data.read())
PY
}

# terraform_platform: Terraform's name for this machine (linux_amd64).
terraform_platform() {
  TF_CLI_CONFIG_FILE=/dev/null terraform version -json | python3 -c 'import json, sys; print(json.load(sys.stdin)["platform"])'
}

# provider_mirror BINARY DIR: makes DIR a packed filesystem mirror holding
# BINARY as this version's provider for this machine's platform.
provider_mirror() {
  local version into
  version="$(crate_version)"
  into="$2/registry.terraform.io/oidc-thumbprint/oidcthumbprint"
  mkdir -p "$into"
  pack_provider_zip "$1" "terraform-provider-oidcthumbprint_v$version" \
    "$into/terraform-provider-oidcthumbprint_${version}_$(terraform_platform).zip"
}

# cli_config_with_provider_mirror BASE MIRROR OUT: writes OUT, the CLI
# config BASE (the stand-ins', say; none or missing: direct installs for
# everything else) with MIRROR as the first source of this provider.
cli_config_with_provider_mirror() {
  python3 - "$@" <<'PY' || fail "writing the CLI config $3"
import os, sys
base, mirror, out = sys.argv[1:]
text = open(base).read() if base and os.path.exists(base) else "provider_installation {\n  direct {\n    exclude = [\"registry.terraform.io/oidc-thumbprint/*\"]\n  }\n}\n"
block = f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/oidc-thumbprint/*"]\n  }}\n'
if "provider_installation {\n" not in text:
    sys.exit("no provider_installation block in " + base)
open(out, "w").write(text.replace("provider_installation {\n", "provider_installation {\n" + block, 1))
PY
}
