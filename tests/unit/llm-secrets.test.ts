/**
 * An API key never appears in a written file, a log line, an error message or a cache entry: a
 * recognisable key is planted, servers are made to echo it back in every way they can, and
 * everything the run wrote, printed, logged, returned or threw is scanned for it.
 */
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildBodyPrompt, createLlm, fillBody, type LlmConfig } from '../../src/llm/index.js';
import {
  installFakeClaude,
  pythonReply,
  startFakeLlm,
  type FakeLlmServer,
} from '../helpers/fake-llm/index.js';

const KEY = 'sk-ant-api03-PLANTED7f3a9c1e5b2d4f60a8e7-SECRET';
const KEY_PARTS = [KEY, 'PLANTED7f3a9c1e5b2d4f60a8e7'];

let server: FakeLlmServer;
let dir: string;
const printed: string[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llm-secrets-'));
  // The servers echo the key they were sent, as some proxies do in their error messages.
  server = await startFakeLlm({
    replies: (request, index) => {
      const kind = index % 4;
      if (kind === 0) return pythonReply(`return "${request.key ?? ''}"`);
      if (kind === 1)
        return { status: 500, message: `upstream failed for key ${request.key ?? ''}` };
      if (kind === 2)
        return { status: 400, message: `bad request; Authorization: Bearer ${request.key ?? ''}` };
      return { status: 401, message: `invalid x-api-key: ${request.key ?? ''}` };
    },
  });
  for (const stream of [process.stdout, process.stderr] as const) {
    const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    });
    restore.push(() => spy.mockRestore());
  }
  for (const method of ['log', 'warn', 'error', 'info', 'debug'] as const) {
    const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
    restore.push(() => spy.mockRestore());
  }
  // The SDKs' most talkative level: request headers and bodies go to their logger.
  process.env.ANTHROPIC_LOG = 'debug';
  process.env.OPENAI_LOG = 'debug';
});

afterAll(async () => {
  delete process.env.ANTHROPIC_LOG;
  delete process.env.OPENAI_LOG;
  for (const undo of restore) undo();
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Everything an error can show: message, stack, own properties, causes. */
function everything(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', JSON.stringify({ ...current }));
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      out.push(await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return out;
}

test('a planted key appears nowhere: files, cache, logs, output, replies, errors', async () => {
  const seen: string[] = [];
  const logs: string[] = [];
  const signal = new AbortController().signal;
  const request = { system: 'system', messages: [{ role: 'user' as const, content: 'write it' }] };
  const configs: LlmConfig[] = [];
  for (const stream of [true, false]) {
    configs.push(
      {
        provider: 'anthropic',
        env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url },
        stream,
      },
      {
        provider: 'openai',
        env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.openaiBaseURL },
        stream,
      },
    );
  }
  for (const [i, config] of configs.entries()) {
    const llm = createLlm({
      ...config,
      cache: { dir: path.join(dir, 'cache') },
      retry: { baseDelayMs: 1, retries: 1 },
      log: (line) => logs.push(line),
    });
    // Four requests: a reply that echoes the key, a 500 (retried, then a 400), a 401.
    for (let n = 0; n < 3; n += 1) {
      const result = await llm.writer
        .write({ ...request, messages: [{ role: 'user', content: `write it ${i} ${n}` }] }, signal)
        .then((reply) => JSON.stringify(reply))
        .catch((error: unknown) => everything(error));
      seen.push(result);
    }
    const outcome = await fillBody(
      llm.writer,
      buildBodyPrompt('guidance', {
        functionName: 'f',
        modulePath: 'app/services/x.py',
        signature: 'async def f() -> str:',
        docstring: 'F.',
        schemas: '',
        models: '',
        moduleFunctions: '',
        errorTypes: '',
        allowedImports: [],
      }),
      { rules: { functionName: 'f', signature: 'async def f() -> str:', allowedImports: [] } },
      signal,
    ).catch((error: unknown) => everything(error));
    seen.push(JSON.stringify(outcome));
  }
  // A base URL with the key in it, as a careless setup may have: refused, without showing it.
  try {
    createLlm({
      provider: 'openai',
      env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://user:${KEY}@127.0.0.1:1/v1` },
    });
  } catch (error) {
    seen.push(everything(error));
  }
  expect(seen.at(-1)).toMatch(/^OPENAI_BASE_URL holds a user name or password/);
  // claude-code, whose CLI complains about the key in the environment.
  const claude = await installFakeClaude([
    { isError: true, result: `Invalid API key ${KEY} · Please run /login` },
  ]);
  try {
    const llm = createLlm({
      provider: 'claude-code',
      env: { ...process.env, ...claude.env, ANTHROPIC_API_KEY: KEY },
    });
    seen.push(await llm.writer.write(request, signal).then(JSON.stringify, everything));
  } finally {
    await claude.cleanup();
  }

  const written = await filesUnder(dir);
  expect(written.length).toBeGreaterThan(0);
  expect(logs.length).toBeGreaterThan(0);
  // The fake servers did get the key: the test would prove nothing otherwise.
  expect(server.requests.some((r) => r.key === KEY)).toBe(true);
  expect(seen.join('\n')).toMatch(/redacted/);
  for (const text of [...written, ...logs, ...printed, ...seen]) {
    for (const part of KEY_PARTS) expect(text).not.toContain(part);
  }
});
