#!/usr/bin/env bash
# The provider installed the way the public Registry installs it: `terraform
# init` from a registry on https://localhost (scripts/provider-registry.py:
# service discovery, versions, download descriptions), trusting a test CA
# through SSL_CERT_FILE, of the zips, SHA256SUMS and signature that
# scripts/release.sh made and signed with OIDC_THUMBPRINT_GPG_KEY (a
# throwaway key: scripts/test.sh release makes one). Then a plan and apply
# against a loopback issuer give openssl's thumbprint, and a tampered zip
# and a tampered SHA256SUMS are each refused by Terraform.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_cmd terraform "installing the provider from the local registry"
need_cmd gpg "exporting the signing key the registry offers"

version="$(crate_version)"
provider="terraform-provider-oidcthumbprint"
sums="dist/provider/${provider}_${version}_SHA256SUMS"
[ -n "${OIDC_THUMBPRINT_GPG_KEY:-}" ] || fail "OIDC_THUMBPRINT_GPG_KEY names no key: the registry must offer the key that signed $sums"
[ -f "$sums.sig" ] || fail "no $sums.sig: run scripts/release.sh with OIDC_THUMBPRINT_GPG_KEY set"

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

loopback_issuer "$work/issuer"
pids+=("$s_server_pid")
issuer_port="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["port"])' "$issuer_query")"

# The registry's own TLS: a second test PKI; Terraform trusts its root
# through SSL_CERT_FILE, as it would a corporate CA.
bash scripts/make-test-pki.sh "$work/registry-pki" >/dev/null
cat "$work/registry-pki/leaf.pem" "$work/registry-pki/chain.pem" >"$work/registry.pem"
gpg --batch --armor --export "$OIDC_THUMBPRINT_GPG_KEY" >"$work/key.asc"
key_id="$(gpg --batch --with-colons --list-keys "$OIDC_THUMBPRINT_GPG_KEY" | awk -F: '/^pub/ {print $5; exit}')"
if [ ! -s "$work/key.asc" ] || [ -z "$key_id" ]; then
  fail "gpg has no public key '$OIDC_THUMBPRINT_GPG_KEY'"
fi

# start_registry ASSETS: serves ASSETS; sets $registry_port.
start_registry() {
  rm -f "$work/registry.port"
  python3 scripts/provider-registry.py "$1" "$work/registry.pem" "$work/registry-pki/leaf.key" \
    "$work/registry.port" "$version" "$key_id" "$work/key.asc" 2>>"$work/registry.log" &
  pids+=($!)
  for _ in $(seq 1 50); do [ -s "$work/registry.port" ] && break; sleep 0.1; done
  [ -s "$work/registry.port" ] || { cat "$work/registry.log"; fail "the local registry did not start"; }
  registry_port="$(cat "$work/registry.port")"
}

# configuration DIR: a Terraform configuration in DIR that takes the
# provider from the registry on $registry_port.
configuration() {
  mkdir -p "$1"
  : >"$1/terraformrc"
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    oidcthumbprint = {
      source  = "localhost:$registry_port/oidc-thumbprint/oidcthumbprint"
      version = "$version"
    }
  }
}

data "oidcthumbprint_issuer" "x" {
  host    = "localhost"
  port    = $issuer_port
  ca_file = "$work/issuer/root.pem"
}

output "thumbprint" {
  value = data.oidcthumbprint_issuer.x.thumbprint
}
TF
}

# tf DIR ARGS...: terraform in DIR with only the test CA trusted.
tf() {
  local dir="$1"
  shift
  TF_CLI_CONFIG_FILE="$dir/terraformrc" SSL_CERT_FILE="$work/registry-pki/root.pem" \
    TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 RUST_BACKTRACE=1 \
    terraform -chdir="$dir" "$@"
}

step "terraform init from the local registry, signed SHA256SUMS"
cp -r dist/provider "$work/assets"
start_registry "$work/assets"
configuration "$work/ok"
tf "$work/ok" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" "$work/registry.log"; fail "terraform init from the local registry"; }
grep -q "Installed localhost:$registry_port/oidc-thumbprint/oidcthumbprint v$version (self-signed, key ID ${key_id^^})" "$work/init.log" \
  || { cat "$work/init.log"; fail "init did not report the provider as signed by key $key_id"; }
ok "installed v$version, self-signed, key ID $key_id (a registry other than HashiCorp's says self-signed for every key)"
# A registry install records every hash of the signed SHA256SUMS (each
# platform's zip, and the manifest), so other platforms verify too.
while read -r digest _; do
  grep -q "\"zh:$digest\"" "$work/ok/.terraform.lock.hcl" \
    || { cat "$work/ok/.terraform.lock.hcl"; fail "the lock file lacks zh:$digest from SHA256SUMS"; }
done <"$sums"
ok "the lock file records all $(wc -l <"$sums") zh: hashes of SHA256SUMS"
tf "$work/ok" apply -auto-approve -input=false -no-color >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; fail "apply with the registry-installed provider"; }
got="$(tf "$work/ok" output -raw thumbprint)"
[ "$got" = "$issuer_want" ] || fail "the registry-installed provider gave $got, openssl gives $issuer_want"
ok "plan and apply give openssl's thumbprint $got"

step "a tampered zip is refused"
platform="$(terraform_platform)"
cp -r dist/provider "$work/tampered-zip"
printf 'x' >>"$work/tampered-zip/${provider}_${version}_$platform.zip"
start_registry "$work/tampered-zip"
configuration "$work/zip"
if tf "$work/zip" init -input=false -no-color >"$work/zip.log" 2>&1; then
  cat "$work/zip.log"
  fail "Terraform installed a zip whose checksum is not the signed one"
fi
grep -qi "checksum" "$work/zip.log" || { cat "$work/zip.log"; fail "init failed, but not on the checksum"; }
ok "refused: $(grep -i -m1 -o "[^│]*checksum[^│]*" "$work/zip.log" | head -1 | sed 's/^ *//')"

step "a tampered SHA256SUMS is refused"
cp -r dist/provider "$work/tampered-sums"
echo "$(printf '0%.0s' $(seq 1 64))  ${provider}_${version}_extra.zip" >>"$work/tampered-sums/${sums##*/}"
start_registry "$work/tampered-sums"
configuration "$work/sums"
if tf "$work/sums" init -input=false -no-color >"$work/sums.log" 2>&1; then
  cat "$work/sums.log"
  fail "Terraform installed a provider whose SHA256SUMS no longer matches its signature"
fi
grep -qi "signature" "$work/sums.log" || { cat "$work/sums.log"; fail "init failed, but not on the signature"; }
ok "refused: $(grep -i -m1 -o "[^│]*signature[^│]*" "$work/sums.log" | head -1 | sed 's/^ *//')"
