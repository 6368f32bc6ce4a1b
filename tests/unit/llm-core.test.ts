/** The pure half of the LLM layer: model choice, prompt, retry policy, concurrency, scrubbing. */
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import {
  buildBodyPrompt,
  feedbackMessage,
  MODEL_TABLE,
  parseProvider,
  requestKey,
  resilientWriter,
  resolveModel,
  retryAfterDelay,
  runConcurrently,
  scrubSecrets,
  secretsIn,
  type BodyContext,
  type BodyWriter,
} from '../../src/core/llm/index.js';
import { LlmRequestError } from '../../src/core/llm/types.js';
import { recordingClock } from '../helpers/fake-llm/clock.js';

describe('model choice', () => {
  test('--model, then CFA_MODEL, then the guidance file, then inherit', () => {
    expect(resolveModel('anthropic', { flag: 'haiku', env: 'opus', guidance: 'sonnet' })).toEqual({
      provider: 'anthropic',
      requested: 'haiku',
      source: 'flag',
      id: 'claude-haiku-5-5',
    });
    expect(resolveModel('openai', { flag: ' ', env: 'opus', guidance: 'sonnet' })).toMatchObject({
      source: 'env',
      id: 'gpt-5.6-sol',
    });
    expect(resolveModel('anthropic', { guidance: 'Sonnet' })).toMatchObject({
      source: 'guidance',
      id: 'claude-sonnet-5-5',
    });
    expect(resolveModel('anthropic', {})).toMatchObject({
      source: 'default',
      requested: 'inherit',
    });
    expect(resolveModel('claude-code', { guidance: 'inherit' }).id).toBeUndefined();
    expect(resolveModel('claude-code', { guidance: 'opus' }).id).toBe('opus');
  });

  test('every provider knows every alias', () => {
    for (const table of Object.values(MODEL_TABLE)) {
      expect(Object.keys(table).sort()).toEqual(['haiku', 'inherit', 'opus', 'sonnet']);
    }
  });

  test('a full id goes as it is', () => {
    for (const id of [
      'claude-opus-4-8',
      'qwen2.5-coder:7b',
      'meta-llama/Llama-3.3-70B-Instruct',
      'gpt-5.6-terra',
    ]) {
      expect(resolveModel('openai', { flag: id }).id).toBe(id);
    }
  });

  test('an unknown alias, an invalid id or provider: a UserError saying where it came from', () => {
    expect(() => resolveModel('anthropic', { guidance: 'sonet' })).toThrow(
      new UserError(
        'unknown model alias "sonet" (from the guidance file\'s `model:`): use sonnet, opus, haiku, inherit or a full model id such as claude-sonnet-5-5',
      ),
    );
    expect(() => resolveModel('openai', { env: 'fable' })).toThrow(/from CFA_MODEL/);
    expect(() => resolveModel('claude-code', { flag: '--dangerously-skip-permissions' })).toThrow(
      /^invalid model id .* \(from --model\)/,
    );
    expect(() => resolveModel('anthropic', { flag: 'claude sonnet' })).toThrow(UserError);
    expect(() => parseProvider('gemini')).toThrow(
      new UserError('unknown LLM provider "gemini": use one of anthropic, openai, claude-code'),
    );
    expect(parseProvider(' Claude-Code ')).toBe('claude-code');
  });
});

describe('the prompt', () => {
  const context: BodyContext = {
    functionName: 'cancel_order',
    modulePath: 'app/services/orders.py',
    signature: 'async def cancel_order(session: AsyncSession, order_id: int) -> OrderRead:',
    docstring: 'Cancel an order unless it has shipped; refund it if paid.',
    schemas: 'class OrderRead(BaseModel):\n    id: int',
    models: 'class Order(Base):\n    __tablename__ = "orders"',
    moduleFunctions: 'async def get_order(session, order_id): ...',
    errorTypes: 'class NotFound(DomainError): ...',
    allowedImports: ['sqlalchemy', 'app.errors'],
  };

  test('the system prompt is the guidance body; the user message carries what the body needs', () => {
    const prompt = buildBodyPrompt('\n# Backend guidance\n\nUse domain errors.\n', context);
    expect(prompt.system).toBe('# Backend guidance\n\nUse domain errors.');
    expect(prompt.messages).toHaveLength(1);
    expect(prompt.messages[0]?.role).toBe('user');
    expect(prompt.messages[0]?.content).toMatchInlineSnapshot(`
"Implement the body of \`cancel_order\` in \`app/services/orders.py\`.

## The function

\`\`\`python
async def cancel_order(session: AsyncSession, order_id: int) -> OrderRead:
    """Cancel an order unless it has shipped; refund it if paid."""
\`\`\`

## Schemas it uses

\`\`\`python
class OrderRead(BaseModel):
    id: int
\`\`\`

## Models it uses

\`\`\`python
class Order(Base):
    __tablename__ = "orders"
\`\`\`

## The other functions of \`app/services/orders.py\`

\`\`\`python
async def get_order(session, order_id): ...
\`\`\`

## The project's error types

\`\`\`python
class NotFound(DomainError): ...
\`\`\`

## Rules

- Write only the body of \`cancel_order\`: no \`def\` line, no decorator, no docstring; do not change any other code.
- Define no other function or class (a lambda will do).
- \`cancel_order\` is async: await what is async, and never block (no \`time.sleep\`, no synchronous I/O).
- Signal failures by raising the project's domain errors above, never HTTP errors (no \`HTTPException\`, no status codes): the routes turn domain errors into responses.
- Import only from these modules: \`sqlalchemy\`, \`app.errors\`. Put each import you need as a line at the top of the block.

## Reply

Reply with exactly one \`\`\`python block: the import lines first (if any), then the statements of the body of \`cancel_order\`. Text outside the block is ignored."
`);
  });

  test('source holding backticks cannot close its fence; empty sections say so', () => {
    const prompt = buildBodyPrompt('', { ...context, schemas: 'X = """```"""', models: '' });
    const user = prompt.messages[0]?.content ?? '';
    expect(user).toContain('````python\nX = """```"""\n````');
    expect(user).toContain('## Models it uses\n\nNone.');
    expect(prompt.system).toMatch(/^You are a senior Python developer/);
  });

  test('feedback lists the problems', () => {
    expect(feedbackMessage(['a', 'b\n'])).toBe(
      'That reply could not be used:\n- a\n- b\n\nReply again with the whole corrected ```python block, following the same rules.',
    );
  });
});

describe('retries', () => {
  const failing = (errors: LlmRequestError[]): BodyWriter & { calls: number } => {
    const writer = {
      provider: 'anthropic' as const,
      model: 'm',
      calls: 0,
      async write() {
        const error = errors[writer.calls];
        writer.calls += 1;
        if (error) throw error;
        return { text: 'ok', model: 'm' };
      },
    };
    return writer;
  };
  const signal = new AbortController().signal;

  test('retry-after as seconds, as a date, as retry-after-ms; nonsense ignored', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const e = (retryAfter?: string, retryAfterMs?: string) =>
      new LlmRequestError('rate-limited', 'x', {
        retryAfter: retryAfter ?? null,
        retryAfterMs: retryAfterMs ?? null,
      });
    expect(retryAfterDelay(e('2'), now)).toBe(2000);
    expect(retryAfterDelay(e('0.5'), now)).toBe(500);
    expect(retryAfterDelay(e('Thu, 01 Jan 2026 00:00:30 GMT'), now)).toBe(30_000);
    expect(retryAfterDelay(e('Wed, 31 Dec 2025 00:00:00 GMT'), now)).toBe(0);
    expect(retryAfterDelay(e('2', '250'), now)).toBe(250);
    expect(retryAfterDelay(e('soon'), now)).toBeUndefined();
    expect(retryAfterDelay(e(), now)).toBeUndefined();
  });

  test('what is not retryable fails at once; the rest is retried up to the bound', async () => {
    const bad = failing([new LlmRequestError('bad-request', 'no')]);
    const clock = recordingClock(1000);
    await expect(
      resilientWriter(bad, { clock, policy: { timeoutMs: 1000 } }).write(
        { system: '', messages: [] },
        signal,
      ),
    ).rejects.toThrow('no');
    expect(bad.calls).toBe(1);
    const busy = failing(
      Array(10).fill(new LlmRequestError('server', 'busy', { retryable: true })),
    );
    const retried: number[] = [];
    const writer = resilientWriter(busy, {
      clock,
      random: () => 1,
      policy: { timeoutMs: 1000, retries: 2, baseDelayMs: 100, maxDelayMs: 150 },
      onRetry: ({ attempt, delayMs }) => retried.push(attempt, delayMs),
    });
    await expect(writer.write({ system: '', messages: [] }, signal)).rejects.toThrow(
      'busy (gave up after 3 tries)',
    );
    expect(busy.calls).toBe(3);
    expect(retried).toEqual([1, 100, 2, 150]);
  });

  test('a writer that ignores the signal still times out', async () => {
    const deaf: BodyWriter = {
      provider: 'openai',
      model: 'm',
      write: () => new Promise(() => undefined),
    };
    const writer = resilientWriter(deaf, {
      clock: {
        now: Date.now,
        sleep: (ms, s) =>
          new Promise((r, j) => {
            const t = setTimeout(r, ms);
            s.addEventListener('abort', () => {
              clearTimeout(t);
              j(s.reason);
            });
          }),
      },
      policy: { timeoutMs: 50, retries: 0 },
    });
    await expect(writer.write({ system: '', messages: [] }, signal)).rejects.toMatchObject({
      kind: 'timeout',
    });
  });
});

describe('concurrency', () => {
  test('results in order, never more than the limit at once, progress for each', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const results = await runConcurrently(
      [30, 10, 20, 5, 15, 25, 1],
      async (ms) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, ms));
        running -= 1;
        return ms * 2;
      },
      { concurrency: 3, onProgress: ({ done }) => seen.push(done) },
    );
    expect(results).toEqual([60, 20, 40, 10, 30, 50, 2]);
    expect(most).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('a task that throws stops the others and the first error comes out', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const run = runConcurrently(
      [0, 1, 2, 3, 4, 5],
      (i, _, signal) =>
        new Promise<number>((resolve, reject) => {
          started.push(i);
          if (i === 1) setTimeout(() => reject(new UserError('key refused')), 5);
          else {
            const t = setTimeout(() => resolve(i), 50);
            signal.addEventListener('abort', () => {
              clearTimeout(t);
              aborted.push(i);
              reject(new Error('aborted'));
            });
          }
        }),
      { concurrency: 2 },
    );
    await expect(run).rejects.toThrow('key refused');
    expect(started).toEqual([0, 1]);
    expect(aborted).toEqual([0]);
  });
});

describe('secrets', () => {
  test('known secrets and key-shaped strings are scrubbed', () => {
    const env = { ANTHROPIC_API_KEY: 'custom-key-value', OPENAI_API_KEY: ' ', OTHER: 'x' };
    const secrets = secretsIn(env);
    expect(secrets).toEqual(['custom-key-value']);
    expect(
      scrubSecrets(
        'key custom-key-value, sk-proj-abcdefghijklmnop, Authorization: Bearer abc.def-ghi_jkl, {"x-api-key": "k-123456"}',
        secrets,
      ),
    ).toBe(
      'key [redacted], sk-[redacted], Authorization: Bearer [redacted], {"x-api-key": "[redacted]"}',
    );
  });

  test('the cache key depends on what decides the reply, and on nothing else', () => {
    const request = { system: 's', messages: [{ role: 'user' as const, content: 'm' }] };
    const key = requestKey('anthropic', 'claude-sonnet-5-5', request);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey('anthropic', 'claude-sonnet-5-5', { ...request })).toBe(key);
    expect(requestKey('openai', 'claude-sonnet-5-5', request)).not.toBe(key);
    expect(requestKey('anthropic', 'claude-opus-5-5', request)).not.toBe(key);
    expect(requestKey('anthropic', 'claude-sonnet-5-5', { ...request, system: 't' })).not.toBe(key);
    expect(requestKey('anthropic', 'claude-sonnet-5-5', { ...request, maxTokens: 10 })).not.toBe(
      key,
    );
  });
});
