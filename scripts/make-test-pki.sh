#!/usr/bin/env bash
# make-test-pki.sh DIR: a 3-certificate RSA-2048 chain made with the openssl
# CLI (independent of the Rust code under test), for the end-to-end test and
# the benchmark:
#   DIR/root.pem            self-signed root (the trust anchor)
#   DIR/intermediate.pem    issued by the root
#   DIR/leaf.pem, leaf.key  for localhost and 127.0.0.1, issued by the intermediate
#   DIR/chain.pem           intermediate + root, as a server presents them
#   DIR/expected-intermediate.sha1, expected-root.sha1   openssl's own SHA-1s
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
ca_ext=$'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'
leaf_ext=$'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid'

openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 30 \
  -subj "/O=oidc-thumbprint tests/CN=Test RSA Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout intermediate.key -out intermediate.csr \
  -subj "/O=oidc-thumbprint tests/CN=Test RSA Intermediate" 2>/dev/null
openssl x509 -req -in intermediate.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 \
  -extfile <(printf '%s\n' "$ca_ext") -out intermediate.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in leaf.csr -CA intermediate.pem -CAkey intermediate.key -CAcreateserial -days 30 \
  -extfile <(printf '%s\n' "$leaf_ext") -out leaf.pem 2>/dev/null
cat intermediate.pem root.pem >chain.pem

sha1_of() { openssl x509 -in "$1" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f'; }
sha1_of intermediate.pem >expected-intermediate.sha1
sha1_of root.pem >expected-root.sha1
