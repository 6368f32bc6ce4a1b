/**
 * End to end: custom endpoints in a real project. A default project (JWT, items owned by users)
 * gets endpoints on the owned `items` (request and response schemas), on a `customers` resource
 * no user owns, and on a `reports` router module; every check of the project passes, the 501
 * tests included, and the served API has the routes. Then a body is written by hand (with its
 * own test instead of the 501 one): `regenerate`, `add field` and another `add endpoint` keep it,
 * and the checks still pass.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, jest, test } from '@jest/globals';
import { bodyState, spliceBody } from '../../src/core/endpoint-body.js';
import type { ChangeReport } from '../../src/commands/report.js';
import {
  expectOk,
  lintAndTypesPass,
  migrationsPass,
  projectForTests,
  pytestPasses,
  servedPaths,
} from '../helpers/generated.js';

jest.setTimeout(900_000);

describe('custom endpoints', () => {
  const shop = projectForTests('shop', [], null);
  const { cli, read, env } = shop;
  const write = (file: string, text: string): Promise<void> =>
    fs.writeFile(path.join(shop.dir, file), text);

  test('owned, not owned, on a module: stubs that answer 501 pass every check', async () => {
    const archive = await cli([
      'add',
      'endpoint',
      'items',
      'POST /items/{item_id}/archive',
      '--summary',
      'Archive an item: it stays readable, leaves the default list, and says until when',
      '--request',
      'ArchiveRequest:reason:text:optional,until:datetime,notify:bool:default=true',
      '--response',
      'item',
      '--json',
    ]);
    expectOk(archive);
    const report = JSON.parse(archive.stdout) as ChangeReport;
    expect(report.ok).toBe(true);
    expect(report.endpoints.map((e) => e.operation)).toEqual([
      'app/items/operations/archive_item.py',
    ]);

    expectOk(await cli(['add', 'resource', 'customer', '--fields', 'name:str,email:email:unique']));
    expectOk(
      await cli([
        'add',
        'endpoint',
        'customers',
        'GET /customers/stats',
        '--summary',
        'How many customers there are',
        '--response',
        'CustomerStats:total:int',
      ]),
    );
    expectOk(
      await cli([
        'add',
        'endpoint',
        'customers',
        'POST /customers/{customer_id}/merge/{other_id}',
        '--summary',
        'Merge another customer into this one',
        '--response',
        'customer',
      ]),
    );
    expectOk(await cli(['add', 'router', 'reports']));
    expectOk(
      await cli([
        'add',
        'endpoint',
        'reports',
        'POST /reports/daily',
        '--summary',
        'Queue the daily report',
        '--request',
        'kind:enum(full,short):default=full,site:url:optional,amount:decimal:min=0',
        '--status',
        '202',
      ]),
    );
    expectOk(await cli(['regenerate']));

    expect(await pytestPasses(shop.dir, env)).toBeGreaterThanOrEqual(100);
    await lintAndTypesPass(shop.dir);
    await migrationsPass(shop.dir, env);
    expect(await servedPaths(shop.dir, env)).toEqual(
      expect.arrayContaining([
        '/api/v1/items/{item_id}/archive',
        '/api/v1/customers/stats',
        '/api/v1/customers/{customer_id}/merge/{other_id}',
        '/api/v1/reports/daily',
      ]),
    );
  });

  test('a body written by hand survives regenerate, add field and add endpoint', async () => {
    const operation = 'app/customers/operations/get_customers_stats.py';
    const stub = await read(operation);
    expect(bodyState(stub, { name: 'get_customers_stats' })).toBe('stub');
    const body = [
      'total = await session.scalar(select(func.count()).select_from(Customer))',
      'return CustomerStats(total=total or 0)',
    ].join('\n');
    const written = spliceBody(stub, { name: 'get_customers_stats' }, body)
      .replace(
        'from app.core.errors import NotImplementedYetError\n',
        'from sqlalchemy import func, select\n\n',
      )
      .replace(
        'from app.customers.schemas import',
        'from app.customers.models import Customer\nfrom app.customers.schemas import',
      );
    await write(operation, written);
    // Its test now says what it does, instead of pinning the 501.
    const testFile = 'tests/customers/test_get_customers_stats.py';
    await write(
      testFile,
      [
        '"""Tests of GET /api/v1/customers/stats."""',
        '',
        'from httpx import AsyncClient',
        '',
        '',
        'async def test_counts_the_customers(user_client: AsyncClient) -> None:',
        '    for name in ("a", "b"):',
        '        response = await user_client.post(',
        '            "/api/v1/customers", json={"name": name, "email": f"{name}@example.com"}',
        '        )',
        '        assert response.status_code == 201, response.text',
        '',
        '    response = await user_client.get("/api/v1/customers/stats")',
        '',
        '    assert response.status_code == 200, response.text',
        '    assert response.json() == {"total": 2}',
        '',
      ].join('\n'),
    );
    for (const args of [
      ['regenerate'],
      ['add', 'field', 'customer', 'note:text:optional'],
      [
        'add',
        'endpoint',
        'customers',
        'POST /customers/{customer_id}/notify',
        '--summary',
        'Send the customer a note',
      ],
      ['regenerate', 'customers'],
    ]) {
      const result = await cli(args);
      expectOk(result);
      expect(result.stdout).not.toMatch(/CONFLICT/);
      expect(await read(operation)).toBe(written);
    }
    expect(await read(testFile)).toContain('test_counts_the_customers');
    expect(bodyState(await read(operation), { name: 'get_customers_stats' })).toBe('user');
    expect(await pytestPasses(shop.dir, env)).toBeGreaterThanOrEqual(100);
    await lintAndTypesPass(shop.dir);
    await migrationsPass(shop.dir, env);
  });
});
