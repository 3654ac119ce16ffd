#!/usr/bin/env python3
"""Renders Cargo.toml's [package.metadata.binstall] templates the way
cargo-binstall does, for every target a user may install on, and checks that
each names an archive in dist/ and a binary inside it.

    scripts/check-binstall.py VERSION DIST
"""
import re
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

# What cargo-binstall's {target} is on each host, and the archive it must find.
HOSTS = {
    "x86_64-unknown-linux-musl": "x86_64-unknown-linux-musl",
    "x86_64-unknown-linux-gnu": "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl": "aarch64-unknown-linux-musl",
    "aarch64-unknown-linux-gnu": "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin": "x86_64-apple-darwin",
    "aarch64-apple-darwin": "aarch64-apple-darwin",
    "x86_64-pc-windows-gnu": "x86_64-pc-windows-gnu",
    "x86_64-pc-windows-msvc": "x86_64-pc-windows-gnu",
}
SUFFIX = {"tgz": ".tar.gz", "zip": ".zip"}


def render(template, values):
    def value(match):
        key = match.group(1).strip()
        if key not in values:
            sys.exit(f"binstall template uses {{ {key} }}, which this check does not know")
        return values[key]

    return re.sub(r"\{([^{}]+)\}", value, template)


def inherited(cargo, package, key):
    """A package key, or the workspace's where it says `key.workspace = true`."""
    value = package[key]
    if isinstance(value, dict) and value.get("workspace"):
        return cargo["workspace"]["package"][key]
    return value


def main():
    version, dist = sys.argv[1], Path(sys.argv[2])
    cargo = tomllib.loads(Path("Cargo.toml").read_text())
    package = cargo["package"]
    meta = package["metadata"]["binstall"]
    failures = 0
    for host, built in HOSTS.items():
        settings = {**meta, **meta.get("overrides", {}).get(host, {})}
        fmt = settings.get("pkg-fmt", "tgz")
        values = {
            "repo": inherited(cargo, package, "repository"),
            "name": package["name"],
            "version": version,
            "target": host,
            "archive-suffix": SUFFIX[fmt],
            "archive-format": fmt,
            "binary-ext": ".exe" if "windows" in host else "",
            "bin": package["name"],
        }
        url = render(settings["pkg-url"], values)
        archive = dist / url.rsplit("/", 1)[-1]
        expected = f"{package['name']}-{version}-{built}{SUFFIX[fmt]}"
        binary = render(settings["bin-dir"], values)
        if archive.name != expected or not archive.exists():
            print(f"FAIL {host}: template names {archive.name}, dist has {expected}")
            failures += 1
            continue
        if fmt == "zip":
            names = zipfile.ZipFile(archive).namelist()
        else:
            names = tarfile.open(archive).getnames()
        if binary not in names:
            print(f"FAIL {host}: {archive.name} has no {binary} (it has {names})")
            failures += 1
            continue
        print(f"ok   {host}: {url} -> {binary}")
    print(f"binstall: {len(HOSTS) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


main()
