/**
 * End to end: the built CLI generates a project, its own post-step installs it into a fresh venv
 * from the package index, and the project's own checks run inside it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  adminSql,
  dropDatabases,
  expectOk,
  freshDatabase,
  lintAndTypesPass,
  migrationsPass,
  pytestPasses,
  servedPaths,
  venvTool,
  type ServerDb,
} from '../helpers/generated.js';
import { run, runCliProcess } from '../helpers/process.js';

jest.setTimeout(600_000);

interface Variant {
  label: string;
  flags: string[];
  server: ServerDb | null;
  jwt: boolean;
  minTests: number;
}

const VARIANTS: Variant[] = [
  { label: 'default (SQLite, JWT)', flags: [], server: null, jwt: true, minTests: 15 },
  {
    label: 'PostgreSQL, JWT',
    flags: ['--db', 'postgresql'],
    server: 'postgresql',
    jwt: true,
    minTests: 15,
  },
  {
    label: 'MariaDB, JWT',
    flags: ['--db', 'mysql'],
    server: 'mysql',
    jwt: true,
    minTests: 15,
  },
  {
    label: 'SQLite, no auth, no Docker',
    flags: ['--auth', 'none', '--docker', 'false'],
    server: null,
    jwt: false,
    minTests: 15,
  },
];

describe.each(VARIANTS)('generated project: $label', (variant) => {
  let root: string;
  let project: string;
  const env: Record<string, string> = {};
  let databases: string[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-e2e-'));
    project = path.join(root, 'Shop API');
  });

  afterAll(async () => {
    if (variant.server && databases.length > 0)
      await dropDatabases(project, variant.server, databases);
    await fs.rm(root, { recursive: true, force: true });
  });

  test('the CLI writes the project, commits it and installs it into .venv', async () => {
    const result = await runCliProcess([project, '--yes', ...variant.flags], {
      env: { CI: 'true' },
    });
    expectOk(result);
    expect(result.stdout).toMatch(/install: done, installed into \.venv/);
    expect(result.stdout).toMatch(/git: done/);
    const log = await run('git', ['log', '--oneline'], { cwd: project });
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
    const tracked = (await run('git', ['ls-files'], { cwd: project })).stdout.split('\n');
    expect(tracked).toContain('.env.example');
    expect(tracked).toContain('.fastapi-agent/manifest.json');
    expect(tracked).not.toContain('.env');
    expect(tracked.includes('Dockerfile')).toBe(!variant.flags.includes('--docker'));
    // Only JWT projects sign anything, so only they get a fresh secret key.
    const dotenv = await fs.readFile(path.join(project, '.env'), 'utf8');
    expect(/^SECRET_KEY=[0-9a-f]{64}$/m.test(dotenv)).toBe(variant.jwt);
    if (variant.server) {
      const db = await freshDatabase(project, variant.server);
      databases = db.databases;
      env.DATABASE_URL = db.url;
    }
  });

  test('pytest passes, with coverage reported', async () => {
    expect(await pytestPasses(project, env)).toBeGreaterThanOrEqual(variant.minTests);
  });

  test('ruff check, ruff format --check and mypy --strict are clean', async () => {
    await lintAndTypesPass(project);
  });

  test('alembic: upgrade head, check (no drift), downgrade base', async () => {
    await migrationsPass(project, env);
  });

  test('uvicorn serves /health and /openapi.json', async () => {
    expect(await servedPaths(project, env)).toEqual(
      expect.arrayContaining(['/health', '/api/v1/items']),
    );
  });
});

describe('a SQLite project: failed migrations, and the move to PostgreSQL', () => {
  let root: string;
  let project: string;
  let databases: string[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-move-'));
    project = path.join(root, 'moving');
    expectOk(await runCliProcess([project, '--yes', '--no-git'], { env: { CI: 'true' } }));
  });

  afterAll(async () => {
    if (databases.length > 0) await dropDatabases(project, 'postgresql', databases);
    await fs.rm(root, { recursive: true, force: true });
  });

  test('a migration that fails halfway leaves nothing behind: fixed, it runs again', async () => {
    const cli = (args: string[]) =>
      runCliProcess([...args, '--project', project], { env: { CI: 'true' } });
    const sqlite = (statement: string) =>
      run(
        venvTool(project, 'python'),
        [
          '-c',
          'import sqlite3, sys; c = sqlite3.connect("moving.db"); c.execute(sys.argv[1]); c.commit()',
          statement,
        ],
        { cwd: project },
      );
    const alembic = (args: string[]) => run(venvTool(project, 'alembic'), args, { cwd: project });
    expectOk(await cli(['add', 'resource', 'note', '--fields', 'title:str']));
    expectOk(await alembic(['upgrade', 'head']));
    expectOk(await sqlite("INSERT INTO notes (title) VALUES ('kept')"));
    // A required column without a default cannot be filled in for the row already there.
    expectOk(await cli(['add', 'field', 'note', 'priority:int']));
    const failed = await alembic(['upgrade', 'head']);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.all).toMatch(/NOT NULL constraint failed/);
    const current = await alembic(['current']);
    expect(current.stdout).toMatch(/^0002\b/m);
    // Deal with the rows (here: delete them), then run it again.
    expectOk(await sqlite('DELETE FROM notes'));
    expectOk(await alembic(['upgrade', 'head']));
    expectOk(await alembic(['check']));
    expectOk(await alembic(['downgrade', 'base']));
  });

  test('pip install asyncpg, DATABASE_URL, alembic upgrade head: its tests and server pass there', async () => {
    const readme = await fs.readFile(path.join(project, 'README.md'), 'utf8');
    expect(readme).toMatch(/### Moving to PostgreSQL or MySQL[\s\S]*pip install asyncpg/);
    expectOk(
      await run(venvTool(project, 'python'), ['-m', 'pip', 'install', '-q', 'asyncpg'], {
        cwd: project,
      }),
    );
    const db = await freshDatabase(project, 'postgresql');
    databases = db.databases;
    const testDb = db.databases[1] ?? '';
    await adminSql(project, 'postgresql', `CREATE DATABASE "${testDb}"`);
    const env = { DATABASE_URL: db.url, TEST_DATABASE_URL: db.url.replace(/[^/]+$/, testDb) };
    await migrationsPass(project, env);
    expect(await pytestPasses(project, env)).toBeGreaterThanOrEqual(15);
    expectOk(await run(venvTool(project, 'alembic'), ['upgrade', 'head'], { cwd: project, env }));
    expect(await servedPaths(project, env)).toEqual(expect.arrayContaining(['/health/ready']));
  });
});
