"""Every ```hcl snippet in the repository's Markdown is a configuration that
`terraform init` and `terraform validate` accept (scripts/test-terraform.sh).

    check-snippets.py ROOT WORK

Each snippet is written alone to its own folder under WORK, with its module
sources pointed at this checkout: a source naming this repository
(github.com/oidc-thumbprint/oidc-thumbprint//PATH?ref=...) becomes ROOT/PATH,
and a relative one is taken from the Markdown file's own folder. A snippet
that uses the provider (oidcthumbprint_...) and declares no
required_providers gets the provider's source, as a user's configuration
would. Providers come from the CLI configuration in TF_CLI_CONFIG_FILE.
Prints one line per snippet; exits 1 naming the file and line of the first
that fails.
"""

import os
import re
import subprocess
import sys

root, work = sys.argv[1:]
REPO_SOURCE = re.compile(r'source(\s*)=(\s*)"github\.com/oidc-thumbprint/oidc-thumbprint//([^"?]+)(\?ref=[^"]*)?"')
RELATIVE_SOURCE = re.compile(r'source(\s*)=(\s*)"(\.\.?/[^"]*)"')
PROVIDER_BLOCK = (
    'terraform {\n  required_providers {\n    oidcthumbprint = {\n'
    '      source = "oidc-thumbprint/oidcthumbprint"\n    }\n  }\n}\n'
)


def markdown_files():
    listed = subprocess.run(
        ["git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    return sorted(path for path in listed if not path.startswith(("fuzz/", "target/")))


def snippets(path):
    text = open(os.path.join(root, path), encoding="utf-8").read()
    for match in re.finditer(r"^```hcl\n(.*?)^```", text, re.S | re.M):
        yield text.count("\n", 0, match.start()) + 1, match.group(1)


def localised(code, folder):
    code = REPO_SOURCE.sub(lambda m: f'source{m.group(1)}={m.group(2)}"{os.path.join(root, m.group(3))}"', code)
    code = RELATIVE_SOURCE.sub(
        lambda m: f'source{m.group(1)}={m.group(2)}"{os.path.normpath(os.path.join(root, folder, m.group(3)))}"', code
    )
    if "oidcthumbprint_" in code and "required_providers" not in code:
        code = PROVIDER_BLOCK + code
    return code


# One plugin cache for every snippet: the aws provider is copied once, not
# once per snippet.
environment = dict(os.environ, TF_PLUGIN_CACHE_DIR=os.path.join(work, "plugin-cache"))
os.makedirs(environment["TF_PLUGIN_CACHE_DIR"], exist_ok=True)


def terraform(folder, *args):
    return subprocess.run(
        ["terraform", f"-chdir={folder}", *args, "-no-color"],
        capture_output=True, text=True, timeout=300, env=environment,
    )


count = 0
for path in markdown_files():
    for line, code in snippets(path):
        count += 1
        folder = os.path.join(work, f"snippet-{count}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "main.tf"), "w", encoding="utf-8") as f:
            f.write(localised(code, os.path.dirname(path)))
        for step in (("init", "-backend=false", "-input=false"), ("validate",)):
            result = terraform(folder, *step)
            if result.returncode != 0:
                print(result.stdout + result.stderr)
                sys.exit(f"FAIL {path}:{line}: terraform {step[0]} rejects this snippet")
        print(f"ok   {path}:{line}")
if count == 0:
    sys.exit("no ```hcl snippets found: the check would prove nothing")
print(f"snippets: {count} validated")
