#!/usr/bin/env node
// Template development: renders a project from a JSON description straight from src/ and
// templates/, with no build step. Usage:
//   node scripts/render-spec.mjs input.json out-dir
// input.json: {"name": "shop", "options": {"db": "postgresql", "auth": ["jwt"]},
//              "resources": [...ResourceSpec], "migrations": [...MigrationSpec],
//              "modules": [{"kind": "router", "name": "reports"}]}
// resources, migrations and modules are optional (default: the example item and the initial revision).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compilerStaysOutside } from './esbuild-plugins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [input, out] = process.argv.slice(2);
if (!input || !out) {
  console.error('usage: node scripts/render-spec.mjs input.json out-dir');
  process.exit(2);
}
const entry = `
import { parseAgentFile } from './src/core/agent.js';
import { detectPractices } from './src/core/practices.js';
import { buildSpec } from './src/core/spec.js';
import { renderProject } from './src/core/render.js';
import { loadTemplates } from './src/io/templates.js';
import { loadPythonFormatter } from './src/io/ruff.js';
export async function render(description) {
  const agent = parseAgentFile('---\\nname: dev\\n---\\n', 'dev.md');
  const spec = buildSpec({
    answers: { name: description.name ?? 'dev-api', options: description.options ?? {} },
    practices: detectPractices(agent),
    agent: { path: 'dev.md', name: 'dev', description: '', text: agent.text },
    secretKey: 'ab'.repeat(32),
    generatorVersion: 'dev',
    resources: description.resources,
    migrations: description.migrations,
    modules: description.modules,
  });
  return renderProject(spec, await loadTemplates('templates'), await loadPythonFormatter());
}`;
// Inside the repository (an ignored folder), so that the bundle finds node_modules.
fs.mkdirSync(path.join(root, '.cache'), { recursive: true });
const bundle = path.join(fs.mkdtempSync(path.join(root, '.cache', 'render-spec-')), 'render.mjs');
await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: bundle,
  plugins: [compilerStaysOutside],
  banner: {
    js: "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
process.chdir(root);
const { render } = await import(bundle);
fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
const tree = await render(JSON.parse(fs.readFileSync(path.resolve(input), 'utf8')));
fs.rmSync(path.resolve(out), { recursive: true, force: true });
for (const [file, content] of tree) {
  const target = path.join(path.resolve(out), file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
}
console.log(`wrote ${tree.size} files to ${out}`);
