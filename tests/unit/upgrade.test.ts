/**
 * A project made by release 0.1.0 (tests/fixtures/projects/shop-0.1.0: resources with references,
 * a router and a service, and edits of its user) keeps growing with this release.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { MANIFEST_PATH, MANIFEST_VERSION, parseManifest } from '../../src/core/manifest.js';
import { loadPythonFormatter, loadPythonLinter } from '../../src/io/ruff.js';
import { fakeIo } from '../helpers/cli.js';

const FIXTURE = path.resolve('tests/fixtures/projects/shop-0.1.0');
const python = await loadPythonFormatter();
const linter = await loadPythonLinter();

let dir: string;
// The project sits alone in a folder of its own: a test can see anything written beside it.
beforeEach(async () => {
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-upgrade-')), 'shop');
  await fs.cp(FIXTURE, dir, { recursive: true });
});
afterEach(async () => {
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
});

const read = (file: string): Promise<string> => fs.readFile(path.join(dir, file), 'utf8');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIo();
  const code = await runCli([...args, '--project', dir], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

async function pythonFiles(): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => !f.startsWith('.fastapi-agent'));
}

/** The lines the user wrote in the fixture, each of which must survive. */
const USER_LINES: Array<[string, string]> = [
  ['app/orders/service.py', '    # Shipped orders are kept for the accounts (a user edit).'],
  ['app/orders/service.py', '        raise ConflictError("a shipped order cannot be deleted")'],
  ['app/reports/router.py', '@router.get("/daily")'],
  ['app/reports/router.py', '    return {"report": "daily"}'],
  ['app/mine.py', 'ANSWER = 42'],
];

describe('a project made by 0.1.0', () => {
  test('its manifest is version 1, with the generating machine’s path of the guidance file', async () => {
    const raw = JSON.parse(await read(MANIFEST_PATH)) as Record<string, unknown>;
    expect(raw.manifestVersion).toBe(1);
    expect((raw.agent as { path: string }).path).toMatch(/^\//);
  });

  test('regenerate upgrades the manifest, updates what the user left alone, keeps every line they wrote', async () => {
    const mine = await read('app/mine.py');
    const result = await cli('regenerate');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      `upgraded ${MANIFEST_PATH} from manifest version 1 to ${MANIFEST_VERSION}`,
    );
    expect(result.out).not.toMatch(/CONFLICT/);
    for (const [file, line] of USER_LINES) expect(await read(file)).toContain(line);
    expect(await read('app/mine.py')).toBe(mine);
    // Files the user edited are merged or kept, never overwritten.
    expect(result.out).not.toMatch(/^updated\s+app\/(?:orders\/service|reports\/router)\.py/m);

    const { manifest, upgradedFrom } = parseManifest(await read(MANIFEST_PATH), MANIFEST_PATH);
    expect(upgradedFrom).toBeNull();
    expect(manifest.agent).toEqual({
      name: 'fastapi-backend-developer',
      path: 'AGENTS.md',
      source: 'fastapi-backend-developer.md',
    });
    expect(manifest.resources.map((r) => r.name)).toEqual(['item', 'customer', 'order']);
    expect(manifest.modules).toEqual([
      { kind: 'router', name: 'reports' },
      { kind: 'service', name: 'reports' },
    ]);
  });

  test('add field writes a migration after the old ones and merges into the edited module', async () => {
    const result = await cli('add', 'field', 'order', 'priority:int:optional:min=0');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch('migrations/versions/0004_add_orders_priority.py');
    expect(result.out).not.toMatch(/CONFLICT/);
    for (const [file, line] of USER_LINES) expect(await read(file)).toContain(line);
    expect(await read('app/orders/models.py')).toMatch(/priority: Mapped\[int \| None\]/);
    const migration = await read('migrations/versions/0004_add_orders_priority.py');
    expect(migration).toMatch(/down_revision: str \| Sequence\[str\] \| None = "0003"/);

    // Every Python file parses, is canonical, and passes the project's lint rules.
    for (const file of await pythonFiles()) {
      const content = await read(file);
      expect([file, python.format(content, file) === content]).toEqual([file, true]);
      expect([file, linter.check(content, file).map((d) => d.code)]).toEqual([file, []]);
    }

    // A second command on the upgraded project is a plain one.
    const again = await cli(
      'add',
      'resource',
      'coupon',
      '--fields',
      'code:str:unique,order:ref(order)',
    );
    expect(again.code).toBe(0);
    expect(again.out).not.toMatch(/upgraded|CONFLICT/);
    expect(again.out).toMatch('migrations/versions/0005_add_coupons.py');
  });

  test('a dry run upgrades nothing on disk', async () => {
    const manifest = await read(MANIFEST_PATH);
    const result = await cli('regenerate', '--dry-run');
    expect(result.code).toBe(0);
    expect(await read(MANIFEST_PATH)).toBe(manifest);
  });
});

/** Every file under `root` with its content: what a refused command must leave as it was. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return new Map(
    await Promise.all(files.map(async (f) => [f, await fs.readFile(f, 'latin1')] as const)),
  );
}

describe('a hand-edited manifest is refused before anything is written', () => {
  const edits: Array<[string, (m: Record<string, unknown>) => void]> = [
    ['a resource named like a path', (m) => (order(m).name = '../../victim')],
    ['a longer path', (m) => (order(m).name = '../../../../../../tmp/cfa-victim')],
    [
      'a field name that runs code',
      (m) => ((fieldsOf(m)[0] as Record<string, unknown>).name = '__import__("os").system("id")'),
    ],
    ['owned as a string', (m) => (order(m).owned = 'yes')],
    ['auth as a string', (m) => ((m.options as Record<string, unknown>).auth = 'jwt')],
    ['a duplicated resource', (m) => resourcesOf(m).push(order(m))],
    ['a module named like a path', (m) => (m.modules = [{ kind: 'router', name: '../../x' }])],
  ];
  const resourcesOf = (m: Record<string, unknown>) => m.resources as Array<Record<string, unknown>>;
  const order = (m: Record<string, unknown>) => resourcesOf(m)[1] as Record<string, unknown>;
  const fieldsOf = (m: Record<string, unknown>) =>
    order(m).fields as Array<Record<string, unknown>>;

  test.each(edits)('%s: regenerate and add field exit 2 with one line', async (_, edit) => {
    const manifest = JSON.parse(await read(MANIFEST_PATH)) as Record<string, unknown>;
    edit(manifest);
    await fs.writeFile(path.join(dir, MANIFEST_PATH), JSON.stringify(manifest));
    const parent = path.dirname(dir);
    const before = await snapshot(dir);
    const outside = (await fs.readdir(parent)).sort();
    for (const args of [['regenerate'], ['add', 'field', 'customer', 'note:text:optional']]) {
      const result = await cli(...args);
      expect(result.code).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).toMatch(/manifest\.json: /);
      expect(result.err).not.toMatch(/\bat .*\.(?:ts|js):\d+/);
    }
    expect(await snapshot(dir)).toEqual(before);
    expect((await fs.readdir(parent)).sort()).toEqual(outside);
  });
});

describe('regenerate names what it updates', () => {
  test.each(['nosuch', '../../etc', '/etc/passwd', 'orders/../..', ''])(
    'regenerate %j: exit 2, one line naming what there is',
    async (name) => {
      const before = await snapshot(dir);
      const result = await cli('regenerate', name);
      expect(result.code).toBe(2);
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.err).toMatch(
        /no resource or module .* in this project; there are items, customers, orders, reports/,
      );
      expect(await snapshot(dir)).toEqual(before);
    },
  );

  test.each(['orders', 'order', 'Order', 'reports'])('regenerate %s: exit 0', async (name) => {
    const result = await cli('regenerate', name);
    expect([result.code, result.err]).toEqual([0, '']);
  });

  test('a flag given twice to a grow command', async () => {
    const result = await cli('add', 'resource', 'coupon', '--fields', 'a:str', '--fields', 'b:str');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--fields is given more than once/);
  });
});

test('flipping "owned" of a resource whose table exists is refused, nothing written', async () => {
  const manifest = JSON.parse(await read(MANIFEST_PATH)) as {
    resources: Array<{ name: string; owned: boolean }>;
  };
  const customer = manifest.resources.find((r) => r.name === 'customer');
  if (!customer) throw new Error('the fixture has a customer resource');
  customer.owned = true;
  await fs.writeFile(path.join(dir, MANIFEST_PATH), JSON.stringify(manifest));
  const before = await snapshot(dir);
  const result = await cli('regenerate');
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/resource customer: "owned" cannot change once its table exists/);
  expect(await snapshot(dir)).toEqual(before);
});

test('changing the uniqueness of a resource whose table exists is refused, nothing written', async () => {
  const manifest = JSON.parse(await read(MANIFEST_PATH)) as {
    resources: Array<{ name: string; uniqueness?: string }>;
  };
  const item = manifest.resources.find((r) => r.name === 'item');
  if (!item) throw new Error('the fixture has an item resource');
  item.uniqueness = 'owner';
  await fs.writeFile(path.join(dir, MANIFEST_PATH), JSON.stringify(manifest));
  const before = await snapshot(dir);
  const result = await cli('regenerate');
  expect(result.code).toBe(2);
  expect(result.err).toMatch(/resource item: "uniqueness" cannot change once its table exists/);
  expect(await snapshot(dir)).toEqual(before);
});

test('a project made by 0.1.0 keeps its items unique across users; a new project scopes them per user', async () => {
  expect(await cli('regenerate')).toMatchObject({ code: 0 });
  expect(await read('app/items/models.py')).not.toMatch(/UniqueConstraint\("owner_id"/);
  const fresh = path.join(path.dirname(dir), 'fresh');
  const io = fakeIo();
  expect(await runCli([fresh, '--yes', '--no-install', '--no-git'], io)).toBe(0);
  const models = await fs.readFile(path.join(fresh, 'app/items/models.py'), 'utf8');
  expect(models).toMatch(/__table_args__ = \(UniqueConstraint\("owner_id", "name"\),\)/);
});
