#!/usr/bin/env node
// Benchmark: render and write a project with 10, 50 and 200 resources (each with six fields, one
// of them a reference to the resource before it), median of repeated runs. Prints the time per
// resource beside each, and the ratio to the 10-resource run: time should grow about linearly.
// Usage: npm run build && node bench/resources.mjs [runs]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => path.join(root, 'dist', file);
if (!fs.existsSync(dist('core.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const core = await import(dist('core.js'));
const tools = await import(dist('build-tools.js'));

const runs = Number(process.argv[2] ?? 5);
const TARGET_MS = 3000;
const templates = await tools.loadTemplates(path.join(root, 'templates'), dist('templates.js'));
// No format cache: every file is formatted by Ruff, as on a project's first render. (A grow
// command renders the whole project again and finds most files in the cache: see the warm row.)
const python = await tools.loadPythonFormatter({ cacheDir: null });
const agent = core.parseAgentFile('---\nname: bench\n---\n', 'bench.md');
const practices = core.detectPractices(agent);

function resources(count) {
  const list = [];
  for (let i = 0; i < count; i += 1) {
    const ref = i > 0 ? `,parent:ref(thing${Math.floor((i - 1) / 10) * 10}):optional` : '';
    list.push({
      name: `thing${i}`,
      owned: false,
      fields: core.parseFields(
        `code:str:unique:max=40,amount:decimal:min=0,status:enum(new,done):default=new,due:date:optional,notes:text:optional${ref}`,
      ),
    });
  }
  return list;
}

function spec(count) {
  const all = resources(count);
  return core.buildSpec({
    answers: { name: 'bench-api', options: { db: 'sqlite', auth: ['jwt'] } },
    practices,
    agent: { path: 'bench.md', name: 'bench', description: '', text: agent.text },
    secretKey: 'ab'.repeat(32),
    generatorVersion: 'bench',
    resources: all,
    migrations: [core.initialMigration(all, true)],
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-bench-res-'));
const rows = [];
try {
  for (const count of [10, 50, 200]) {
    const times = [];
    let files = 0;
    for (let i = 0; i < runs; i += 1) {
      const started = performance.now();
      const s = spec(count);
      const tree = core.newProjectTree(s, core.renderProject(s, templates, python));
      await tools.writeProjectAtomically(path.join(work, `p${count}-${i}`), tree, { force: false });
      times.push(performance.now() - started);
      files = tree.size;
    }
    rows.push({ count, files, ms: median(times) });
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

// Warm: the render a grow command makes of a 200-resource project it rendered before.
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-bench-cache-'));
let warm;
try {
  const cached = await tools.loadPythonFormatter({ cacheDir });
  core.renderProject(spec(200), templates, cached);
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    core.renderProject(spec(200), templates, cached);
    times.push(performance.now() - started);
  }
  warm = median(times);
} finally {
  fs.rmSync(cacheDir, { recursive: true, force: true });
}

console.log(`runs: ${runs} each; ${os.cpus().length} cores; node ${process.version}`);
console.log('| resources | files | median ms | ms per resource | time / time(10) |');
console.log('|---|---|---|---|---|');
const first = rows[0];
for (const r of rows) {
  console.log(
    `| ${r.count} | ${r.files} | ${r.ms.toFixed(0)} | ${(r.ms / r.count).toFixed(1)} | x${(r.ms / first.ms).toFixed(1)} (resources x${r.count / first.count}) |`,
  );
}
console.log(
  `| 200, format cache warm (render only) | | ${warm.toFixed(0)} | ${(warm / 200).toFixed(1)} | |`,
);
const last = rows.at(-1);
console.log(
  `target: 200 resources in <= ${TARGET_MS} ms: ${last.ms <= TARGET_MS ? 'met' : 'NOT met'}`,
);
