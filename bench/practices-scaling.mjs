#!/usr/bin/env node
// Benchmark: how practice extraction (parse + detect) grows with a guidance file made of ONE
// paragraph (no line break after the front matter), at about 0.7, 1, 1.4, 2.9 and 5 MB. Two
// texts: "prose", the bundled agent's body with its line breaks made spaces (sentences and
// clauses kept), and "one sentence", the same without . ! ? ; : , ( ) so the whole paragraph is
// one sentence of one clause. For each size: the median of repeated in-process runs, the time per
// MB, and the ratio of that to the smallest size's (linear: about x1.0 at every size).
// Usage: npm run build && node bench/practices-scaling.mjs [runs]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_CORE=path/to/core.js measures another build (e.g. an older one) with the same inputs.
const core = process.env.BENCH_CORE ?? path.join(root, 'dist', 'core.js');
if (!fs.existsSync(core)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { parseAgentFile, detectPractices } = await import(path.resolve(core));

const runs = Number(process.argv[2] ?? 7);
const SIZES_MB = [0.7, 1, 1.4, 2.9, 5];
const TARGETS = [
  { mb: 5, ms: 2000, label: '5 MB one paragraph < 2 s' },
  { mb: 1, ms: 100, label: '1 MB one paragraph < 100 ms' },
];
const agent = fs.readFileSync(path.join(root, 'agents', 'fastapi-backend-developer.md'), 'utf8');
const bodyStart = agent.indexOf('\n---\n') + 5;
const frontMatter = agent.slice(0, bodyStart);
const prose = `${agent.slice(bodyStart).replace(/\s+/g, ' ').trim()} `;
const texts = {
  prose,
  'one sentence': prose.replace(/[.!?;:,()]/g, ' '),
};

/** A file of about `mb` MB: the front matter, then `body` repeated on one line. */
function file(body, mb) {
  const bytes = mb * 1024 * 1024 - Buffer.byteLength(frontMatter);
  return `${frontMatter}${body.repeat(Math.max(1, Math.round(bytes / Buffer.byteLength(body))))}\n`;
}

function measure(text) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    result = detectPractices(parseAgentFile(text, 'bench.md'));
    times.push(performance.now() - started);
  }
  return { median: median(times), db: result.options.db.values[0] };
}

// One run on a small file first, so the first size does not pay for compiling the code.
measure(file(prose, 0.05));

console.log(`one paragraph; runs per size: ${runs}; node ${process.version}`);
console.log('| text | MB | lines | median ms | ms per MB | per MB vs smallest |');
console.log('|---|---|---|---|---|---|');
const results = [];
for (const [name, body] of Object.entries(texts)) {
  let smallest;
  for (const mb of SIZES_MB) {
    const text = file(body, mb);
    const size = Buffer.byteLength(text) / (1024 * 1024);
    const { median: ms, db } = measure(text);
    const perMb = ms / size;
    smallest ??= perMb;
    results.push({ name, mb, ms, db });
    console.log(
      `| ${name} | ${size.toFixed(2)} | ${text.split('\n').length} | ${ms.toFixed(1)} | ${perMb.toFixed(1)} | x${(perMb / smallest).toFixed(2)} |`,
    );
  }
}
console.log(`sanity: db=${[...new Set(results.map((r) => r.db))].join(',')}`);

// The 1 MB figure beside a baseline measured in this same run, on the same text: one regular
// expression over each sentence (the least any reader of sentences does). The ratio is what to
// compare between machines and runs; the milliseconds alone depend on the machine and its load.
{
  const text = file(prose, 1);
  const baselineTimes = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    let hits = 0;
    for (const sentence of text.split(/[.!?] /))
      if (/postgres|sqlite|jwt|redis/i.test(sentence)) hits += 1;
    baselineTimes.push(performance.now() - started);
    if (hits < 0) console.log(hits);
  }
  const baseline = median(baselineTimes);
  const oneMb = Math.max(...results.filter((r) => r.mb === 1).map((r) => r.ms));
  console.log(
    `1 MB: median ${oneMb.toFixed(1)} ms (slowest text); baseline (one regex per sentence) ${baseline.toFixed(1)} ms; ratio x${(oneMb / baseline).toFixed(1)}`,
  );
}
for (const target of TARGETS) {
  const worst = Math.max(...results.filter((r) => r.mb === target.mb).map((r) => r.ms));
  console.log(
    `target: ${target.label} (slowest text: ${worst.toFixed(1)} ms): ${worst < target.ms ? 'met' : 'NOT met'}`,
  );
}
