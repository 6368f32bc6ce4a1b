/**
 * The providers through their real SDKs against a fake server on 127.0.0.1 speaking the Anthropic
 * Messages API and the OpenAI Chat Completions API, streaming and not: replies, refused keys,
 * 429s and 5xx retried as the server asks, timeouts, malformed replies, unreachable servers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { LlmRequestError, type BodyRequest } from '../../src/core/llm/types.js';
import { createLlm, type LlmConfig } from '../../src/llm/index.js';
import {
  freePortUrl,
  pythonReply,
  recordingClock,
  startFakeLlm,
  type FakeLlmServer,
} from '../helpers/fake-llm/index.js';

const KEY = 'sk-test-PLANTED-key-0123456789abcdef';
const REQUEST: BodyRequest = {
  system: 'You write FastAPI services.',
  messages: [{ role: 'user', content: 'Implement `cancel_order`.' }],
};
const TIMEOUT = 5000;

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlm();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

type Provider = 'anthropic' | 'openai';
const CASES: Array<[string, Provider, boolean]> = [
  ['anthropic, streaming', 'anthropic', true],
  ['anthropic, not streaming', 'anthropic', false],
  ['openai, streaming', 'openai', true],
  ['openai, not streaming', 'openai', false],
];

function envFor(provider: Provider, base: string): Record<string, string> {
  return provider === 'anthropic'
    ? { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: base }
    : { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${base}/v1` };
}

describe.each(CASES)('%s', (_, provider, stream) => {
  const logs: string[] = [];
  const llm = (extra: Partial<LlmConfig> = {}, base = server.url) =>
    createLlm({
      provider,
      env: envFor(provider, base),
      stream,
      log: (line) => logs.push(line),
      retry: { timeoutMs: TIMEOUT },
      ...extra,
    });
  const signal = new AbortController().signal;

  test('a good reply: its text, the model that answered, the tokens; the request as built', async () => {
    server.setReplies([
      { ...pythonReply('return 1'), model: 'served-model-1', usage: { input: 321, output: 45 } },
    ]);
    const reply = await llm({ guidanceModel: 'opus' }).writer.write(REQUEST, signal);
    expect(reply).toEqual({
      text: 'Here it is.\n\n```python\nreturn 1\n```\n',
      model: 'served-model-1',
      usage: { inputTokens: 321, outputTokens: 45 },
      stopReason: provider === 'anthropic' ? 'end_turn' : 'stop',
    });
    const [seen] = server.requests;
    expect(seen).toMatchObject({
      api: provider,
      stream,
      model: provider === 'anthropic' ? 'claude-opus-5-5' : 'gpt-5.6-sol',
      system: REQUEST.system,
      messages: REQUEST.messages,
      key: KEY,
    });
  });

  test('a refused key: a one-line UserError naming the variable, without the key', async () => {
    server.setReplies([{ status: 401, message: `invalid x-api-key ${KEY}` }]);
    const error = await llm()
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const { message, exitCode } = error as UserError;
    expect(exitCode).toBe(2);
    expect(message).toBe(
      `${provider} refused the API key (401 Unauthorized): check ${provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'}`,
    );
    expect(server.requests).toHaveLength(1);
  });

  test('429 with retry-after: waits what the server asks, then succeeds', async () => {
    server.setReplies([
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 529, headers: { 'retry-after-ms': '1500' } },
      pythonReply('return 2'),
    ]);
    const clock = recordingClock(TIMEOUT);
    const reply = await llm({ clock }).writer.write(REQUEST, signal);
    expect(reply.text).toContain('return 2');
    expect(clock.sleeps).toEqual([7000, 1500]);
    expect(server.requests).toHaveLength(3);
  });

  test('429 with a short retry-after, on the real clock: the wait is honoured', async () => {
    server.setReplies([
      { status: 429, headers: { 'retry-after-ms': '300' } },
      pythonReply('return 3'),
    ]);
    const started = performance.now();
    const reply = await llm().writer.write(REQUEST, signal);
    expect(reply.text).toContain('return 3');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('5xx without retry-after: exponential backoff, then gives up after the retries', async () => {
    server.setReplies([{ status: 503, message: 'overloaded' }]);
    const clock = recordingClock(TIMEOUT);
    const error = await llm({ clock, retry: { timeoutMs: TIMEOUT, retries: 3, baseDelayMs: 1000 } })
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as LlmRequestError).kind).toBe('server');
    expect((error as LlmRequestError).message).toBe(
      `${provider} answered 503 (overloaded) (gave up after 4 tries)`,
    );
    expect(server.requests).toHaveLength(4);
    // Half fixed, half jitter: between ceiling/2 and ceiling.
    expect(clock.sleeps).toHaveLength(3);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(1000 * 2 ** i);
    });
  });

  test('a retry-after longer than allowed is not waited for', async () => {
    server.setReplies([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const error = await llm({ clock: recordingClock(TIMEOUT) })
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect((error as LlmRequestError).message).toMatch(
      /asks to wait 3600 s, more than the 120 s allowed$/,
    );
    expect(server.requests).toHaveLength(1);
  });

  test('a server that never answers: a timeout per try', async () => {
    server.setReplies([{ hang: true }]);
    const started = performance.now();
    const error = await llm({ retry: { timeoutMs: 300, retries: 1, baseDelayMs: 10 } })
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as LlmRequestError).kind).toBe('timeout');
    expect((error as LlmRequestError).message).toBe(
      `${provider} sent no complete reply within 300 ms (gave up after 2 tries)`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(3000);
  });

  test('a reply that is not the API format: malformed, not retried', async () => {
    server.setReplies([
      { raw: 'this is not JSON {', contentType: stream ? 'text/event-stream' : 'application/json' },
    ]);
    const error = await llm()
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as LlmRequestError).kind).toBe('malformed');
  });

  test('an unknown model: a UserError naming the model and where to change it', async () => {
    server.setReplies([{ status: 404, message: 'model not found' }]);
    const error = await llm({ modelFlag: 'no-such-model-1' })
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /answered 404 for model "no-such-model-1": check the model id \(--model, CFA_MODEL\)/,
    );
  });

  test('an unreachable server: a UserError at once, no retry', async () => {
    const base = await freePortUrl();
    const clock = recordingClock(TIMEOUT);
    const error = await llm({ clock }, base)
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^cannot reach ${provider} at http://127\\.0\\.0\\.1:\\d+(/v1)? \\(ECONNREFUSED\\): is the server running\\?`,
      ),
    );
    expect(clock.sleeps).toEqual([]);
  });

  test('the caller aborting stops the request with its reason', async () => {
    server.setReplies([{ hang: true }]);
    const controller = new AbortController();
    const pending = llm().writer.write(REQUEST, controller.signal);
    setTimeout(() => controller.abort(new Error('interrupted')), 50);
    await expect(pending).rejects.toThrow('interrupted');
  });

  afterAll(() => {
    for (const line of logs) expect(line).not.toContain(KEY);
  });
});
