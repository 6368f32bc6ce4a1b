#!/usr/bin/env node
// Benchmark: the LLM layer's own cost. 50 bodies are asked of the fake provider server (the real
// SDKs over HTTP on 127.0.0.1) with a fixed artificial latency, 4 at a time, through the whole
// path a `fill` takes: the prompt built, the request sent with its timeout and retry wrapper, the
// reply cached on disk (a fresh folder each run), parsed and checked. Prints, per provider, the
// median over runs of the total time, of the time per request beyond the server's latency, and
// the same for plain fetch() calls to the same server (the least any HTTP client pays).
// Usage: npm run build && node bench/llm.mjs [runs] [latency-ms] [requests]
/* global fetch */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadFakeLlm, median } from './common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const llmPath = path.join(root, 'dist', 'llm.js');
if (!fs.existsSync(llmPath)) {
  console.error('dist/llm.js is missing: run `npm run build` first');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 5);
const LATENCY_MS = Number(process.argv[3] ?? 100);
const REQUESTS = Number(process.argv[4] ?? 50);
const CONCURRENCY = 4;
const TARGET_MS = 50;

const { startFakeLlm, pythonReply } = await loadFakeLlm('bench-llm');
const llm = await import(pathToFileURL(llmPath).href);

const BODY = [
  'order = await session.get(Order, order_id)',
  'if order is None:',
  '    raise NotFound("order", order_id)',
  'if order.shipped_at is not None:',
  '    raise Conflict("the order has shipped")',
  'order.cancelled_at = datetime.now(UTC)',
  'return order',
].join('\n');
const GUIDANCE = fs.readFileSync(path.join(root, 'agents', 'fastapi-backend-developer.md'), 'utf8');

function endpoint(i) {
  const name = `operation_${i}`;
  const signature = `async def ${name}(session: AsyncSession, order_id: int) -> Order:`;
  return {
    context: {
      functionName: name,
      modulePath: 'app/services/orders.py',
      signature,
      docstring: `Operation ${i} on an order.`,
      schemas: 'class OrderRead(BaseModel):\n    id: int\n    shipped_at: datetime | None',
      models: 'class Order(Base):\n    __tablename__ = "orders"\n    id: Mapped[int]',
      moduleFunctions: 'async def get_order(session: AsyncSession, order_id: int) -> Order: ...',
      errorTypes: 'class NotFound(DomainError): ...\nclass Conflict(DomainError): ...',
      allowedImports: ['app.errors', 'app.models', 'datetime', 'sqlalchemy'],
    },
    rules: {
      functionName: name,
      signature,
      allowedImports: ['app.errors', 'app.models', 'datetime', 'sqlalchemy'],
    },
  };
}

/** One run: REQUESTS bodies, CONCURRENCY at a time. Returns the total and each request's time. */
async function fillRun(server, provider, stream) {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-llm-cache-'));
  const env =
    provider === 'anthropic'
      ? { ANTHROPIC_API_KEY: 'sk-bench-0123456789', ANTHROPIC_BASE_URL: server.url }
      : { OPENAI_API_KEY: 'sk-bench-0123456789', OPENAI_BASE_URL: server.openaiBaseURL };
  const { writer } = llm.createLlm({
    provider,
    env,
    stream,
    cache: { dir: cacheDir },
    log: () => {},
  });
  const items = Array.from({ length: REQUESTS }, (_, i) => endpoint(i));
  const times = [];
  const started = performance.now();
  const outcomes = await llm.runConcurrently(
    items,
    async (item, _, signal) => {
      const t0 = performance.now();
      const prompt = llm.buildBodyPrompt(GUIDANCE, item.context);
      const outcome = await llm.fillBody(writer, prompt, { rules: item.rules }, signal);
      times.push(performance.now() - t0);
      return outcome;
    },
    { concurrency: CONCURRENCY },
  );
  const total = performance.now() - started;
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const filled = outcomes.filter((o) => o.status === 'filled').length;
  if (filled !== REQUESTS) throw new Error(`only ${filled} of ${REQUESTS} bodies filled`);
  return { total, times };
}

/** The same requests as bare fetch() calls: what the HTTP round trip alone costs. */
async function fetchRun(server) {
  const times = [];
  const started = performance.now();
  await llm.runConcurrently(
    Array.from({ length: REQUESTS }, (_, i) => i),
    async (i) => {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
        body: JSON.stringify({
          model: 'm',
          max_tokens: 10,
          messages: [{ role: 'user', content: `${i}` }],
        }),
      });
      await res.json();
      times.push(performance.now() - t0);
    },
    { concurrency: CONCURRENCY },
  );
  return { total: performance.now() - started, times };
}

const server = await startFakeLlm({ replies: [pythonReply(BODY)], latencyMs: LATENCY_MS });
const ideal = Math.ceil(REQUESTS / CONCURRENCY) * LATENCY_MS;
const cases = [
  ['anthropic, streaming', () => fillRun(server, 'anthropic', true)],
  ['anthropic, not streaming', () => fillRun(server, 'anthropic', false)],
  ['openai, streaming', () => fillRun(server, 'openai', true)],
  ['openai, not streaming', () => fillRun(server, 'openai', false)],
  ['baseline: bare fetch()', () => fetchRun(server)],
];

console.log(
  `${REQUESTS} requests, ${CONCURRENCY} at a time, server latency ${LATENCY_MS} ms (ideal total ${ideal} ms); ` +
    `median of ${runs} runs after a warm-up; node ${process.version}, ${os.cpus().length} cores`,
);
console.log(
  '| what | total ms | overhead per request, median ms | overhead per request, p95 ms | overhead per request from the total ms |',
);
console.log('|---|---|---|---|---|');
let worst = 0;
for (const [name, run] of cases) {
  await run(); // warm-up: loads the SDK, opens connections
  const totals = [];
  const medians = [];
  const p95s = [];
  for (let i = 0; i < runs; i += 1) {
    const { total, times } = await run();
    const overheads = times.map((t) => t - LATENCY_MS).sort((a, b) => a - b);
    totals.push(total);
    medians.push(median(overheads));
    p95s.push(overheads[Math.floor(overheads.length * 0.95)]);
  }
  const total = median(totals);
  const perRequest = median(medians);
  const fromTotal = ((total - ideal) * CONCURRENCY) / REQUESTS;
  if (!name.startsWith('baseline')) worst = Math.max(worst, perRequest);
  console.log(
    `| ${name} | ${total.toFixed(0)} | ${perRequest.toFixed(1)} | ${median(p95s).toFixed(1)} | ${fromTotal.toFixed(1)} |`,
  );
}
await server.close();
console.log(
  `target: overhead per request < ${TARGET_MS} ms: ${worst < TARGET_MS ? 'met' : 'NOT met'} (worst median ${worst.toFixed(1)} ms)`,
);
