#!/usr/bin/env node
// Benchmark: practice extraction (parse + detect) on a 1 MB agent guidance file, made by
// repeating the bundled agent's body. Prints the median of repeated in-process runs, the first
// (cold) run, and beside them a baseline measured in the same run: reading the same text with
// one regular expression per line (the least any line-based reader does).
// Usage: npm run build && node bench/practices.mjs [runs]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_CORE=path/to/core.js measures another build (e.g. an older one) with the same input.
const core = process.env.BENCH_CORE ?? path.join(root, 'dist', 'core.js');
if (!fs.existsSync(core)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { parseAgentFile, detectPractices } = await import(path.resolve(core));

const runs = Number(process.argv[2] ?? 21);
const TARGET_MS = 100;
const agent = fs.readFileSync(path.join(root, 'agents', 'fastapi-backend-developer.md'), 'utf8');
const bodyStart = agent.indexOf('\n---\n') + 5;
const body = agent.slice(bodyStart);
const text = agent.slice(0, bodyStart) + body.repeat(Math.ceil((1024 * 1024) / body.length));

function time(fn) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    result = fn();
    times.push(performance.now() - started);
  }
  return { first: times[0], median: median(times.slice(1)), result };
}

const extraction = time(() => detectPractices(parseAgentFile(text, 'bench.md')));
const baseline = time(() => {
  let hits = 0;
  for (const line of text.split('\n')) if (/postgres|sqlite|jwt|redis/i.test(line)) hits += 1;
  return hits;
});

const mb = (Buffer.byteLength(text) / (1024 * 1024)).toFixed(2);
console.log(
  `input: ${mb} MB, ${text.split('\n').length} lines; runs: ${runs}; node ${process.version}`,
);
console.log('| what | first run ms | median ms |');
console.log('|---|---|---|');
console.log(
  `| practice extraction | ${extraction.first.toFixed(1)} | ${extraction.median.toFixed(1)} |`,
);
console.log(
  `| baseline: one regex per line | ${baseline.first.toFixed(1)} | ${baseline.median.toFixed(1)} |`,
);
console.log(`ratio to the baseline (median): x${(extraction.median / baseline.median).toFixed(1)}`);
console.log(`sanity: db=${extraction.result.options.db.values[0]}`);
console.log(
  `target: median <= ${TARGET_MS} ms: ${extraction.median <= TARGET_MS ? 'met' : 'NOT met'}`,
);
