/**
 * The pure functions `fill` builds on: a body's state, splicing a new body in, the signature and
 * docstring for a prompt; and the manifest's `endpoints` read back like the command line.
 */
import { describe, expect, test } from '@jest/globals';
import {
  bodyHash,
  bodyState,
  findFunction,
  functionForPrompt,
  isStub,
  isStubBody,
  spliceBody,
} from '../../src/core/endpoint-body.js';
import { wrappedDocstring } from '../../src/core/endpoint-context.js';
import { parseEndpoint } from '../../src/core/endpoint-input.js';
import { checkSummary, type EndpointProject } from '../../src/core/endpoints.js';
import { parseManifest } from '../../src/core/manifest.js';
import { parseFields } from '../../src/core/resources.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';

const python = await loadPythonFormatter();

const STUB = `"""The service function of POST /api/v1/orders/{order_id}/cancel."""

from app.core.errors import NotImplementedYetError
from app.db.session import Session
from app.orders.models import Order


async def cancel_order(session: Session, order: Order) -> Order:
    """Cancel an order unless it has shipped; refund it if paid."""
    raise NotImplementedYetError("cancel_order is not implemented yet")
`;

const endpoint = { name: 'cancel_order' };

describe('bodyState and isStubBody', () => {
  test('the generated stub is a stub, however Ruff lays the raise out', () => {
    expect(bodyState(STUB, endpoint)).toBe('stub');
    expect(isStubBody(STUB, endpoint)).toBe(true);
    const long = STUB.replace(
      /raise NotImplementedYetError\("cancel_order is not implemented yet"\)/,
      'raise NotImplementedYetError(\n        "a much longer message that Ruff puts on its own line, with more words"\n    )',
    );
    expect(python.format(long, 'x.py')).toBe(long);
    expect(bodyState(long, endpoint)).toBe('stub');
    for (const raise of [
      'raise NotImplementedYetError',
      'raise NotImplementedYetError()',
      "raise NotImplementedYetError('x')",
      '# a comment first\nraise NotImplementedYetError("x")',
    ]) {
      expect([raise, isStub(raise)]).toEqual([raise, true]);
    }
    for (const body of [
      'return order',
      'raise NotImplementedYetError("x")\nreturn order',
      'if order:\n    raise NotImplementedYetError("x")',
      'raise ConflictError("x")',
      'raise NotImplementedYetError("x") from None',
    ]) {
      expect([body, isStub(body)]).toEqual([body, false]);
    }
  });

  test('a body written by hand is the user’s; one the model wrote is the model’s until edited', () => {
    const body = 'order.status = "cancelled"\nawait session.commit()\nreturn order';
    const filled = spliceBody(STUB, endpoint, body);
    expect(bodyState(filled, endpoint)).toBe('user');
    const sha256 = bodyHash(body);
    expect(bodyState(filled, { ...endpoint, filled: { sha256 } })).toBe('model');
    // Layout is no edit: the hash reads the body dedented, without trailing white space.
    expect(bodyHash(`\n    ${body.replace(/\n/g, '  \n    ')}\n\n`)).toBe(sha256);
    const edited = filled.replace('return order', 'return order  # checked by hand');
    expect(bodyState(edited, { ...endpoint, filled: { sha256 } })).toBe('user');
    expect(bodyState(STUB, { name: 'nosuch' })).toBe('missing');
    expect(bodyState(STUB.replace('async def cancel_order', 'async def renamed'), endpoint)).toBe(
      'missing',
    );
  });
});

describe('spliceBody', () => {
  test('replaces the body only: signature, docstring, imports and the rest as they were', () => {
    const out = spliceBody(STUB, endpoint, '        x = 1\n        return order\n');
    expect(out).toBe(
      STUB.replace(
        '    raise NotImplementedYetError("cancel_order is not implemented yet")\n',
        '    x = 1\n    return order\n',
      ),
    );
    // Splicing the stub back gives the module again: nothing else moved.
    expect(
      spliceBody(
        out,
        endpoint,
        'raise NotImplementedYetError("cancel_order is not implemented yet")',
      ),
    ).toBe(STUB);
  });

  test('a body with nested blocks, blank lines and a multi-line string at column 0', () => {
    const body = 'if order:\n    x = """\nraw text\n"""\n\n    return order\nreturn order';
    const out = spliceBody(STUB, endpoint, body);
    expect(findFunction(out, 'cancel_order')?.body).toBe(body);
    // Still Python (the formatter parses it, or throws).
    expect(python.format(out, 'x.py')).toContain('raw text');
    // A second splice replaces the whole of it, the string's lines included.
    expect(spliceBody(out, endpoint, 'return order')).toBe(
      spliceBody(STUB, endpoint, 'return order'),
    );
  });

  test('functions around it, a split signature, a multi-line docstring, CR LF endings', () => {
    const module = [
      '"""Module."""',
      '',
      '',
      'def helper() -> int:',
      '    return 1',
      '',
      '',
      'async def cancel_order(',
      '    session: Session, order: Order, data: CancelRequest, current_user: User',
      ') -> Order:',
      '    """Cancel an order unless it has shipped; refund it if paid, and say so to its',
      '    customer.',
      '    """',
      '    raise NotImplementedYetError("cancel_order is not implemented yet")',
      '',
      '',
      'async def after() -> None:',
      '    pass',
      '',
    ].join('\r\n');
    const parts = functionForPrompt(module, endpoint);
    expect(parts).toEqual({
      signature:
        'async def cancel_order(\n    session: Session, order: Order, data: CancelRequest, current_user: User\n) -> Order:',
      docstring:
        'Cancel an order unless it has shipped; refund it if paid, and say so to its\ncustomer.',
      body: 'raise NotImplementedYetError("cancel_order is not implemented yet")',
    });
    expect(bodyState(module, endpoint)).toBe('stub');
    const out = spliceBody(module, endpoint, 'return order');
    expect(out).toBe(
      module.replace(
        '    raise NotImplementedYetError("cancel_order is not implemented yet")',
        '    return order',
      ),
    );
    expect(out.split('\r\n').length).toBe(module.split('\r\n').length);
    expect(() => spliceBody(module, { name: 'nosuch' }, 'pass')).toThrow(/no function nosuch/);
  });
});

describe('what is inferred', () => {
  const project: EndpointProject = {
    resources: [
      { name: 'order', owned: true, fields: parseFields('number:str') },
      { name: 'order_line', owned: false, fields: parseFields('qty:int') },
    ],
    modules: [{ kind: 'router', name: 'reports' }],
    jwt: true,
  };
  test.each<[string, string, string, number]>([
    ['orders', 'POST /orders/{order_id}/cancel', 'cancel_order', 204],
    ['Order', 'POST /orders/import', 'import_orders', 204],
    ['orders', 'GET /orders/stats', 'get_orders_stats', 204],
    ['orders', 'PUT /orders/{order_id}', 'put_order', 204],
    ['orders', 'DELETE /orders/{order_id}/lines/{line_id}', 'delete_order_lines', 204],
    [
      'order-lines',
      'POST /order_lines/{order_line_id}/split-in-two',
      'split_in_two_order_line',
      204,
    ],
    ['reports', 'POST /reports/2024/rebuild', 'post_2024_rebuild_reports', 204],
  ])('%s %s: %s', (target, route, name, status) => {
    const e = parseEndpoint({ target, route, summary: ' Does  it. ' }, project, []);
    expect([e.name, e.status, e.summary]).toEqual([name, status, 'Does it.']);
  });

  test('a response makes it 200; --status says otherwise', () => {
    const input = { target: 'orders', route: 'POST /orders', summary: 'x' };
    const withBody = { ...input, route: 'POST /orders/bulk', response: 'order' };
    expect(parseEndpoint(withBody, project, []).status).toBe(200);
    expect(parseEndpoint({ ...withBody, status: '201' }, project, []).status).toBe(201);
    expect(
      parseEndpoint({ ...withBody, response: 'Result:ok:bool' }, project, []).response,
    ).toEqual({
      name: 'Result',
      fields: parseFields('ok:bool'),
    });
    expect(parseEndpoint({ ...withBody, request: 'note:text' }, project, []).request?.name).toBe(
      'BulkOrdersRequest',
    );
  });
});

describe('the manifest’s endpoints are checked like the command line', () => {
  const manifest = (endpoints: unknown[]): string =>
    JSON.stringify({
      manifestVersion: 3,
      generator: { name: 'create-fastapi-agent', version: '0.3.0' },
      project: { name: 'shop', title: 'Shop' },
      agent: { name: 'a', path: 'AGENTS.md', source: 'a.md' },
      asked: {},
      options: { auth: ['jwt'] },
      resources: [{ name: 'order', owned: true, fields: [{ name: 'number', type: 'str' }] }],
      migratedResources: [],
      migrations: [],
      modules: [],
      endpoints,
    });
  const good = {
    name: 'cancel_order',
    target: { kind: 'resource', name: 'order' },
    method: 'POST',
    path: '/orders/{order_id}/cancel',
    summary: 'Cancel it',
    status: 204,
  };

  test('a good one reads back as it is', () => {
    expect(parseManifest(manifest([good]), 'm.json').manifest.endpoints).toEqual([good]);
    const filled = { ...good, filled: { model: 'claude-sonnet-4-5', sha256: 'a'.repeat(64) } };
    expect(parseManifest(manifest([filled]), 'm.json').manifest.endpoints).toEqual([filled]);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a path outside', { path: '/../etc/passwd' }, /routes start with \/orders/],
    ['code in a name', { name: '__import__("os")' }, /not a usable Python name/],
    ['a summary that closes its docstring', { summary: 'x"""\nimport os' }, /./],
    ['control characters', { summary: 'a\u0007b' }, /control or invisible/],
    ['an unknown key', { extra: 1 }, /unknown key "extra"/],
    ['an unknown target', { target: { kind: 'resource', name: 'nosuch' } }, /no resource nosuch/],
    ['a lower-case method', { method: 'post' }, /must be one of GET/],
    ['a status as text', { status: '200' }, /must be a status code/],
    ['a status out of range', { status: 302 }, /status 302/],
    ['a CRUD route', { path: '/orders', method: 'GET' }, /clashes with the list route/],
    [
      'a bad schema field',
      { request: { name: 'X', fields: [{ name: 'a', type: 'blob' }] } },
      /type/,
    ],
    [
      'a schema class taken',
      { request: { name: 'OrderRead', fields: [{ name: 'a', type: 'int' }] } },
      /exists already/,
    ],
    ['filled without a hash', { filled: { model: 'm', sha256: 'x' } }, /"filled" needs/],
  ])('%s is refused, naming endpoints', (_, change, message) => {
    expect(() => parseManifest(manifest([{ ...good, ...change }]), 'm.json')).toThrow(message);
    expect(() => parseManifest(manifest([{ ...good, ...change }]), 'm.json')).toThrow(
      /m\.json: endpoints/,
    );
  });

  test('two endpoints on one route are refused', () => {
    expect(() => parseManifest(manifest([good, { ...good, name: 'other' }]), 'm.json')).toThrow(
      /clashes with the endpoint cancel_order/,
    );
  });

  test('version 2 manifests are upgraded: no endpoints', () => {
    const v2 = JSON.parse(manifest([])) as Record<string, unknown>;
    v2.manifestVersion = 2;
    delete v2.endpoints;
    const read = parseManifest(JSON.stringify(v2), 'm.json');
    expect(read.upgradedFrom).toBe(2);
    expect(read.manifest.endpoints).toEqual([]);
    expect(read.manifest.manifestVersion).toBe(3);
  });
});

describe('a summary of any length is a docstring Ruff leaves as it is, within the line length', () => {
  test('lengths 1 to 300, short and long words, quotes and backslashes', async () => {
    const { loadPythonLinter } = await import('../../src/io/ruff.js');
    const linter = await loadPythonLinter();
    const words = ['a', 'order', 'refunded,', "it's", '"quoted"', 'back\\slash', 'x'.repeat(60)];
    for (let length = 1; length <= 300; length += 1) {
      let summary = '';
      for (let i = 0; summary.length < length; i += 1) {
        summary += `${summary ? ' ' : ''}${words[(i * 7 + length) % words.length] ?? ''}`;
      }
      summary = checkSummary(summary.slice(0, 300));
      const module = `"""M."""\n\n\nasync def f() -> None:\n    """${wrappedDocstring(1, summary)}"""\n    raise ValueError\n`;
      expect([summary, python.format(module, 'm.py')]).toEqual([summary, module]);
      expect([summary, linter.check(module, 'm.py')]).toEqual([summary, []]);
    }
  });
});
