/**
 * Custom endpoints through the CLI, on a project made by 0.1.0 (tests/fixtures/projects/shop-0.1.0:
 * `item` owned by users, `customer`, `order`, and a `reports` router): what is inferred, what
 * `--json` reports, and classes of bad input, each refused with one line, exit 2, nothing written.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { endpointFiles } from '../../src/core/endpoint-context.js';
import { bodyState } from '../../src/core/endpoint-body.js';
import { MANIFEST_PATH, MANIFEST_VERSION, parseManifest } from '../../src/core/manifest.js';
import type { ChangeReport } from '../../src/commands/report.js';
import { loadPythonFormatter, loadPythonLinter } from '../../src/io/ruff.js';
import { fakeIo } from '../helpers/cli.js';
import { snapshot } from '../helpers/snapshot.js';

const FIXTURE = path.resolve('tests/fixtures/projects/shop-0.1.0');
const python = await loadPythonFormatter();
const linter = await loadPythonLinter();
let root: string;
let project: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-endpoints-'));
  project = path.join(root, 'shop');
  await fs.cp(FIXTURE, project, { recursive: true });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await runCli([...args, '--project', project], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const read = (file: string): Promise<string> => fs.readFile(path.join(project, file), 'utf8');

async function manifest() {
  return parseManifest(await read(MANIFEST_PATH), MANIFEST_PATH).manifest;
}

/** Every Python file of the project is canonical and passes its lint rules. */
async function pythonIsClean(): Promise<void> {
  const entries = await fs.readdir(project, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => path.relative(project, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith('.fastapi-agent'));
  for (const file of files) {
    const content = await read(file);
    expect([file, python.format(content, file) === content]).toEqual([file, true]);
    expect([file, linter.check(content, file).map((d) => d.code)]).toEqual([file, []]);
  }
}

describe('add endpoint', () => {
  test('an old project: upgraded, the route, schemas, stub and test written, --json says so', async () => {
    const result = await cli(
      'add',
      'endpoint',
      'orders',
      'POST /orders/{order_id}/cancel',
      '--summary',
      'Cancel an order unless it has shipped; refund it if paid',
      '--request',
      'CancelRequest:reason:text:optional,notify:bool:default=true',
      '--response',
      'order',
      '--json',
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report).toMatchObject({
      ok: true,
      command: 'add endpoint',
      project,
      manifestUpgradedFrom: 1,
      migrations: [],
      endpoints: [
        {
          name: 'cancel_order',
          method: 'POST',
          path: '/api/v1/orders/{order_id}/cancel',
          operation: 'app/orders/operations/cancel_order.py',
          test: 'tests/orders/test_cancel_order.py',
        },
      ],
    });
    expect(report.files.created).toEqual(
      expect.arrayContaining([
        'app/orders/operations/__init__.py',
        'app/orders/operations/cancel_order.py',
        'tests/orders/__init__.py',
        'tests/orders/test_cancel_order.py',
      ]),
    );
    // The fixture's user edited orders/service.py: merged, never overwritten.
    expect(report.files.updated).not.toContain('app/orders/service.py');
    expect(report.files.merged.concat(report.files.updated)).toContain('app/orders/router.py');
    expect(report.nextSteps).toEqual(
      expect.arrayContaining([expect.stringMatching(/write the body of cancel_order/), 'pytest']),
    );

    const m = await manifest();
    expect(m.manifestVersion).toBe(MANIFEST_VERSION);
    expect(m.endpoints).toEqual([
      {
        name: 'cancel_order',
        target: { kind: 'resource', name: 'order' },
        method: 'POST',
        path: '/orders/{order_id}/cancel',
        summary: 'Cancel an order unless it has shipped; refund it if paid',
        status: 200,
        request: {
          name: 'CancelRequest',
          fields: [
            { name: 'reason', type: 'text', required: false, unique: false, index: false },
            {
              name: 'notify',
              type: 'bool',
              required: true,
              unique: false,
              index: false,
              default: 'true',
            },
          ],
        },
        response: { resource: 'order' },
      },
    ]);
    const operation = await read('app/orders/operations/cancel_order.py');
    expect(operation).toMatch(
      /async def cancel_order\(\s*session: Session, order: Order, data: CancelRequest, current_user: User\s*\) -> Order:/,
    );
    expect(operation).toContain('"""Cancel an order unless it has shipped; refund it if paid"""');
    expect(bodyState(operation, { name: 'cancel_order' })).toBe('stub');
    const router = await read('app/orders/router.py');
    // The custom route comes before the CRUD routes, and reads the row through OrderDep.
    expect(router.indexOf('@router.post("/{order_id}/cancel")')).toBeLessThan(
      router.indexOf('@router.post("", status_code'),
    );
    expect(router).toMatch(/order: OrderDep,\s+data: CancelRequest/);
    expect(router).toContain('return OrderRead.model_validate(result)');
    expect(await read('app/orders/schemas.py')).toMatch(
      /class CancelRequest\(BaseModel\):\n {4}model_config = ConfigDict\(extra="forbid", str_strip_whitespace=True\)\n\n {4}reason: PlainStr \| None = None\n {4}notify: bool = True\n/,
    );
    expect(await read('app/core/errors.py')).toMatch(
      /class NotImplementedYetError\(AppError\):[\s\S]*HTTP_501_NOT_IMPLEMENTED/,
    );
    const test = await read('tests/orders/test_cancel_order.py');
    expect(test).toContain('assert response.status_code == 501');
    expect(test).toContain('async def test_cancel_order_needs_a_signed_in_user');
    await pythonIsClean();
  });

  test('a collection endpoint, a module endpoint, inferred names and statuses', async () => {
    const stats = await cli(
      'add',
      'endpoint',
      'order',
      'GET /api/v1/orders/stats',
      '--summary',
      'Totals of the orders',
      '--response',
      'OrderStats:count:int,total:decimal',
    );
    expect([stats.code, stats.err]).toEqual([0, '']);
    const daily = await cli(
      'add',
      'endpoint',
      'reports',
      'post /reports/daily/{day}',
      '--summary',
      'Start the daily report',
      '--status',
      '202',
    );
    expect([daily.code, daily.err]).toEqual([0, '']);
    const m = await manifest();
    expect(m.endpoints.map((e) => [e.name, e.method, e.status])).toEqual([
      ['cancel_order', 'POST', 200],
      ['get_orders_stats', 'GET', 200],
      ['daily_reports', 'POST', 202],
    ]);
    const router = await read('app/orders/router.py');
    // A literal segment is matched before {order_id}: stats is no order id.
    expect(router.indexOf('@router.get("/stats")')).toBeLessThan(
      router.indexOf('@router.get("/{order_id}")'),
    );
    const reports = await read('app/reports/router.py');
    expect(reports).toMatch(
      /@router\.post\("\/daily\/\{day\}", status_code=status\.HTTP_202_ACCEPTED\)\nasync def daily_reports\(\s*day: str, session: SessionDep, current_user: CurrentUser\s*\) -> None:/,
    );
    // The user's own route in the fixture's router is still there.
    expect(reports).toContain('@router.get("/daily")');
    await pythonIsClean();
  });

  test('remove endpoint takes its files and wiring away; an endpoint keeps its resource', async () => {
    const refused = await cli('remove', 'router', 'reports');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/module reports is used by the endpoint daily_reports/);
    const result = await cli(
      'remove',
      'endpoint',
      'reports',
      'POST /reports/daily/{day}',
      '--json',
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report.files.deleted).toEqual(
      expect.arrayContaining([
        'app/reports/operations/daily_reports.py',
        'tests/reports/test_daily_reports.py',
      ]),
    );
    expect(await read('app/reports/router.py')).not.toContain('daily_reports');
    expect((await manifest()).endpoints.map((e) => e.name)).toEqual([
      'cancel_order',
      'get_orders_stats',
    ]);
    await pythonIsClean();
  });
});

describe('a hand-written body is the user’s', () => {
  const file = endpointFiles({ name: 'cancel_order', target: { kind: 'resource', name: 'order' } });
  const body = [
    '    if order.status == "shipped":',
    '        raise ConflictError("a shipped order cannot be cancelled")  # mine',
    '    return order',
  ].join('\n');

  test('regenerate, add field and another add endpoint keep it, and say it is not a stub', async () => {
    const text = await read(file.operation);
    const edited = text
      .replace(/ {4}raise NotImplementedYetError\([^)]*\)\n/, `${body}\n`)
      .replace(
        'from app.core.errors import NotImplementedYetError',
        'from app.core.errors import ConflictError',
      );
    expect(edited).not.toBe(text);
    await fs.writeFile(path.join(project, file.operation), edited);
    for (const args of [
      ['regenerate'],
      ['add', 'field', 'order', 'priority:int:optional'],
      [
        'add',
        'endpoint',
        'orders',
        'POST /orders/{order_id}/ship',
        '--summary',
        'Ship a paid order',
      ],
      ['regenerate', 'orders'],
    ]) {
      const result = await cli(...args);
      expect([args.join(' '), result.code, result.err]).toEqual([args.join(' '), 0, '']);
      expect(result.out).not.toMatch(/CONFLICT/);
      expect(await read(file.operation)).toBe(edited);
    }
    expect(bodyState(await read(file.operation), { name: 'cancel_order' })).toBe('user');
    expect(
      bodyState(await read('app/orders/operations/ship_order.py'), { name: 'ship_order' }),
    ).toBe('stub');
    await pythonIsClean();
  });

  test('an untouched stub is rendered the same each time: regenerate leaves every file as it is', async () => {
    const before = await snapshot(project);
    const result = await cli('regenerate', '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report.files).toMatchObject({ created: [], updated: [], merged: [], conflicted: [] });
    expect(await snapshot(project)).toEqual(before);
  });
});

describe('--json', () => {
  test('a refused command prints a JSON error too, and exits 2', async () => {
    const result = await cli(
      'add',
      'endpoint',
      'nosuch',
      'GET /nosuch/x',
      '--summary',
      'x',
      '--json',
    );
    expect(result.code).toBe(2);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report).toMatchObject({ ok: false, command: 'add endpoint' });
    expect(report.error).toMatch(/no resource or router module "nosuch"/);
    expect(result.err.trim().split('\n')).toHaveLength(1);
  });

  test('a conflict: ok is false, the file is listed, exit 1', async () => {
    const schemas = 'app/orders/schemas.py';
    const text = await read(schemas);
    // Edit the very line the next field changes: the merge cannot take both.
    const edited = text.replace(
      /(class OrderCreate\(BaseModel\):[\s\S]*?)(\n\n\nclass)/,
      '$1\n    mine: int = 0$2',
    );
    expect(edited).not.toBe(text);
    await fs.writeFile(path.join(project, schemas), edited);
    const result = await cli('add', 'field', 'order', 'weight:int:optional', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as ChangeReport;
    expect(report.ok).toBe(false);
    expect(report.files.conflicted).toEqual([schemas]);
    expect(report.migrations).toEqual([
      expect.objectContaining({ upgrade: 'alembic upgrade head' }),
    ]);
    expect(report.nextSteps[0]).toBe(`resolve the conflict markers in ${schemas}`);
    expect(result.out.trim().startsWith('{')).toBe(true);
    await fs.writeFile(path.join(project, schemas), text);
  });

  test('create --json: the files, the post-steps and the next steps, nothing else on stdout', async () => {
    const io = fakeIo();
    const target = path.join(root, 'fresh');
    expect(await runCli([target, '--yes', '--no-install', '--no-git', '--json'], io)).toBe(0);
    const report = JSON.parse(io.out.join('')) as ChangeReport;
    expect(report).toMatchObject({ ok: true, command: 'create', project: target, postSteps: [] });
    expect(report.files.created).toEqual(
      expect.arrayContaining([
        'AGENTS.md',
        '.claude/agents/fastapi-backend-developer.md',
        '.claude/commands/add-resource.md',
        '.claude/commands/add-endpoint.md',
        '.claude/commands/fill.md',
        'app/main.py',
      ]),
    );
    expect(report.nextSteps).toEqual(expect.arrayContaining(['alembic upgrade head', 'pytest']));
    const agent = await fs.readFile(
      path.join(target, '.claude/agents/fastapi-backend-developer.md'),
      'utf8',
    );
    expect(agent.startsWith('---\nname: fastapi-backend-developer\n')).toBe(true);
    expect(agent).toContain('npx create-fastapi-agent add endpoint');
    expect(agent).toContain('--json');
  });

  test('.claude/ files are written once, then the user’s', async () => {
    const target = path.join(root, 'fresh');
    const command = path.join(target, '.claude/commands/add-resource.md');
    await fs.writeFile(command, 'mine\n');
    const io = fakeIo();
    expect(await runCli(['regenerate', '--project', target, '--json'], io)).toBe(0);
    expect(await fs.readFile(command, 'utf8')).toBe('mine\n');
  });
});

describe('bad input: one line, exit 2, nothing written', () => {
  const add = (target: string, route: string, ...rest: string[]): string[] => [
    'add',
    'endpoint',
    target,
    route,
    ...(rest.includes('--summary') ? [] : ['--summary', 'Do a thing']),
    ...rest,
  ];
  const cases: Array<[string, string[], RegExp]> = [
    // Clashes with the routes the generator writes, and with an endpoint.
    ['create route', add('orders', 'POST /orders'), /clashes with the create route of order/],
    ['list route', add('orders', 'GET /orders'), /clashes with the list route of order/],
    ['read route', add('orders', 'GET /orders/{order_id}'), /clashes with the read route/],
    [
      'update route, another name',
      add('orders', 'PATCH /orders/{ref}'),
      /clashes with the update route/,
    ],
    ['delete route', add('orders', 'DELETE /orders/{order_id}'), /clashes with the delete route/],
    [
      'module route',
      add('reports', 'GET /reports'),
      /clashes with the example endpoint of reports/,
    ],
    ['module task route', add('reports', 'POST /reports'), /clashes with the task's endpoint/],
    [
      'an endpoint',
      add('orders', 'POST /orders/{order_id}/cancel', '--name', 'other'),
      /clashes with the endpoint cancel_order/,
    ],
    [
      'an endpoint, another param',
      add('orders', 'POST /orders/{x}/cancel', '--name', 'other'),
      /clashes with the endpoint cancel_order/,
    ],
    [
      'same name',
      add('orders', 'POST /orders/{order_id}/void', '--name', 'cancel_order'),
      /already has an endpoint cancel_order/,
    ],
    // Where it goes.
    ['unknown resource', add('nosuch', 'GET /nosuch/x'), /no resource or router module "nosuch"/],
    ['a path as target', add('../orders', 'GET /orders/x'), /is not a resource or module name/],
    ['another prefix', add('orders', 'GET /customers/x'), /routes start with \/orders/],
    ['no slash', add('orders', 'GET orders/x'), /starts with \//],
    // Method and path.
    [
      'bad method',
      add('orders', 'FETCH /orders/x'),
      /method "FETCH" is not one of GET, POST, PUT, PATCH, DELETE/,
    ],
    ['no path', add('orders', 'POST'), /expected "METHOD \/path"/],
    ['three words', add('orders', 'POST /orders/x extra'), /expected "METHOD \/path"/],
    ['empty segment', add('orders', 'POST /orders//x'), /an empty segment/],
    ['trailing slash', add('orders', 'POST /orders/x/'), /no trailing \//],
    ['dot dot', add('orders', 'POST /orders/../x'), /neither a word/],
    ['query', add('orders', 'POST /orders/x?y=1'), /neither a word/],
    ['upper case', add('orders', 'POST /orders/Cancel'), /neither a word/],
    [
      'empty param',
      add('orders', 'POST /orders/{}/x'),
      /parameter \{\} is not a usable Python name/,
    ],
    ['kebab param', add('orders', 'POST /orders/{order-id}/x'), /is not a usable Python name/],
    ['digit param', add('orders', 'POST /orders/{1st}/x'), /is not a usable Python name/],
    [
      'keyword param',
      add('orders', 'POST /orders/{class}/x'),
      /a name the generated function uses or a Python builtin/,
    ],
    [
      'builtin param',
      add('orders', 'POST /orders/{id}/x'),
      /a name the generated function uses or a Python builtin/,
    ],
    [
      'local param',
      add('orders', 'POST /orders/{session}/x'),
      /a name the generated function uses/,
    ],
    ['injection param', add('orders', 'POST /orders/{x"}/y'), /is not a usable Python name/],
    ['twice', add('orders', 'POST /orders/{a}/x/{a}'), /appears twice/],
    [
      'row later',
      add('orders', 'POST /orders/x/{order_id}'),
      /names the row, right after \/orders/,
    ],
    [
      'long path',
      add(
        'orders',
        `POST /orders/${'a'.repeat(30)}/${'b'.repeat(30)}/${'c'.repeat(30)}/${'d'.repeat(10)}`,
      ),
      /at most 100 characters/,
    ],
    // Summary.
    ['no summary', ['add', 'endpoint', 'orders', 'POST /orders/x'], /--summary is required/],
    ['empty summary', add('orders', 'POST /orders/x', '--summary', ''), /summary: empty/],
    ['blank summary', add('orders', 'POST /orders/x', '--summary', ' \t '), /summary: empty/],
    [
      'control characters',
      add('orders', 'POST /orders/x', '--summary', 'a\u0000b'),
      /control or invisible/,
    ],
    [
      'bidi override',
      add('orders', 'POST /orders/x', '--summary', 'a\u202eb'),
      /control or invisible/,
    ],
    [
      'long summary',
      add('orders', 'POST /orders/x', '--summary', 'word '.repeat(70)),
      /at most 300 characters/,
    ],
    [
      'a giant word',
      add('orders', 'POST /orders/x', '--summary', 'x'.repeat(61)),
      /a word of more than 60/,
    ],
    // Status, bodies and names.
    [
      'status 500',
      add('orders', 'POST /orders/x', '--status', '500'),
      /--status "500": use 200, 201, 202, 204/,
    ],
    ['status text', add('orders', 'POST /orders/x', '--status', 'ok'), /--status "ok"/],
    [
      '204 with a body',
      add('orders', 'POST /orders/x', '--status', '204', '--response', 'order'),
      /204 answers no body/,
    ],
    [
      'GET with a body',
      add('orders', 'GET /orders/x', '--request', 'a:int'),
      /a GET request has no body/,
    ],
    [
      'unknown response',
      add('orders', 'POST /orders/x', '--response', 'nosuch'),
      /--response: no resource "nosuch"/,
    ],
    [
      'bad field type',
      add('orders', 'POST /orders/x', '--request', 'a:blob'),
      /unknown type "blob"/,
    ],
    [
      'unique in a body',
      add('orders', 'POST /orders/x', '--request', 'a:str:unique'),
      /"unique" applies to a table's fields/,
    ],
    [
      'ref to nothing',
      add('orders', 'POST /orders/x', '--request', 'a:ref(nosuch)'),
      /ref\(nosuch\) names no resource/,
    ],
    [
      'class taken',
      add('orders', 'POST /orders/x', '--request', 'OrderRead:a:int'),
      /a class of that name exists already/,
    ],
    [
      'schema name twice',
      add('orders', 'POST /orders/x', '--request', 'CancelRequest:a:int'),
      /a class of that name exists already/,
    ],
    [
      'bad class name',
      add('orders', 'POST /orders/x', '--request', 'Bad_Name:a:int'),
      /a class name in PascalCase/,
    ],
    ['no fields', add('orders', 'POST /orders/x', '--request', 'Empty:'), /no fields/],
    [
      'crud name',
      add('orders', 'POST /orders/x', '--name', 'create_order'),
      /a name the generated modules use/,
    ],
    [
      'a path as name',
      add('orders', 'POST /orders/x', '--name', '../../x'),
      /not a usable Python name/,
    ],
    [
      'long name',
      add('orders', 'POST /orders/x', '--name', 'a'.repeat(41)),
      /not a usable Python name/,
    ],
    // remove endpoint.
    [
      'remove nothing',
      ['remove', 'endpoint', 'orders', 'nosuch'],
      /no endpoint "nosuch" in orders; its endpoints: cancel_order/,
    ],
    [
      'remove a resource with endpoints',
      ['remove', 'resource', 'order'],
      /resource order is used by the endpoints cancel_order/,
    ],
  ];
  test.each(cases)('%s', async (_, args, message) => {
    const before = await snapshot(root);
    const result = await cli(...args);
    const lines = result.err.trim().split('\n');
    expect([args.join(' '), result.code]).toEqual([args.join(' '), 2]);
    expect(lines).toEqual([expect.stringMatching(message)]);
    expect(result.err).not.toMatch(/\n\s+at |Error: |node:internal/);
    expect(await snapshot(root)).toEqual(before);
  });
});
