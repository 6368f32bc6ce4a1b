#!/usr/bin/env node
// Benchmark: `fill` end to end, in process through the built CLI, on a project with 50 custom
// endpoints, against the fake provider server (the real Anthropic SDK over HTTP on 127.0.0.1)
// with a fixed artificial latency, 4 at a time. The project has no .venv, so the checks are the
// in-process ones (format and Ruff). Each run starts from a fresh copy of the project (every body a
// stub, no cached reply). Prints the median over runs of the total time and of the generator's own
// overhead per endpoint beyond the server's latency: (total - ideal) * concurrency / endpoints,
// where ideal = ceil(endpoints / concurrency) * latency.
// Usage: npm run build && node bench/fill.mjs [runs] [latency-ms] [endpoints]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadFakeLlm, median } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = path.join(root, 'dist', 'cli.js');
if (!fs.existsSync(cliPath)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 5);
const LATENCY_MS = Number(process.argv[3] ?? 100);
const ENDPOINTS = Number(process.argv[4] ?? 50);
const CONCURRENCY = 4;
const TARGET_MS = 50;

const { startFakeLlm } = await loadFakeLlm('bench-fill');
const { runCli } = await import(pathToFileURL(cliPath).href);

const quiet = () => ({
  stdout: () => {},
  stderr: () => {},
  interactive: false,
  runner: {
    run: async () => ({ exitCode: 0, output: '' }),
    has: async () => true,
  },
  prompter: {},
});
async function cli(args) {
  const io = quiet();
  const lines = [];
  io.stderr = (t) => lines.push(t);
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`${args.join(' ')}: exit ${code}\n${lines.join('')}`);
}

// The project, once: a router module with ENDPOINTS endpoints (204, no body).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fill-'));
const pristine = path.join(work, 'pristine');
await cli([pristine, '--yes', '--no-install', '--no-git']);
await cli(['add', 'router', 'bench', '--project', pristine]);
for (let i = 0; i < ENDPOINTS; i += 1) {
  await cli([
    'add',
    'endpoint',
    'bench',
    `POST /bench/op${i}`,
    '--summary',
    `Operation ${i}: refuses a negative user id`,
    '--project',
    pristine,
  ]);
}

const reply = (name) => {
  const url = `/api/v1/bench/${name.replace(/_bench$/, '').replace(/^post_bench_/, '')}`;
  return {
    text: [
      '```python',
      'from app.core.errors import NotFoundError',
      '',
      'if current_user.id < 0:',
      '    raise NotFoundError()',
      '```',
      '',
      '```python',
      'from httpx import AsyncClient',
      '',
      '',
      `async def test_${name}_answers_204(user_client: AsyncClient) -> None:`,
      `    response = await user_client.post("${url}")`,
      '    assert response.status_code == 204',
      '',
      '',
      `async def test_${name}_needs_a_signed_in_user(client: AsyncClient) -> None:`,
      `    response = await client.post("${url}")`,
      '    assert response.status_code == 401',
      '```',
    ].join('\n'),
  };
};
const server = await startFakeLlm({
  latencyMs: LATENCY_MS,
  replies: (request) =>
    reply(/body of `(\w+)`/.exec(request.messages[0]?.content ?? '')?.[1] ?? 'x'),
});
process.env.ANTHROPIC_API_KEY = 'sk-bench-0123456789';
process.env.ANTHROPIC_BASE_URL = server.url;
delete process.env.CFA_MODEL;

async function fillRun(n) {
  const project = path.join(work, `run${n}`);
  fs.cpSync(pristine, project, { recursive: true });
  const before = server.requests.length;
  const started = performance.now();
  await cli([
    'fill',
    '--llm',
    'anthropic',
    '--concurrency',
    String(CONCURRENCY),
    '--project',
    project,
  ]);
  const total = performance.now() - started;
  const asked = server.requests.length - before;
  if (asked !== ENDPOINTS) throw new Error(`${asked} requests for ${ENDPOINTS} endpoints`);
  fs.rmSync(project, { recursive: true, force: true });
  return total;
}

const ideal = Math.ceil(ENDPOINTS / CONCURRENCY) * LATENCY_MS;
await fillRun(0); // warm-up: loads the SDK and Ruff, fills the format cache
const totals = [];
for (let i = 1; i <= runs; i += 1) totals.push(await fillRun(i));
await server.close();
fs.rmSync(work, { recursive: true, force: true });
const total = median(totals);
const perEndpoint = ((total - ideal) * CONCURRENCY) / ENDPOINTS;
console.log(
  `fill: ${ENDPOINTS} endpoints, ${CONCURRENCY} at a time, server latency ${LATENCY_MS} ms (ideal total ${ideal} ms); ` +
    `median of ${runs} runs after a warm-up; node ${process.version}, ${os.cpus().length} cores`,
);
console.log(`total ${total.toFixed(0)} ms (runs: ${totals.map((t) => t.toFixed(0)).join(', ')})`);
console.log(
  `generator overhead per endpoint beyond the latency: ${perEndpoint.toFixed(1)} ms; target < ${TARGET_MS} ms: ${perEndpoint < TARGET_MS ? 'met' : 'NOT met'}`,
);
