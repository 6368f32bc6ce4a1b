/**
 * End to end: a default project grows. Three resources are added (one referencing another), the
 * user edits generated files, fields change (with `add field`, and by editing the manifest and
 * running `regenerate`), and after each step the project's own checks pass, on SQLite and on
 * PostgreSQL. Router, service, task and websocket modules join in, and the checks pass again. A
 * conflicting edit ends in markers in that file only, and exit code 1.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, jest, test } from '@jest/globals';
import {
  expectOk,
  lintAndTypesPass,
  projectForTests,
  migrationsPass,
  pytestPasses,
  reinstall,
  servedPaths,
  type ServerDb,
} from '../helpers/generated.js';
import { run } from '../helpers/process.js';

jest.setTimeout(900_000);

const RESOURCES: Array<[string, string]> = [
  ['customer', 'name:str:unique,email:email:unique,tier:enum(basic,gold):default=basic'],
  [
    'Orders',
    'number:str:unique,total:decimal:min=0,status:enum(pending,paid,shipped):default=pending,placed_at:datetime,customer:ref(customer):reverse',
  ],
  ['product', 'sku:str:unique:max=32,price:decimal:min=0,in_stock:bool:default=true'],
];

describe.each<{ label: string; server: ServerDb | null }>([
  { label: 'SQLite', server: null },
  { label: 'PostgreSQL', server: 'postgresql' },
  { label: 'MariaDB', server: 'mysql' },
])('a project grows: $label', ({ server }) => {
  const shop = projectForTests('shop', [], server);
  const { cli, read, env } = shop;

  test('three resources, one referencing another: every check passes', async () => {
    for (const [name, fields] of RESOURCES)
      expectOk(await cli(['add', 'resource', name, '--fields', fields]));
    for (const module of ['customers', 'orders', 'products']) {
      for (const file of ['router', 'schemas', 'models', 'service', 'dependencies']) {
        await expect(
          fs.access(path.join(shop.dir, 'app', module, `${file}.py`)),
        ).resolves.toBeUndefined();
      }
    }
    const migrations = await fs.readdir(path.join(shop.dir, 'migrations', 'versions'));
    expect(migrations.filter((f) => f.endsWith('.py')).sort()).toEqual([
      '0001_initial.py',
      '0002_add_customers.py',
      '0003_add_orders.py',
      '0004_add_products.py',
    ]);
    expect(await pytestPasses(shop.dir, env)).toBeGreaterThanOrEqual(40);
    await lintAndTypesPass(shop.dir);
    await migrationsPass(shop.dir, env);
    expect(await servedPaths(shop.dir, env)).toEqual(
      expect.arrayContaining([
        '/api/v1/customers',
        '/api/v1/orders',
        '/api/v1/products/{product_id}',
      ]),
    );
  });

  test('user edits survive add field and a manifest edit with regenerate', async () => {
    const service = 'app/orders/service.py';
    const mine =
      '\n\nasync def count_large_orders() -> int:\n    """Written by the user."""\n    return 0\n';
    await fs.writeFile(path.join(shop.dir, service), `${await read(service)}${mine}`);
    const router = 'app/orders/router.py';
    const routerText = await read(router);
    const firstDocstring = /"""[^"\n]+"""/.exec(routerText)?.[0];
    expect(firstDocstring).toBeDefined();
    await fs.writeFile(
      path.join(shop.dir, router),
      routerText.replace(firstDocstring as string, '"""Edited by the user."""'),
    );

    expectOk(await cli(['add', 'field', 'order', 'note:text:optional']));
    const manifestFile = path.join(shop.dir, '.fastapi-agent', 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
    const product = manifest.resources.find((r: { name: string }) => r.name === 'product');
    product.fields.push({
      name: 'priority',
      type: 'int',
      required: true,
      unique: false,
      index: false,
      default: '0',
    });
    await fs.writeFile(manifestFile, JSON.stringify(manifest, null, 2));
    expectOk(await cli(['regenerate']));

    expect(await read(service)).toContain('async def count_large_orders() -> int:');
    expect(await read(router)).toContain('"""Edited by the user."""');
    expect(await read('app/orders/schemas.py')).toMatch(/\bnote\b/);
    expect(await read('app/products/models.py')).toMatch(/\bpriority\b/);
    expect(await pytestPasses(shop.dir, env)).toBeGreaterThanOrEqual(40);
    await lintAndTypesPass(shop.dir);
    await migrationsPass(shop.dir, env);
  });

  test('smaller modules share a package, wire in, and pass every check', async () => {
    let last = '';
    for (const kind of ['router', 'service', 'task', 'websocket']) {
      const added = await cli(['add', kind, 'reports']);
      expectOk(added);
      last = added.stdout;
    }
    expectOk(await cli(['add', 'websocket', 'chat']));
    // The websocket tests need httpx-ws: the CLI says so, and the user installs again.
    expect(last).toMatch(/pyproject\.toml now requires httpx-ws>=/);
    await reinstall(shop.dir);
    expect(await read('app/reports/router.py')).toMatch(/service: ReportsServiceDep/);
    expect(await pytestPasses(shop.dir, env)).toBeGreaterThanOrEqual(50);
    await lintAndTypesPass(shop.dir);
    // No table changed: no revision, and alembic check still sees no drift.
    expect(await fs.readdir(path.join(shop.dir, 'migrations', 'versions'))).not.toContain(
      expect.stringMatching(/reports|chat/),
    );
    await migrationsPass(shop.dir, env);
    expect(await servedPaths(shop.dir, env)).toContain('/api/v1/reports');
  });

  test('a conflicting edit: markers in that file only, listed, exit 1', async () => {
    expectOk(await run('git', ['add', '--all'], { cwd: shop.dir }));
    expectOk(
      await run(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'grown'],
        { cwd: shop.dir },
      ),
    );
    const schemas = 'app/products/schemas.py';
    const edited = (await read(schemas)).replace(/^(.*\bpriority\b.*)$/gm, '$1  # user edit');
    await fs.writeFile(path.join(shop.dir, schemas), edited);
    const result = await cli(['add', 'field', 'product', 'weight:float:optional']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/conflicts to resolve: app\/products\/schemas\.py/);
    expect(await read(schemas)).toMatch(/^<<<<<<< yours$/m);
    const grep = await run(
      'grep',
      ['-rl', '--exclude-dir=.venv', '--exclude-dir=.git', '^<<<<<<< yours$', '.'],
      { cwd: shop.dir },
    );
    expect(grep.stdout.trim().split('\n')).toEqual([`./${schemas}`]);
    // Only the product's files, its migration and the shop.dir's state changed.
    const status = await run('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: shop.dir,
    });
    for (const line of status.stdout.split('\n').filter(Boolean)) {
      expect(line.slice(3)).toMatch(
        /^(app\/products\/|tests\/test_products\.py$|migrations\/versions\/\d{4}_\w+\.py$|\.fastapi-agent\/)/,
      );
    }
  });
});
