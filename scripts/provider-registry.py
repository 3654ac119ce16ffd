"""A Terraform provider registry on loopback, for scripts/test-provider-registry.sh.

Serves, over https with the given certificate, the three parts of the
provider registry protocol that `terraform init` uses: service discovery
(/.well-known/terraform.json), the version list and the download
description of each platform, and the files themselves from ASSETS (the
zips, SHA256SUMS and its signature as scripts/release.sh made them).

    provider-registry.py ASSETS CERT KEY PORT_FILE VERSION KEY_ID ARMOR_FILE

It binds 127.0.0.1 on a free port and writes the port to PORT_FILE once it
listens. Test use only.
"""

import http.server
import json
import os
import re
import ssl
import sys

assets, cert, key, port_file, version, key_id, armor_file = sys.argv[1:]
PROVIDER = "terraform-provider-oidcthumbprint"
NAMESPACE, TYPE = "oidc-thumbprint", "oidcthumbprint"
with open(armor_file, encoding="utf-8") as f:
    armor = f.read()
with open(os.path.join(assets, f"{PROVIDER}_{version}_SHA256SUMS"), encoding="utf-8") as f:
    published_checksums = {name: digest for digest, name in (line.split() for line in f if line.strip())}


def platforms():
    pattern = re.compile(rf"^{PROVIDER}_{re.escape(version)}_([a-z0-9]+)_([a-z0-9]+)\.zip$")
    found = []
    for name in sorted(os.listdir(assets)):
        match = pattern.match(name)
        if match:
            found.append({"os": match.group(1), "arch": match.group(2), "filename": name})
    return found


class Registry(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        sys.stderr.write("registry: " + (args[0] % args[1:]) + "\n")

    def answer(self, status, body, content_type="application/json"):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        base = f"https://localhost:{self.server.server_port}"
        prefix = f"/v1/providers/{NAMESPACE}/{TYPE}/"
        if self.path == "/.well-known/terraform.json":
            return self.answer(200, {"providers.v1": "/v1/providers/"})
        if self.path == prefix + "versions":
            return self.answer(200, {"versions": [{
                "version": version,
                "protocols": ["6.0"],
                "platforms": [{"os": p["os"], "arch": p["arch"]} for p in platforms()],
            }]})
        match = re.fullmatch(re.escape(prefix) + r"([^/]+)/download/([^/]+)/([^/]+)", self.path)
        if match and match.group(1) == version:
            for p in platforms():
                if (p["os"], p["arch"]) == (match.group(2), match.group(3)):
                    # As a registry does: the checksum recorded at publish
                    # time, not one of the file served now.
                    sums = f"{PROVIDER}_{version}_SHA256SUMS"
                    digest = published_checksums.get(p["filename"], "")
                    return self.answer(200, {
                        "protocols": ["6.0"],
                        "os": p["os"],
                        "arch": p["arch"],
                        "filename": p["filename"],
                        "download_url": f"{base}/files/{p['filename']}",
                        "shasums_url": f"{base}/files/{sums}",
                        "shasums_signature_url": f"{base}/files/{sums}.sig",
                        "shasum": digest,
                        "signing_keys": {"gpg_public_keys": [{"key_id": key_id, "ascii_armor": armor}]},
                    })
            return self.answer(404, {"errors": ["no such platform"]})
        if self.path.startswith("/files/"):
            name = self.path[len("/files/"):]
            path = os.path.join(assets, name)
            if "/" not in name and os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.answer(200, f.read(), "application/octet-stream")
        return self.answer(404, {"errors": ["not found"]})


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w", encoding="utf-8") as f:
    f.write(str(server.server_port))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
