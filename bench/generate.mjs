#!/usr/bin/env node
// Benchmark: wall time and peak memory of `create-fastapi-agent <tmp> --yes --no-install --no-git`,
// beside the floor of starting Node itself (`node -e ""`), measured in the same run.
// Usage: npm run build && node bench/generate.mjs [runs]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'create-fastapi-agent.js');
const preload = path.join(root, 'bench', 'peak-rss.mjs');
const runs = Number(process.argv[2] ?? 15);
const TARGET_MS = 500;
const TARGET_RATIO = 6;
// Ruff's WebAssembly build (about 10 MB of code, compiled in process) is most of the memory.
const TARGET_MB = 160;

function measure(label, argsFor, env = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-bench-'));
  const rssFile = path.join(work, 'rss');
  const times = [];
  try {
    for (let i = 0; i < runs + 1; i += 1) {
      const started = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['--import', preload, ...argsFor(work, i)], {
        env: { ...process.env, CI: 'true', CFA_BENCH_RSS_FILE: rssFile, ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new Error(`${label} failed: ${result.stderr}`);
      if (i > 0) times.push(elapsed); // the first run warms the file-system cache
    }
    const rss = fs.readFileSync(rssFile, 'utf8').trim().split('\n').slice(1).map(Number);
    return { label, ms: median(times), min: Math.min(...times), peakMb: Math.max(...rss) / 1024 };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

const floor = measure('node -e ""', () => ['-e', '']);
const createArgs = (work, i) => [
  cli,
  path.join(work, `project-${i}`),
  '--yes',
  '--no-install',
  '--no-git',
];
// The formatted-Python cache (src/io/format-cache.ts): none, as on a machine's first run, and
// warm, as on every later one (the warm-up run fills it).
const cold = measure('create, no format cache (first run)', createArgs, { CFA_CACHE_DIR: '' });
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfa-bench-cache-'));
const generate = measure('create, format cache warm', createArgs, { CFA_CACHE_DIR: cacheDir });
fs.rmSync(cacheDir, { recursive: true, force: true });

console.log(
  `runs: ${runs} (after one warm-up), ${os.cpus().length} cores, node ${process.version}`,
);
console.log('| command | median ms | min ms | peak RSS MB |');
console.log('|---|---|---|---|');
for (const r of [floor, cold, generate]) {
  console.log(`| ${r.label} | ${r.ms.toFixed(1)} | ${r.min.toFixed(1)} | ${r.peakMb.toFixed(1)} |`);
}
console.log(
  `ratio to the floor: warm x${(generate.ms / floor.ms).toFixed(2)}, first run x${(cold.ms / floor.ms).toFixed(2)}; memory x${(generate.peakMb / floor.peakMb).toFixed(2)}`,
);
// The targets hold for a first run and a warm one alike.
for (const run of [cold, generate]) {
  const ok = run.ms <= TARGET_MS && run.ms <= TARGET_RATIO * floor.ms && run.peakMb <= TARGET_MB;
  console.log(
    `target (${run.label}): median <= ${TARGET_MS} ms and <= x${TARGET_RATIO} the floor, peak <= ${TARGET_MB} MB: ${ok ? 'met' : 'NOT met'}`,
  );
}
