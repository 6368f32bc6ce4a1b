/**
 * End to end: `fill` in a real, installed project, against the fake provider server. Three custom
 * endpoints: two get good bodies and tests (checked by format, Ruff, mypy and pytest in a copy of
 * the project before they are kept); the third gets a body mypy refuses, twice, so it stays the
 * stub and the report says why. Then every check of the project passes: pytest (the model's tests
 * and the stub's 501 test), Ruff, and mypy --strict.
 */
import { describe, expect, jest, test } from '@jest/globals';
import { bodyState } from '../../src/core/endpoint-body.js';
import type { ChangeReport } from '../../src/commands/report.js';
import { pythonReply, startFakeLlm, type FakeReply } from '../helpers/fake-llm/index.js';
import { expectOk, lintAndTypesPass, projectForTests, pytestPasses } from '../helpers/generated.js';
import { runCliProcess } from '../helpers/process.js';

jest.setTimeout(900_000);

const KEY = 'sk-ant-e2e-fill-key-0000000000';

const block = (code: string): string => `\`\`\`python\n${code}\n\`\`\``;
const reply = (body: string, tests: string[]): FakeReply => ({
  text: `The body, then its tests.\n\n${block(body)}\n\n${block(tests.join('\n'))}\n`,
});

const COUNT = reply(
  [
    'from sqlalchemy import func, select',
    '',
    'from app.users.models import User',
    '',
    'total = await session.scalar(select(func.count()).select_from(User))',
    'return Count(total=total or 0)',
  ].join('\n'),
  [
    '"""Tests of GET /api/v1/reports/count."""',
    '',
    'from httpx import AsyncClient',
    '',
    '',
    'async def test_get_reports_count_counts_the_users(user_client: AsyncClient) -> None:',
    '    response = await user_client.get("/api/v1/reports/count")',
    '',
    '    assert response.status_code == 200, response.text',
    '    assert response.json()["total"] >= 1',
    '',
    '',
    'async def test_get_reports_count_needs_a_signed_in_user(client: AsyncClient) -> None:',
    '    response = await client.get("/api/v1/reports/count")',
    '',
    '    assert response.status_code == 401',
  ],
);

const ARCHIVE = reply(
  [
    'item.description = "archived"',
    'await session.commit()',
    'await session.refresh(item)',
    'return item',
  ].join('\n'),
  [
    '"""Tests of POST /api/v1/items/{item_id}/archive."""',
    '',
    'from httpx import AsyncClient',
    '',
    'from tests.test_items import create',
    '',
    '',
    'async def test_archive_item_marks_it_archived(user_client: AsyncClient) -> None:',
    '    row = await create(user_client)',
    '',
    '    response = await user_client.post(f"/api/v1/items/{row[\'id\']}/archive")',
    '',
    '    assert response.status_code == 200, response.text',
    '    assert response.json()["description"] == "archived"',
    '',
    '',
    'async def test_archive_item_needs_a_signed_in_user(client: AsyncClient) -> None:',
    '    response = await client.post("/api/v1/items/1/archive")',
    '',
    '    assert response.status_code == 401',
  ],
);

/** Passes Ruff, fails mypy: a function that returns None returns a value. */
const BAD = reply('return 1', [
  'from httpx import AsyncClient',
  '',
  '',
  'async def test_rebuild_reports_answers_204(user_client: AsyncClient) -> None:',
  '    response = await user_client.post("/api/v1/reports/rebuild")',
  '',
  '    assert response.status_code == 204',
  '',
  '',
  'async def test_rebuild_reports_needs_a_signed_in_user(client: AsyncClient) -> None:',
  '    response = await client.post("/api/v1/reports/rebuild")',
  '',
  '    assert response.status_code == 401',
]);

describe('fill', () => {
  const shop = projectForTests('shop', [], null);

  test('two bodies filled and tested, one left a stub; every check of the project passes', async () => {
    for (const args of [
      ['add', 'router', 'reports'],
      [
        'add',
        'endpoint',
        'reports',
        'GET /reports/count',
        '--summary',
        'How many users there are',
        '--response',
        'Count:total:int',
      ],
      [
        'add',
        'endpoint',
        'items',
        'POST /items/{item_id}/archive',
        '--summary',
        'Archive an item: its description becomes "archived"',
        '--response',
        'item',
      ],
      ['add', 'endpoint', 'reports', 'POST /reports/rebuild', '--summary', 'Rebuild the reports'],
    ]) {
      expectOk(await shop.cli(args));
    }
    const server = await startFakeLlm({
      expectKey: KEY,
      replies: (request) => {
        const name = /body of `(\w+)`/.exec(request.messages[0]?.content ?? '')?.[1];
        if (name === 'get_reports_count') return COUNT;
        if (name === 'archive_item') return ARCHIVE;
        if (name === 'rebuild_reports') return BAD;
        return pythonReply('return None');
      },
    });
    try {
      const ran = await runCliProcess(
        ['fill', '--llm', 'anthropic', '--retries', '1', '--json', '--project', shop.dir],
        { env: { CI: 'true', ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url } },
      );
      expect(ran.exitCode).toBe(1);
      const report = JSON.parse(ran.stdout) as ChangeReport;
      expect(report.fill?.checks).toEqual(['format', 'ruff', 'mypy', 'pytest']);
      expect(report.fill?.filled.map((f) => [f.name, f.tries]).sort()).toEqual([
        ['archive_item', 1],
        ['get_reports_count', 1],
      ]);
      expect(report.fill?.stubs).toEqual([
        expect.objectContaining({ name: 'rebuild_reports', tries: 2 }),
      ]);
      expect(report.fill?.stubs[0]?.reason).toMatch(/mypy: .*No return value expected/);
      // The rejected body went back to the model with mypy's words.
      const retry = server.requests.find((r) => r.messages.length > 1);
      expect(retry?.messages.at(-1)?.content).toMatch(/No return value expected/);
      expect(ran.all).not.toContain(KEY);
    } finally {
      await server.close();
    }

    expect(
      bodyState(await shop.read('app/reports/operations/rebuild_reports.py'), {
        name: 'rebuild_reports',
      }),
    ).toBe('stub');
    expect(await shop.read('tests/items/test_archive_item.py')).toContain(
      'test_archive_item_marks_it_archived',
    );
    expect(await pytestPasses(shop.dir, shop.env)).toBeGreaterThan(20);
    await lintAndTypesPass(shop.dir);
  });
});
