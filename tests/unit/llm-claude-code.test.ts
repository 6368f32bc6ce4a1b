/** claude-code: the `claude` CLI in print mode, here a fake executable put first on PATH. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { LlmRequestError, type BodyRequest } from '../../src/core/llm/types.js';
import { createLlm, type LlmConfig } from '../../src/llm/index.js';
import { installFakeClaude, type FakeClaude } from '../helpers/fake-llm/index.js';

const REQUEST: BodyRequest = {
  system: 'You write FastAPI services.',
  messages: [{ role: 'user', content: 'Implement `cancel_order`.' }],
};
const signal = new AbortController().signal;

let fake: FakeClaude;
beforeAll(async () => {
  fake = await installFakeClaude([]);
});
afterAll(() => fake.cleanup());

const llm = (extra: Partial<LlmConfig> = {}) =>
  createLlm({
    provider: 'claude-code',
    env: { ...process.env, CFA_MODEL: '', ...fake.env },
    retry: { timeoutMs: 10_000, baseDelayMs: 1 },
    ...extra,
  });

describe('claude-code', () => {
  test('a good reply: the result, the model from modelUsage, the tokens; the flags it was run with', async () => {
    await fake.setReplies([
      {
        result: '```python\nreturn 1\n```',
        model: 'claude-sonnet-5-5-20261001',
        usage: { input: 9, output: 3 },
      },
    ]);
    const reply = await llm({ guidanceModel: 'sonnet' }).writer.write(REQUEST, signal);
    expect(reply).toEqual({
      text: '```python\nreturn 1\n```',
      model: 'claude-sonnet-5-5-20261001',
      usage: { inputTokens: 9, outputTokens: 3 },
      stopReason: 'end_turn',
    });
    const [call] = await fake.calls();
    expect(call?.args).toEqual([
      '-p',
      '--output-format',
      'json',
      '--tools',
      '',
      '--strict-mcp-config',
      '--max-turns',
      '1',
      '--no-session-persistence',
      '--model',
      'sonnet',
      '--system-prompt',
      REQUEST.system,
    ]);
    expect(call?.stdin).toBe('Implement `cancel_order`.');
  });

  test('inherit passes no --model; a retry conversation goes in as one labelled prompt', async () => {
    await fake.setReplies([{ result: 'ok' }]);
    await llm().writer.write(
      {
        ...REQUEST,
        messages: [
          ...REQUEST.messages,
          { role: 'assistant', content: 'bad reply' },
          { role: 'user', content: 'That reply could not be used.' },
        ],
      },
      signal,
    );
    const [call] = await fake.calls();
    expect(call?.args).not.toContain('--model');
    expect(call?.stdin).toBe(
      'Implement `cancel_order`.\n\n## Your previous reply\n\nbad reply\n\n## About that reply\n\nThat reply could not be used.',
    );
  });

  test('a long system prompt goes through a file', async () => {
    await fake.setReplies([{ result: 'ok' }]);
    await llm().writer.write({ ...REQUEST, system: 'x'.repeat(70_000) }, signal);
    const [call] = await fake.calls();
    expect(call?.args).toContain('--system-prompt-file');
    expect(call?.args).not.toContain('--system-prompt');
  });

  test('not logged in: a UserError telling how to log in', async () => {
    await fake.setReplies([{ isError: true, result: 'Invalid API key · Please run /login' }]);
    const error = await llm()
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'claude-code cannot reach the model: Invalid API key · Please run /login (run `claude` to log in)',
    );
  });

  test('a rate limit is retried, then the reply comes', async () => {
    await fake.setReplies([
      { isError: true, result: 'API Error: 429 rate limit exceeded' },
      { result: 'fine' },
    ]);
    const reply = await llm().writer.write(REQUEST, signal);
    expect(reply.text).toBe('fine');
    expect(await fake.calls()).toHaveLength(2);
  });

  test('output that is not a JSON result: malformed', async () => {
    await fake.setReplies([{ stdout: 'Hello there, not JSON\n' }]);
    const error = await llm()
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmRequestError);
    expect((error as LlmRequestError).kind).toBe('malformed');
    expect((error as Error).message).toBe(
      'claude-code printed no JSON result: Hello there, not JSON',
    );
  });

  test('a claude that takes too long is stopped: a timeout', async () => {
    await fake.setReplies([{ result: 'late', delayMs: 5000 }]);
    const started = performance.now();
    const error = await llm({ retry: { timeoutMs: 500, retries: 0 } })
      .writer.write(REQUEST, signal)
      .catch((e: unknown) => e);
    expect((error as LlmRequestError).kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(4000);
  });

  test('claude not on PATH: a UserError from preflight and from a request', async () => {
    const none = createLlm({ provider: 'claude-code', env: { PATH: '/nonexistent' } });
    const message =
      '`claude` (the Claude Code CLI) is not on PATH: install Claude Code, or use --llm anthropic or --llm openai';
    await expect(none.preflight()).rejects.toThrow(new UserError(message));
    await expect(none.writer.write(REQUEST, signal)).rejects.toThrow(new UserError(message));
    await expect(llm().preflight()).resolves.toBeUndefined();
  });
});
