/** A model's reply: the body is taken from one ```python block, and what it may not do is refused. */
import { describe, expect, test } from '@jest/globals';
import { indentBody, parseReply, type ReplyRules } from '../../src/core/llm/reply.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';

const SIGNATURE =
  'async def cancel_order(session: AsyncSession, order_id: int, data: CancelRequest) -> Order:';
const RULES: ReplyRules = {
  functionName: 'cancel_order',
  signature: SIGNATURE,
  allowedImports: ['sqlalchemy', 'app.errors', 'app.models', 'datetime'],
  stubError: 'NotImplementedYet',
};

const BODY = [
  'order = await session.get(Order, order_id)',
  'if order is None:',
  '    raise NotFound("order", order_id)',
  'if order.shipped_at is not None:',
  '    raise Conflict("the order has shipped")',
  'order.cancelled_at = datetime.now(UTC)',
  'await session.flush()',
  'return order',
].join('\n');

const block = (code: string, lang = 'python'): string =>
  `Here is the body.\n\n\`\`\`${lang}\n${code}\n\`\`\`\n\nIt raises domain errors.`;

const codes = (reply: string, rules = RULES): string[] => {
  const parsed = parseReply(reply, rules);
  return parsed.ok ? [] : parsed.problems.map((p) => p.code);
};

describe('parseReply takes', () => {
  test('the body of one python block, text around it ignored', () => {
    expect(parseReply(block(BODY), RULES)).toEqual({ ok: true, body: BODY, imports: [] });
  });

  test('import lines at the top as the module imports', () => {
    const reply = block(
      `from datetime import UTC, datetime\nfrom app.errors import Conflict, NotFound\n\n${BODY}`,
    );
    expect(parseReply(reply, RULES)).toEqual({
      ok: true,
      body: BODY,
      imports: ['from datetime import UTC, datetime', 'from app.errors import Conflict, NotFound'],
    });
  });

  test('an indented body, dedented', () => {
    expect(parseReply(block(indentBody(BODY)), RULES)).toMatchObject({ ok: true, body: BODY });
  });

  test('the whole function with its signature unchanged: its body, without the docstring', () => {
    const fn = `${SIGNATURE}\n    """Cancel an order."""\n${indentBody(BODY)}`;
    expect(parseReply(block(fn), RULES)).toMatchObject({ ok: true, body: BODY });
    const wrapped = `async def cancel_order(\n    session: AsyncSession,\n    order_id: int,\n    data: CancelRequest,\n) -> Order:\n${indentBody(BODY)}`;
    expect(parseReply(block(wrapped), RULES)).toMatchObject({ ok: true, body: BODY });
  });

  test('import lines above the whole function', () => {
    const fn = `from app.errors import NotFound\n\n\n${SIGNATURE}\n${indentBody(BODY)}\n`;
    expect(parseReply(block(fn), RULES)).toEqual({
      ok: true,
      body: BODY,
      imports: ['from app.errors import NotFound'],
    });
  });

  test('an unlabelled block when there is no python one; CRLF; a <think> section', () => {
    expect(parseReply(block(BODY, ''), RULES)).toMatchObject({ ok: true, body: BODY });
    const crlf = block(BODY).replace(/\n/g, '\r\n');
    expect(parseReply(crlf, RULES)).toMatchObject({ ok: true, body: BODY });
    const think = `<think>\n\`\`\`python\nimport os\n\`\`\`\n</think>\n${block(BODY)}`;
    expect(parseReply(think, RULES)).toMatchObject({ ok: true, body: BODY });
  });

  test('strings and comments that look like code, left alone', () => {
    const body = [
      'note = """',
      'import os',
      'def helper():',
      '    HTTPException',
      '"""',
      "label = 'from os import path'  # import sys; global x",
      'return note + label',
    ].join('\n');
    expect(parseReply(block(body), RULES)).toEqual({ ok: true, body, imports: [] });
    // indentBody leaves the string's lines as they are.
    expect(indentBody(body).split('\n')).toEqual([
      '    note = """',
      'import os',
      'def helper():',
      '    HTTPException',
      '"""',
      "    label = 'from os import path'  # import sys; global x",
      '    return note + label',
    ]);
  });

  test('a local import of an allowed module, and submodules of allowed ones', () => {
    expect(codes(block(`from sqlalchemy.orm import selectinload\n${BODY}`))).toEqual([]);
    expect(codes(block(`import datetime as dt\n${BODY}`))).toEqual([]);
  });
});

describe('parseReply refuses, with a reason for the model', () => {
  test.each([
    ['no block', 'Sorry, I cannot help with that.', 'no-code-block'],
    ['two blocks', `${block(BODY)}\n${block('return None')}`, 'several-code-blocks'],
    ['a block cut short', `\`\`\`python\n${BODY}`, 'unterminated-block'],
    ['an unclosed string', block('x = """never closed\nreturn x'), 'unterminated-string'],
    ['an empty block', block(''), 'empty-body'],
    ['only pass', block('pass'), 'empty-body'],
    ['the stub again', block('raise NotImplementedYet("cancel_order")'), 'still-a-stub'],
  ])('%s', (_, reply, code) => {
    expect(codes(reply)).toEqual([code]);
  });

  test('a forbidden import, at the top, in the body, or several on one line', () => {
    expect(codes(block(`import os\n${BODY}`))).toEqual(['forbidden-import']);
    expect(
      codes(block(`${BODY.replace('return order', 'import subprocess\nreturn order')}`)),
    ).toEqual(['forbidden-import']);
    expect(codes(block(`import datetime, socket\n${BODY}`))).toEqual(['forbidden-import']);
    expect(codes(block(`x = 1; from os import system\n${BODY}`))).toEqual(['forbidden-import']);
    expect(codes(block(`mod = __import__("os")\n${BODY}`))).toEqual(['forbidden-import']);
    const parsed = parseReply(block(`import os\n${BODY}`), RULES);
    expect(parsed.ok ? '' : parsed.problems[0]?.message).toBe(
      'the reply imports `os`, which is not allowed: import only from `sqlalchemy`, `app.errors`, `app.models`, `datetime`',
    );
  });

  test('an edit outside the body: a changed signature, code after the function, a decorator', () => {
    const changed = `async def cancel_order(session, order_id: str) -> Order:\n${indentBody(BODY)}`;
    expect(codes(block(changed))).toEqual(['signature-changed']);
    const sync = `def cancel_order(session: AsyncSession, order_id: int, data: CancelRequest) -> Order:\n${indentBody(BODY)}`;
    expect(codes(block(sync))).toEqual(['signature-changed']);
    const after = `${SIGNATURE}\n${indentBody(BODY)}\n\nTIMEOUT = 5\n`;
    expect(codes(block(after))).toEqual(['outside-body']);
    const decorated = `@cache\n${SIGNATURE}\n${indentBody(BODY)}`;
    expect(codes(block(decorated))).toContain('outside-body');
    expect(codes(block(`global ORDERS\n${BODY}`))).toEqual(['global-state']);
  });

  test('another function or class, nested or beside', () => {
    expect(codes(block(`def helper():\n    return 1\n\n${BODY}`))).toEqual(['defines-function']);
    expect(codes(block(`async def refund(order):\n    return 1\n`))).toEqual(['defines-function']);
    expect(codes(block(`class Local:\n    pass\n${BODY}`))).toEqual(['defines-function']);
    const after = `${SIGNATURE}\n${indentBody(BODY)}\n\nasync def other():\n    pass\n`;
    expect(codes(block(after))).toEqual(['outside-body']);
  });

  test('an HTTP error instead of a domain error', () => {
    const http = BODY.replace(
      'raise NotFound("order", order_id)',
      'raise HTTPException(status_code=404)',
    );
    expect(codes(block(http))).toEqual(['http-error']);
    expect(codes(block(BODY.replace('return order', 'return status.HTTP_200_OK')))).toEqual([
      'http-error',
    ]);
  });

  test('problems carry the line of the block they are on', () => {
    const parsed = parseReply(block(`x = 1\n\nimport os\nreturn x`), RULES);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      expect.objectContaining({ code: 'forbidden-import', line: 3 }),
    ]);
  });
});

test('an accepted body, indented under its def line, is Python that Ruff formats', async () => {
  const python = await loadPythonFormatter({ cacheDir: null });
  const bodies = [
    BODY,
    'items = [\n    x\n    for x in range(3)\n]\nreturn """a\n  b"""',
    'if order_id:\n\treturn 1\nreturn 2',
  ];
  for (const body of bodies) {
    const parsed = parseReply(block(body), RULES);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) continue;
    const module = `${SIGNATURE}\n    """Cancel."""\n${indentBody(parsed.body)}\n`;
    expect(() => python.format(module, 'app/services/orders.py')).not.toThrow();
  }
});
