/** Replies kept by a hash of the request: a rerun asks nothing and gets the same bodies. */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildBodyPrompt, createLlm, fillBody, type CacheMode } from '../../src/llm/index.js';
import { pythonReply, startFakeLlm, type FakeLlmServer } from '../helpers/fake-llm/index.js';

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlm();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llm-cache-'));
});
afterAll(async () => {
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const SIGNATURE = 'async def total(items: list[int]) -> int:';
const prompt = buildBodyPrompt('guidance', {
  functionName: 'total',
  modulePath: 'app/services/cart.py',
  signature: SIGNATURE,
  docstring: 'Sum the items.',
  schemas: '',
  models: '',
  moduleFunctions: '',
  errorTypes: '',
  allowedImports: [],
});
const rules = { functionName: 'total', signature: SIGNATURE, allowedImports: [] };

function fill(mode?: CacheMode, model?: string) {
  const llm = createLlm({
    provider: 'anthropic',
    env: { ANTHROPIC_API_KEY: 'sk-test-cache-0123456789', ANTHROPIC_BASE_URL: server.url },
    cache: { dir, ...(mode ? { mode } : {}) },
    ...(model ? { modelFlag: model } : {}),
  });
  return fillBody(llm.writer, prompt, { rules }, new AbortController().signal);
}

test('a rerun is served from the cache, tries and all; refresh asks again', async () => {
  server.setReplies([{ text: 'No code, sorry.' }, pythonReply('return sum(items)')]);
  const first = await fill();
  expect(first).toMatchObject({ status: 'filled', tries: 2, cached: false });
  expect(server.requests).toHaveLength(2);
  const files = await fs.readdir(dir);
  expect(files).toHaveLength(2);
  expect(files.every((f) => /^[0-9a-f]{64}\.json$/.test(f))).toBe(true);

  server.setReplies([{ status: 500 }]);
  const again = await fill();
  expect(again).toMatchObject({
    status: 'filled',
    tries: 2,
    cached: true,
    body: first.status === 'filled' ? first.body : {},
  });
  expect(again.attempts.map((a) => a.problems)).toEqual(first.attempts.map((a) => a.problems));
  expect(server.requests).toHaveLength(2);

  server.setReplies([pythonReply('return sum(items, 0)')]);
  const refreshed = await fill('refresh');
  expect(refreshed).toMatchObject({
    status: 'filled',
    tries: 1,
    cached: false,
    body: { body: 'return sum(items, 0)' },
  });
  expect(server.requests).toHaveLength(3);
  // The refreshed reply replaced the first one.
  await expect(fill()).resolves.toMatchObject({
    cached: true,
    body: { body: 'return sum(items, 0)' },
  });
});

test('another model is another entry; an entry holds the reply and nothing else', async () => {
  const before = server.requests.length;
  server.setReplies([pythonReply('return 0')]);
  await expect(fill(undefined, 'opus')).resolves.toMatchObject({ cached: false });
  expect(server.requests.length).toBe(before + 1);
  for (const name of await fs.readdir(dir)) {
    const entry = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(Object.keys(entry).sort()).toEqual([
      'format',
      'model',
      'provider',
      'stopReason',
      'text',
      'usage',
    ]);
  }
});

test('a damaged entry is asked again and rewritten', async () => {
  for (const name of await fs.readdir(dir))
    await fs.writeFile(path.join(dir, name), '{"format": 1, "te');
  const before = server.requests.length;
  server.setReplies([pythonReply('return 7')]);
  await expect(fill()).resolves.toMatchObject({ cached: false, body: { body: 'return 7' } });
  expect(server.requests.length).toBe(before + 1);
  await expect(fill()).resolves.toMatchObject({ cached: true, body: { body: 'return 7' } });
});
