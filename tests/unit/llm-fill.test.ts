/**
 * The fill loop through a real provider (the Anthropic and OpenAI SDKs against the fake server):
 * a reply rejected by the project's checks is sent back with the problems, up to the retries; a
 * malformed or forbidden reply is refused before any check; the report says why a stub stays.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import {
  buildBodyPrompt,
  createLlm,
  fillBody,
  runConcurrently,
  type BodyChecker,
  type BodyContext,
  type FillOutcome,
  type ReplyRules,
} from '../../src/llm/index.js';
import { pythonReply, startFakeLlm, type FakeLlmServer } from '../helpers/fake-llm/index.js';

const SIGNATURE = 'async def cancel_order(session: AsyncSession, order_id: int) -> Order:';
const CONTEXT: BodyContext = {
  functionName: 'cancel_order',
  modulePath: 'app/services/orders.py',
  signature: SIGNATURE,
  docstring: 'Cancel an order unless it has shipped.',
  schemas: '',
  models: 'class Order(Base):\n    shipped_at: Mapped[datetime | None]',
  moduleFunctions: '',
  errorTypes: 'class NotFound(DomainError): ...\nclass Conflict(DomainError): ...',
  allowedImports: ['app.errors', 'datetime'],
};
const RULES: ReplyRules = {
  functionName: 'cancel_order',
  signature: SIGNATURE,
  allowedImports: CONTEXT.allowedImports,
  stubError: 'NotImplementedYet',
};
const GOOD =
  'order = await session.get(Order, order_id)\nif order is None:\n    raise NotFound("order")\nreturn order';
const BROKEN = 'order = await session.get(Order, order_id\nreturn order';

/** A stand-in for Ruff: a body with unbalanced brackets has a syntax error. */
const syntaxChecker: BodyChecker = async ({ body }) => {
  const open = (body.match(/\(/g) ?? []).length;
  const close = (body.match(/\)/g) ?? []).length;
  return open === close ? [] : ['app/services/orders.py:2:1: SyntaxError: unclosed parenthesis'];
};

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlm();
});
afterAll(() => server.close());

describe.each(['anthropic', 'openai'] as const)('%s', (provider) => {
  const llm = () =>
    createLlm({
      provider,
      env:
        provider === 'anthropic'
          ? { ANTHROPIC_API_KEY: 'sk-test-fill-0123456789', ANTHROPIC_BASE_URL: server.url }
          : { OPENAI_API_KEY: 'sk-test-fill-0123456789', OPENAI_BASE_URL: server.openaiBaseURL },
      retry: { baseDelayMs: 1 },
    });
  const prompt = buildBodyPrompt('Use domain errors.', CONTEXT);
  const fill = (check?: BodyChecker): Promise<FillOutcome> =>
    fillBody(
      llm().writer,
      prompt,
      { rules: RULES, ...(check ? { check } : {}) },
      new AbortController().signal,
    );

  test('a good body at the first try', async () => {
    server.setReplies([
      pythonReply(`from app.errors import NotFound\n\n${GOOD}`, { model: 'm-1' }),
    ]);
    const outcome = await fill(syntaxChecker);
    expect(outcome).toMatchObject({
      status: 'filled',
      body: { body: GOOD, imports: ['from app.errors import NotFound'] },
      model: 'm-1',
      tries: 1,
      usage: { inputTokens: 100, outputTokens: 50 },
    });
  });

  test('a syntax error sent back with the checker problem, fixed on the retry', async () => {
    server.setReplies([pythonReply(BROKEN), pythonReply(GOOD)]);
    const before = server.requests.length;
    const outcome = await fill(syntaxChecker);
    expect(outcome).toMatchObject({ status: 'filled', tries: 2, body: { body: GOOD } });
    const retry = server.requests[before + 1];
    expect(retry?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(retry?.messages[1]?.content).toContain(BROKEN);
    expect(retry?.messages[2]?.content).toBe(
      'That reply could not be used:\n- app/services/orders.py:2:1: SyntaxError: unclosed parenthesis\n\n' +
        'Reply again with the whole corrected ```python block, following the same rules.',
    );
  });

  test('failing on every try (2 retries): the stub stays, with the reason', async () => {
    server.setReplies([pythonReply(BROKEN)]);
    const before = server.requests.length;
    const outcome = await fill(syntaxChecker);
    expect(outcome).toMatchObject({
      status: 'failed',
      tries: 3,
      reason:
        'rejected after 3 tries: app/services/orders.py:2:1: SyntaxError: unclosed parenthesis',
    });
    expect(server.requests.length - before).toBe(3);
  });

  test('a malformed reply and a forbidden import are refused before the checker, then fixed', async () => {
    server.setReplies([
      { text: 'I would cancel the order and refund it.' },
      pythonReply(`import subprocess\n${GOOD}`),
      pythonReply(GOOD),
    ]);
    const checked: string[] = [];
    const outcome = await fill(async ({ body }) => {
      checked.push(body);
      return [];
    });
    expect(outcome.status).toBe('filled');
    expect(outcome.attempts.map((a) => a.problems)).toEqual([
      ['the reply has no ```python block: put the body in exactly one'],
      [
        'the reply imports `subprocess`, which is not allowed: import only from `app.errors`, `datetime`',
      ],
      [],
    ]);
    expect(checked).toEqual([GOOD]);
  });

  test('an edit outside the body is refused', async () => {
    server.setReplies([pythonReply(`${SIGNATURE}\n    return None\n\nCACHE = {}`)]);
    const outcome = await fillBody(
      llm().writer,
      prompt,
      { rules: RULES, retries: 0 },
      new AbortController().signal,
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      tries: 1,
      reason:
        'rejected after 1 try: the reply has code after the body of `cancel_order` (`CACHE = {}`): write only the body',
    });
  });

  test('a request that fails on its own is a failed outcome; a refused key stops everything', async () => {
    server.setReplies([{ status: 400, message: 'prompt is too long' }]);
    await expect(fill()).resolves.toMatchObject({
      status: 'failed',
      tries: 0,
      reason: `the request failed: ${provider} refused the request (400): prompt is too long`,
    });
    server.setReplies([{ status: 401 }]);
    await expect(fill()).rejects.toBeInstanceOf(UserError);
  });

  test('several bodies at once, 4 at a time, with progress', async () => {
    let running = 0;
    let most = 0;
    server.setReplies(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 20));
      running -= 1;
      return pythonReply(GOOD);
    });
    const progress: string[] = [];
    const writer = llm().writer;
    const outcomes = await runConcurrently(
      Array.from({ length: 10 }, (_, i) => `endpoint${i}`),
      (_, __, signal) => fillBody(writer, prompt, { rules: RULES }, signal),
      { onProgress: ({ done, total, item }) => progress.push(`${done}/${total} ${item}`) },
    );
    expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill('filled'));
    expect(most).toBe(4);
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toMatch(/^10\/10 endpoint\d$/);
  });
});
