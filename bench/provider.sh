#!/usr/bin/env bash
# Benchmark: `terraform plan` wall time with 1 and with 20 issuers, through
# the native provider (p1, p20) and through data "external" running the CLI
# (e1, e20), interleaved in one run against one concurrent loopback TLS
# server (bench/tls_server.py); then the provider's peak RSS over a
# 20-issuer plan, and the stripped size of both static binaries against
# the provider's 6 MiB target. See bench/README.md.
#
#   bench/provider.sh [RUNS]      RUNS interleaved plans each (default 15)
#
# data "external" is the test-only Python stand-in here (../shared/tools/
# tf-standins: the registry cannot be reached), whose start-up is slower
# than the real Go hashicorp/external's; the figures say so.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
runs="${1:-15}"
need_debs time musl-tools file protobuf-compiler
need_cmd terraform "planning"
standins="$PWD/../shared/tools/tf-standins"
[ -f "$standins/install.sh" ] || fail "the hashicorp/external stand-in is not at $standins"
eval "$(bash "$standins/install.sh" "$PWD/.tf-standins")"

cli="$(bash scripts/build-static.sh)"
RUSTFLAGS="$(release_rustflags)" SOURCE_DATE_EPOCH="$(release_source_date_epoch)" \
  cargo build --locked --release -p terraform-provider-oidcthumbprint --target x86_64-unknown-linux-musl >&2
provider="$(target_dir)/x86_64-unknown-linux-musl/release/terraform-provider-oidcthumbprint"
version="$(crate_version)"

work="$(mktemp -d)"
servers=()
cleanup() {
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

bash scripts/make-test-pki.sh "$work/pki" >/dev/null
port="$(free_port)"
python3 bench/tls_server.py "$work/pki/leaf.pem" "$work/pki/leaf.key" "$work/pki/chain.pem" \
  "127.0.0.1:$port" >"$work/tls_server.log" 2>&1 &
servers+=($!)
wait_for_port "$port"

provider_mirror "$provider" "$work/mirror"
cli_config_with_provider_mirror "$TF_CLI_CONFIG_FILE" "$work/mirror" "$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 NO_PROXY=localhost,127.0.0.1

ca="$work/pki/root.pem"
# config NAME COUNT KIND: a configuration reading COUNT issuers with KIND.
config() {
  local dir="$work/$1"
  mkdir -p "$dir"
  case "$3" in
    provider)
      cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    oidcthumbprint = { source = "oidc-thumbprint/oidcthumbprint" }
  }
}
data "oidcthumbprint_issuer" "x" {
  count   = $2
  host    = "localhost"
  port    = $port
  ca_file = "$ca"
}
output "thumbprints" { value = distinct(data.oidcthumbprint_issuer.x[*].thumbprint) }
TF
      ;;
    external)
      cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    external = { source = "hashicorp/external" }
  }
}
data "external" "x" {
  count   = $2
  program = ["$cli"]
  query   = { host = "localhost", port = "$port", ca_file = "$ca" }
}
output "thumbprints" { value = distinct(data.external.x[*].result.thumbprint) }
TF
      ;;
  esac
  terraform -chdir="$dir" init -input=false -no-color >"$work/init-$1.log" 2>&1 || { cat "$work/init-$1.log"; fail "init of $1"; }
}
config p1 1 provider
config p20 20 provider
config e1 1 external
config e20 20 external

plan() { echo "terraform -chdir=$work/$1 plan -input=false -no-color -lock=false 2>&1 | grep -o '$(cat "$work/pki/expected-root.sha1")' | head -1"; }
python3 bench/interleave.py "$runs" 2 "p1=$(plan p1)" "p20=$(plan p20)" "e1=$(plan e1)" "e20=$(plan e20)" \
  "ratio:p1/e1" "ratio:p20/e20" "ratio:p20/p1"

# Peak RSS of each provider process Terraform starts for a 20-issuer plan.
wrapper="$work/wrapper"
mkdir -p "$wrapper"
printf '#!/bin/sh\nexec /usr/bin/time -a -o %s -f %%M %s "$@"\n' "$work/rss.log" "$provider" \
  >"$wrapper/terraform-provider-oidcthumbprint"
chmod +x "$wrapper/terraform-provider-oidcthumbprint"
cat >"$work/rss.rc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/oidc-thumbprint/oidcthumbprint" = "$wrapper"
  }
  filesystem_mirror {
    path    = "$work/mirror"
    include = ["registry.terraform.io/oidc-thumbprint/*"]
  }
}
RC
TF_CLI_CONFIG_FILE="$work/rss.rc" terraform -chdir="$work/p20" plan -input=false -no-color -lock=false >"$work/rss-plan.log" 2>&1 \
  || { cat "$work/rss-plan.log"; fail "the RSS plan"; }
echo
echo "provider processes started for one 20-issuer plan: $(wc -l <"$work/rss.log")"
echo "provider peak RSS: $(sort -n "$work/rss.log" | tail -1) KiB (each start: $(sort -n "$work/rss.log" | tr '\n' ' '))"
size="$(stat -c %s "$provider")"
echo "provider size (stripped, static musl): $size bytes ($(python3 -c "print(f'{$size / 1048576:.2f}')") MiB; target at most 6 MiB)"
echo "cli size (stripped, static musl): $(stat -c %s "$cli") bytes"
[ "$size" -le $((6 * 1024 * 1024)) ] || echo "over target: the provider is larger than 6 MiB"
