/** The smaller modules: names, rendering with the real templates, and add/remove on disk. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { manifestFor, parseManifest, MANIFEST_PATH } from '../../src/core/manifest.js';
import {
  checkModules,
  normaliseModuleName,
  type ModuleKind,
  type ModuleSpec,
} from '../../src/core/modules.js';
import { renderProject } from '../../src/core/render.js';
import { exampleResources } from '../../src/core/spec.js';
import { pythonDependencies } from '../../src/core/versions.js';
import { PRECOMPILED_TEMPLATES, TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadTemplates } from '../../src/io/templates.js';
import { fakeIo } from '../helpers/cli.js';
import { testSpec } from '../helpers/spec.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';

const python = await loadPythonFormatter();

const templates = await loadTemplates(TEMPLATES_DIR, PRECOMPILED_TEMPLATES);
const existing = { modules: [] as ModuleSpec[], resources: exampleResources(true), jwt: true };

describe('module names', () => {
  test.each([
    ['reports', 'reports'],
    ['Reports', 'reports'],
    ['daily-reports', 'daily_reports'],
    ['DailyReports', 'daily_reports'],
    // No plural is made: the name is the package.
    ['person', 'person'],
  ])('%s -> app/%s/', (raw, name) => {
    expect(normaliseModuleName('router', raw, existing)).toBe(name);
  });

  test.each([
    ['class', /"class" is a Python keyword or a name the project uses/],
    ['import', /Python keyword/],
    ['auth', /name the project uses/],
    ['users', /app\/users is the users package of JWT auth/],
    ['items', /app\/items is the package of the resource item/],
    ['app/reports', /a name, not a path/],
    ['..', /a name, not a path/],
    ['9lives', /starting with a letter/],
    ['x'.repeat(41), /not a usable Python name/],
  ])('%s is refused', (raw, message) => {
    expect(() => normaliseModuleName('router', raw, existing)).toThrow(message);
  });

  test('one module of each kind per name; kinds share a name', () => {
    const modules: ModuleSpec[] = [{ kind: 'router', name: 'reports' }];
    expect(() => normaliseModuleName('router', 'reports', { ...existing, modules })).toThrow(
      /already has router reports/,
    );
    expect(normaliseModuleName('service', 'reports', { ...existing, modules })).toBe('reports');
  });

  test('a hand-edited manifest gets the same checks', () => {
    const items = exampleResources(false);
    expect(() => checkModules([{ kind: 'task', name: 'items' }], items, false)).toThrow(
      /task items: app\/items is the package of the resource item/,
    );
    expect(() =>
      checkModules(
        [
          { kind: 'task', name: 'mail' },
          { kind: 'task', name: 'mail' },
        ],
        items,
        false,
      ),
    ).toThrow(/task mail is declared twice/);
    expect(() => checkModules([{ kind: 'task', name: 'Mail Box' }], items, false)).toThrow(
      /not a usable Python name/,
    );
  });

  const manifestOf = (changes: Record<string, unknown>) => {
    return JSON.stringify({ ...manifestFor(testSpec(), 'create-fastapi-agent'), ...changes });
  };

  test('a manifest with an unknown module kind is refused', () => {
    const text = manifestOf({ modules: [{ kind: 'controller', name: 'reports' }] });
    expect(() => parseManifest(text, MANIFEST_PATH)).toThrow(
      /modules\[0\]: needs "name" and a "kind" among router, service, task, websocket/,
    );
  });

  test("a hand-edited manifest's fields get the checks of add field", () => {
    const status = { name: 'status', type: 'enum', values: ['a', 'b'], required: true };
    const resources = [{ name: 'ticket', owned: false, fields: [{ ...status, unique: true }] }];
    expect(() => parseManifest(manifestOf({ resources }), MANIFEST_PATH)).toThrow(
      /resources\[0\]\.fields\[0\]: field status: an enum field cannot be unique/,
    );
    // What the migrations left is history, not a declaration: it is not refused.
    expect(() =>
      parseManifest(manifestOf({ migratedResources: resources }), MANIFEST_PATH),
    ).not.toThrow();
  });
});

describe('rendering modules', () => {
  const render = (modules: ModuleSpec[], auth: string[] = ['jwt']) =>
    renderProject({ ...testSpec({ auth }), modules }, templates, python);

  test('each kind writes its file and tests into the shared package', () => {
    const tree = render([
      { kind: 'router', name: 'reports' },
      { kind: 'service', name: 'reports' },
      { kind: 'task', name: 'reports' },
      { kind: 'websocket', name: 'reports' },
    ]);
    const files = [...tree.keys()].filter((f) => f.includes('reports'));
    expect(files).toEqual([
      'app/reports/__init__.py',
      'app/reports/dependencies.py',
      'app/reports/router.py',
      'app/reports/schemas.py',
      'app/reports/service.py',
      'app/reports/tasks.py',
      'app/reports/websocket.py',
      'tests/test_reports_router.py',
      'tests/test_reports_service.py',
      'tests/test_reports_tasks.py',
      'tests/test_reports_websocket.py',
    ]);
    const api = tree.get('app/api/router.py') ?? '';
    expect(api).toMatch(/^api_router\.include_router\(reports_router\)$/m);
    expect(api).toMatch(/^api_router\.include_router\(reports_websocket_router\)$/m);
    expect(api).toMatch(/^from app\.reports\.websocket import websocket_router as reports/m);
    expect(api).toMatch(/\{"name": "reports", "description": /);
    // The router calls the package's service and starts its task.
    const router = tree.get('app/reports/router.py') ?? '';
    expect(router).toMatch(/service: ReportsServiceDep/);
    expect(router).toMatch(/background_tasks\.add_task\(run_reports\)/);
    // WebSocket clients authenticate with a token; the dependency exists only when needed.
    expect(tree.get('app/auth/dependencies.py')).toMatch(/^WebSocketUser = /m);
  });

  test('a router alone answers by itself, and nothing else is added', () => {
    const tree = render([{ kind: 'router', name: 'reports' }]);
    const router = tree.get('app/reports/router.py') ?? '';
    expect(router).not.toMatch(/Service|BackgroundTasks|run_reports/);
    expect(router).toMatch(/return ReportsMessage\(message="ready"\)/);
    expect(tree.has('app/reports/dependencies.py')).toBe(false);
    expect(tree.get('app/auth/dependencies.py')).not.toMatch(/WebSocket/);
    expect(render([]).get('app/api/router.py')).not.toMatch(/reports/);
  });

  test('without auth, routers and channels are open', () => {
    const tree = render(
      [
        { kind: 'router', name: 'reports' },
        { kind: 'websocket', name: 'chat' },
      ],
      ['none'],
    );
    expect(tree.get('app/reports/router.py')).not.toMatch(/get_current_user/);
    expect(tree.get('app/chat/websocket.py')).not.toMatch(/WebSocketUser/);
    expect(tree.has('app/auth/dependencies.py')).toBe(false);
  });

  test('httpx-ws is a dev dependency only with a websocket module', () => {
    const options = testSpec().options;
    const withKind = (kind: ModuleKind) =>
      pythonDependencies(options, [], [{ kind, name: 'x' }]).devDependencies.join(' ');
    expect(withKind('websocket')).toMatch(/httpx-ws>=/);
    expect(withKind('router')).not.toMatch(/httpx-ws/);
  });
});

describe('add and remove modules in a project', () => {
  let root: string;
  let project: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-modules-'));
    project = path.join(root, 'shop');
    expect(await runCli([project, '--yes', '--no-install', '--no-git'], fakeIo())).toBe(0);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  const read = (file: string) => fs.readFile(path.join(project, file), 'utf8');
  const cli = async (...args: string[]) => {
    const io = fakeIo();
    const code = await runCli([...args, '--project', project], io);
    return { code, out: io.out.join(''), err: io.err.join('') };
  };

  test('add router, then add service: the router is merged with your edit and calls it', async () => {
    expect((await cli('add', 'router', 'Reports')).code).toBe(0);
    const router = await read('app/reports/router.py');
    expect(await read('app/api/router.py')).toMatch(/include_router\(reports_router\)/);
    // A user's endpoint, added below the example.
    const mine = '\n\n@router.get("/mine")\nasync def mine() -> dict[str, str]:\n    return {}\n';
    await fs.writeFile(path.join(project, 'app/reports/router.py'), router + mine);

    const added = await cli('add', 'service', 'reports');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/merged\s+app\/reports\/router\.py \(your edits kept\)/);
    const merged = await read('app/reports/router.py');
    expect(merged).toContain(mine);
    expect(merged).toMatch(/service: ReportsServiceDep/);
    expect(await read('app/reports/service.py')).toMatch(/^class ReportsService:/m);
    const manifest = JSON.parse(await read(MANIFEST_PATH)) as { modules: ModuleSpec[] };
    expect(manifest.modules).toEqual([
      { kind: 'router', name: 'reports' },
      { kind: 'service', name: 'reports' },
    ]);
    // No schema change: no migration.
    expect(added.out).not.toMatch(/migration/);
  });

  test('add websocket says to install the project again', async () => {
    const added = await cli('add', 'websocket', 'chat');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(
      /pyproject\.toml now requires httpx-ws>=[^:]+: install the project again/,
    );
    expect(await read('pyproject.toml')).toMatch(/"httpx-ws>=/);
    // A second module of a kind it already has adds no requirement.
    expect((await cli('add', 'websocket', 'alerts')).out).not.toMatch(/now requires/);
  });

  test('remove: files and wiring go; an edited file stays without --force', async () => {
    await cli('add', 'task', 'emails');
    await cli('add', 'router', 'emails');
    expect(await read('app/emails/router.py')).toMatch(/run_emails/);
    await fs.appendFile(path.join(project, 'app/emails/tasks.py'), '\n# mine\n');

    const removed = await cli('remove', 'task', 'emails');
    expect(removed.code).toBe(0);
    expect(await read('app/emails/tasks.py')).toMatch(/# mine/);
    expect(removed.out).toMatch(/kept\s+app\/emails\/tasks\.py/);
    await expect(read('tests/test_emails_tasks.py')).rejects.toThrow(/ENOENT/);
    expect(await read('app/emails/router.py')).not.toMatch(/run_emails/);

    await cli('remove', 'router', 'emails');
    await expect(read('app/emails/router.py')).rejects.toThrow(/ENOENT/);
    expect(await read('app/api/router.py')).not.toMatch(/emails/);
  });

  test.each([
    [['add', 'router', 'class'], /router name "class": "class" is a Python keyword/],
    [['add', 'service', 'items'], /app\/items is the package of the resource item/],
    [['add', 'task', 'a/b'], /a name, not a path/],
    [['remove', 'router', 'nope'], /no router "nope" in this project; routers: none/],
  ])('%j is one clear line, exit 2, nothing written', async (args, message) => {
    const before = await read(MANIFEST_PATH);
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(message);
    expect(await read(MANIFEST_PATH)).toBe(before);
  });

  test('a resource cannot take a module package', async () => {
    await cli('add', 'router', 'orders');
    const result = await cli('add', 'resource', 'order', '--fields', 'number:str');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /resource name "order": app\/orders is the package of the router module orders/,
    );
  });

  test('regenerate NAME covers a module package and its tests, nothing else', async () => {
    await cli('add', 'router', 'reports');
    for (const file of [
      'app/reports/schemas.py',
      'tests/test_reports_router.py',
      'app/items/service.py',
    ])
      await fs.rm(path.join(project, file));
    const result = await cli('regenerate', 'reports', '--recreate-deleted');
    expect(result.code).toBe(0);
    expect(await read('app/reports/schemas.py')).toMatch(/class ReportsMessage/);
    expect(await read('tests/test_reports_router.py')).toMatch(/async def test_read_reports/);
    await expect(read('app/items/service.py')).rejects.toThrow(/ENOENT/);
  });

  test('removing the example resource leaves no test that needs it', async () => {
    expect(await read('tests/test_health.py')).toMatch(/"\/api\/v1\/items" in schema/);
    expect((await cli('remove', 'resource', 'item')).code).toBe(0);
    const health = await read('tests/test_health.py');
    expect(health).not.toMatch(/items/);
    expect(health).toMatch(/"\/health" in schema\["paths"\]/);
  });

  test('add outside a project is a clear error', async () => {
    const io = fakeIo();
    expect(await runCli(['add', 'router', 'reports', '--project', root], io)).toBe(2);
    expect(io.err.join('')).toMatch(/not inside a project made by create-fastapi-agent/);
  });
});
