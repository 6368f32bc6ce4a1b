/**
 * `practices --explain OPTION` through the CLI, the guidance format in the report, and the
 * issue's examples read one by one: negation in other languages, scopes, other systems,
 * bad-example labels, files that are not backend guidance, and malformed metadata.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { parseAgentFile } from '../../src/core/agent.js';
import { OPTION_IDS } from '../../src/core/options.js';
import { detectPractices, type PracticeSet } from '../../src/core/practices.js';
import { fakeIo } from '../helpers/cli.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-explain-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function cli(
  file: string,
  text: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const agent = path.join(root, file);
  await fs.writeFile(agent, text);
  const io = fakeIo();
  const code = await runCli(['practices', '--agent', agent, ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('practices --explain', () => {
  const text = [
    '# Gateway',
    'The limiter keeps its counters in Redis.',
    'No in-memory rate limit counters: we run many replicas.',
    'The Stripe API rate limits us to 100 calls a second.',
    'Do we need rate limiting per tenant?',
    '',
  ].join('\n');

  test('prints each mention with counted, overruled or ignored, and why', async () => {
    const { code, out } = await cli('AGENTS.md', text, ['--explain', 'rate-limit']);
    expect(code).toBe(0);
    expect(out).toMatch(/^rate-limit: redis \(detected\)/);
    expect(out).toMatch(/^line 2: counted: states Rate limiting in Redis: redis$/m);
    expect(out).toMatch(/^line 3: counted: turns down memory \("No" before it\)$/m);
    expect(out).toMatch(/^line 4: ignored: about another system/m);
    expect(out).toMatch(/^line 5: ignored: in a question/m);
  });

  test('--json gives the same explanation for tools', async () => {
    const { out } = await cli('AGENTS.md', text, ['--explain', 'rate-limit', '--json']);
    const json = JSON.parse(out) as { mentions: Array<{ line: number; status: string }> };
    expect(json.mentions.map((m) => [m.line, m.status])).toEqual([
      [2, 'counted'],
      [3, 'counted'],
      [3, 'overruled'],
      [4, 'ignored'],
      [5, 'ignored'],
    ]);
  });

  test('a file that is not backend guidance: every mention is ignored, and the file says why', async () => {
    const frontend =
      'React components with hooks, styled with Tailwind.\nThe backend uses PostgreSQL.\n';
    const { out } = await cli('AGENTS.md', frontend, ['--explain', 'db']);
    expect(out).toMatch(/^file: not guidance for a Python backend: it reads as frontend work/m);
    expect(out).toMatch(/^line 2: ignored: the file is not guidance for a Python backend$/m);
  });

  test('an unknown option is a one-line error', async () => {
    const { code, err } = await cli('AGENTS.md', text, ['--explain', 'database']);
    expect(code).toBe(2);
    expect(err.trim()).toMatch(/^.*--explain: database: unknown option; options are db, orm/);
  });

  test('the report names the format and where the rule applies', async () => {
    const rule =
      '---\ndescription: API rules\nglobs: *.py, app/**\nalwaysApply: false\n---\nUse PostgreSQL.\n';
    const { out } = await cli('api.mdc', rule, []);
    expect(out).toMatch(/^format: cursor-rule; globs: \*\.py, app\/\*\*; alwaysApply: false$/m);
    expect(out).toMatch(/^db\s+postgresql\s+detected\s+6\s/m);
  });
});

/** option -> [chosen..., alternatives...] for what the file states (defaults left out). */
function stated(set: PracticeSet): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of OPTION_IDS) {
    const r = set.options[id];
    if (r.source !== 'default') out[id] = [...r.values, ...r.alternatives];
  }
  return out;
}
const detect = (body: string, file = 'AGENTS.md') => detectPractices(parseAgentFile(body, file));

describe("the issue's examples", () => {
  test.each([
    ['Base de datos PostgreSQL. Sin Alembic.', 'migrations', 'alembic'],
    ['Banco MySQL. Não existe Alembic neste projeto.', 'migrations', 'alembic'],
    ['Datenbank: PostgreSQL statt MySQL.', 'db', 'mysql'],
    ['数据库用 PostgreSQL，不要用 MySQL。', 'db', 'mysql'],
    ['FastAPI です。Alembic は使わない。', 'migrations', 'alembic'],
    ['FastAPI 백엔드. SQLite는 사용하지 마세요.', 'db', 'sqlite'],
    ["Backend FastAPI. N'utilisez jamais SQLite.", 'db', 'sqlite'],
  ])('%s turns the value down', (body, option, value) => {
    const r = detect(`${body}\n`).options[option as 'db'];
    expect(r.rejected).toContain(value);
    expect(r.source === 'default' ? [] : [...r.values, ...r.alternatives]).not.toContain(value);
  });

  test('"No JWT/OAuth/sessions in v1" is no authentication, not the default JWT', () => {
    expect(detect('FastAPI service.\n\nNo JWT/OAuth/sessions in v1.\n').options.auth).toMatchObject(
      {
        values: ['none'],
        source: 'detected',
        rejected: ['jwt'],
      },
    );
  });

  test('Portuguese "no Redis" is "in Redis"', () => {
    expect(
      stated(detect('Cache das páginas de produto no Redis, com TTL de dez minutos.\n')),
    ).toEqual({
      cache: ['redis'],
    });
  });

  test.each([
    ['SQLite only for tests; PostgreSQL everywhere else.'],
    ['SQLite apenas para testes; PostgreSQL em produção.'],
    ['SQLite nur für Tests; produktiv läuft PostgreSQL.'],
  ])("a test-only database is not the project's: %s", (body) => {
    expect(detect(`${body}\n`).options.db).toMatchObject({
      values: ['postgresql'],
      alternatives: [],
    });
  });

  test('"SQLite in tests" without "only" still offers SQLite, as before', () => {
    expect(detect('PostgreSQL in production, SQLite in tests.\n').options.db.alternatives).toEqual([
      'sqlite',
    ]);
  });

  test('a code block labelled bad, and a line marked ❌, state the opposite', () => {
    const body = [
      'FastAPI on PostgreSQL.',
      '',
      'Bad:',
      '',
      '```python',
      'engine = create_engine("sqlite:///app.db")',
      '```',
      '',
      '```python',
      "# Don't: Celery for one e-mail",
      'send.delay()',
      '```',
      '',
      '❌ `@lru_cache` on a query.',
      '',
      '✅ Cache pages in Redis.',
      '',
    ].join('\n');
    const set = detect(body);
    expect(stated(set)).toEqual({ db: ['postgresql'], cache: ['redis'] });
    expect(set.options.db.rejected).toEqual(['sqlite']);
    expect(set.options.tasks.rejected).toEqual(['celery']);
    expect(set.options.cache.rejected).toEqual(['memory']);
  });

  test('a table row label gives a cell its meaning; a "not used" cell turns the row down', () => {
    const table =
      '| Concern | Choice |\n|---|---|\n| Cache | Redis |\n| Logs | JSON lines |\n| 캐시 | 사용하지 않음 |\n';
    expect(stated(detect(table))).toEqual({ cache: ['redis'], logging: ['json'] });
    expect(stated(detect('| 항목 | 결정 |\n|---|---|\n| 캐시 | 사용하지 않음 |\n'))).toEqual({
      cache: ['none'],
    });
  });

  test('roles named in another language, Socket.IO, and migrations required with no tool', () => {
    expect(stated(detect('FastAPI. Rollen: Admin, Redakteur, Leser.\n'))).toEqual({
      roles: ['true'],
    });
    expect(stated(detect('Live updates go over Socket.IO.\n'))).toEqual({ websocket: ['true'] });
    expect(stated(detect('Migrations are required for every model change.\n'))).toEqual({
      migrations: ['alembic'],
    });
  });

  test('a database role named service_role is not role-based access control', () => {
    expect(stated(detect('Queries run as the `service_role` of the database.\n'))).toEqual({});
  });
});

describe('metadata that is not valid, or not where expected, does not crash', () => {
  test.each([
    ['--- # rule\ndescription: x\n---\nUse PostgreSQL.\n', 'rules.mdc'],
    ['---yaml\nname: a\n---\nUse PostgreSQL.\n', 'a.md'],
    ['Use PostgreSQL.\n\n---\ndescription: x\nglobs: [unclosed\n---\n', 'rules.mdc'],
    ['Use PostgreSQL.\n\n---\ndescription: "x\nglobs: *.py\n---\n', 'rules.mdc'],
  ])("%p is read, with the text's practice", (text, file) => {
    expect(detect(text, file).options.db.values).toEqual(['postgresql']);
  });

  test("a trailing metadata block is the rule's metadata", () => {
    const agent = parseAgentFile(
      'Use MySQL.\n\n---\ndescription: x\nglobs: "a/**"\nalwaysApply: true\n---\n',
      'r.mdc',
    );
    expect(agent.format).toBe('cursor-rule');
    expect(agent.metadata).toEqual({ globs: ['a/**'], alwaysApply: true });
  });
});
