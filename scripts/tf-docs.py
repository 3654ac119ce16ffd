"""Writes the inputs and outputs tables of each Terraform module's README
between the terraform-docs markers, in terraform-docs' markdown table format,
from the variable and output blocks of every .tf file and versions.tf.

    tf-docs.py            rewrite the tables
    tf-docs.py --check    fail if a README's tables are out of date

Runs with any python that has python-hcl2 (checkov's venv has it).
"""
import json
import re
import sys
from pathlib import Path

import hcl2

BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
MODULES = ["terraform", "terraform/modules/oidc-provider", "terraform/modules/irsa-role",
           "terraform/modules/cluster-autoscaler", "terraform/modules/thumbprint-check",
           "examples/complete", "examples/thumbprint-only", "examples/more-controllers",
           "examples/provider"]


def load(path):
    if not path.exists():
        return {}
    with path.open() as f:
        return hcl2.load(f)


def first(value):
    """python-hcl2 before 5 (checkov's) wraps every attribute in a one-element list."""
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def type_text(source_lines, start, end):
    """The `type = ...` expression as written, joined onto one line."""
    block = source_lines[start - 1:end]
    for index, line in enumerate(block):
        match = re.match(r"\s*type\s*=\s*(.*)$", line)
        if not match:
            continue
        text, depth = match.group(1), 0
        depth = text.count("(") + text.count("{") - text.count(")") - text.count("}")
        rest = block[index + 1:]
        while depth > 0 and rest:
            piece = rest[0].strip()
            separator = " " if text.endswith(("{", "(")) or piece.startswith(("}", ")")) else ", "
            text += separator + piece
            depth += rest[0].count("(") + rest[0].count("{") - rest[0].count(")") - rest[0].count("}")
            rest = rest[1:]
        return re.sub(r"\s+", " ", text.replace("{ ", "{").replace(" }", "}")).strip()
    return "any"


def unwrap(text):
    """python-hcl2 writes expressions as ${...}."""
    if isinstance(text, str) and text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


def strip_quotes(value):
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def cell(text):
    return str(text).replace('\\"', '"').replace("|", "\\|").replace("\n", " ")


def render_default(value):
    value = unwrap(strip_quotes(value)) if isinstance(value, str) else value
    if value is None or value == "null":
        return "`null`"
    return "`" + json.dumps(value, separators=(", ", ": ")) + "`"


def table(module):
    root = Path(module)
    lines = []
    versions = load(root / "versions.tf").get("terraform", [{}])[0]
    lines += ["## Requirements", "", "| Name | Version |", "|------|---------|"]
    if "required_version" in versions:
        lines.append(f"| terraform | {cell(strip_quotes(first(versions['required_version'])))} |")
    for providers in versions.get("required_providers", []):
        for name, spec in sorted(providers.items()):
            if name.startswith("__"):
                continue
            spec = spec[0] if isinstance(spec, list) else spec
            lines.append(f"| {name} | {cell(strip_quotes(first(spec.get('version', ''))))} |")

    # Variables and outputs may sit in any .tf file (an example's main.tf
    # often holds its outputs): all are read, each with its file's lines.
    files = sorted(root.glob("*.tf"))
    variables = [(block, path.read_text().splitlines())
                 for path in files for block in load(path).get("variable", [])]
    lines += ["", "## Inputs", ""]
    if variables:
        lines += ["| Name | Description | Type | Default | Required |",
                  "|------|-------------|------|---------|:--------:|"]
        for block, source_lines in sorted(
                variables, key=lambda v: (("default" in next(iter(v[0].values()))), next(iter(v[0])))):
            name, spec = next(iter(block.items()))
            name = strip_quotes(name)
            has_default = "default" in spec
            default = render_default(first(spec["default"])) if has_default else "n/a"
            kind = type_text(source_lines, spec["__start_line__"], spec["__end_line__"])
            description = strip_quotes(first(spec.get("description", "")))
            lines.append(f"| {name} | {cell(description)} | `{cell(kind)}` | "
                         f"{cell(default)} | {'no' if has_default else 'yes'} |")
    else:
        lines.append("No inputs.")

    outputs = [block for path in files for block in load(path).get("output", [])]
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        for block in sorted(outputs, key=lambda b: next(iter(b))):
            name, spec = next(iter(block.items()))
            lines.append(f"| {strip_quotes(name)} | {cell(strip_quotes(first(spec.get('description', ''))))} |")
    else:
        lines.append("No outputs.")
    return "\n".join(lines)


def main():
    check = "--check" in sys.argv
    stale = []
    for module in MODULES:
        readme = Path(module) / "README.md"
        text = readme.read_text()
        if BEGIN not in text or END not in text:
            sys.exit(f"{readme} has no {BEGIN} ... {END} markers")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        new = f"{head}{BEGIN}\n{table(module)}\n{END}{tail}"
        if new != text:
            stale.append(str(readme))
            if not check:
                readme.write_text(new)
    if check and stale:
        sys.exit("out of date (run python3 scripts/tf-docs.py): " + ", ".join(stale))
    print("tables " + ("checked" if check else "written") + ": " + ", ".join(MODULES))


if __name__ == "__main__":
    main()
