/** Helpers for end-to-end tests of generated projects: their own checks, a server, databases. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from '@jest/globals';
import { execa } from 'execa';
import { exists, freePort, run, runCliProcess, waitFor, type Ran } from './process.js';

/** Admin connection for creating and dropping the test databases. */
export const POSTGRES_ADMIN_URL =
  process.env.CFA_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function expectOk(result: Ran): void {
  if (result.exitCode !== 0)
    throw new Error(`exit ${result.exitCode}:\n${result.all.slice(-6000)}`);
}

export const venvTool = (project: string, tool: string): string =>
  path.join(project, '.venv', 'bin', tool);

/** Installs the project again, as its README says, with whichever tool made its `.venv`. */
export async function reinstall(project: string): Promise<void> {
  const pip = await exists(venvTool(project, 'pip'));
  expectOk(
    pip
      ? await run(venvTool(project, 'python'), ['-m', 'pip', 'install', '-q', '-e', '.[dev]'], {
          cwd: project,
        })
      : await run(
          'uv',
          ['pip', 'install', '-q', '--python', venvTool(project, 'python'), '-e', '.[dev]'],
          {
            cwd: project,
          },
        ),
  );
}

/** The MariaDB (or MySQL) server the tests use: user root, no password, on this machine. */
export const MYSQL_ADMIN = {
  host: process.env.CFA_TEST_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.CFA_TEST_MYSQL_PORT ?? 3306),
  user: process.env.CFA_TEST_MYSQL_USER ?? 'root',
};

export type ServerDb = 'postgresql' | 'mysql';

/** Runs one SQL statement on the server as its admin, with the project's own driver. */
export async function adminSql(project: string, db: ServerDb, statement: string): Promise<void> {
  const script =
    db === 'postgresql'
      ? [
          'import asyncio, sys, asyncpg',
          'async def main():',
          '    conn = await asyncpg.connect(sys.argv[1])',
          '    try: await conn.execute(sys.argv[2])',
          '    finally: await conn.close()',
          'asyncio.run(main())',
        ]
      : [
          'import asyncio, json, sys, aiomysql',
          'async def main():',
          '    conn = await aiomysql.connect(**json.loads(sys.argv[1]), autocommit=True)',
          '    try:',
          '        async with conn.cursor() as cursor: await cursor.execute(sys.argv[2])',
          '    finally: conn.close()',
          'asyncio.run(main())',
        ];
  const admin = db === 'postgresql' ? POSTGRES_ADMIN_URL : JSON.stringify(MYSQL_ADMIN);
  expectOk(await run(venvTool(project, 'python'), ['-c', script.join('\n'), admin, statement]));
}

/** Creates a fresh database for a project; returns its URL and the names to drop afterwards. */
export async function freshDatabase(
  project: string,
  db: ServerDb,
): Promise<{ url: string; databases: string[] }> {
  const name = `cfa_e2e_${process.pid}_${Date.now()}`;
  if (db === 'postgresql') {
    await adminSql(project, db, `CREATE DATABASE "${name}"`);
    return {
      url: `postgresql+asyncpg://postgres@127.0.0.1:5432/${name}`,
      databases: [name, `${name}_test`],
    };
  }
  await adminSql(project, db, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  const { host, port, user } = MYSQL_ADMIN;
  return {
    url: `mysql+aiomysql://${user}@${host}:${port}/${name}?charset=utf8mb4`,
    databases: [name, `${name}_test`],
  };
}

export async function dropDatabases(
  project: string,
  db: ServerDb,
  databases: string[],
): Promise<void> {
  for (const name of databases) {
    await adminSql(
      project,
      db,
      db === 'postgresql'
        ? `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`
        : `DROP DATABASE IF EXISTS \`${name}\``,
    );
  }
}

/** pytest; returns the number of tests that passed (coverage must be reported). */
export async function pytestPasses(project: string, env: Record<string, string>): Promise<number> {
  const result = await run(venvTool(project, 'pytest'), ['-q', '-p', 'no:cacheprovider'], {
    cwd: project,
    env,
  });
  expectOk(result);
  expect(result.stdout).not.toMatch(/\d+ (failed|error)/);
  expect(result.stdout).toMatch(/^TOTAL(\s+\d+)+\s+\d+%\s*$/m);
  return Number(/(\d+) passed/.exec(result.stdout)?.[1] ?? 0);
}

export async function lintAndTypesPass(project: string): Promise<void> {
  expectOk(await run(venvTool(project, 'ruff'), ['check', '--no-cache', '.'], { cwd: project }));
  expectOk(
    await run(venvTool(project, 'ruff'), ['format', '--check', '--no-cache', '.'], {
      cwd: project,
    }),
  );
  // The project's own configuration: --strict on app, tests and migrations.
  const mypy = await run(venvTool(project, 'mypy'), ['--no-incremental'], { cwd: project });
  expectOk(mypy);
  expect(mypy.stdout).toMatch(/^Success: no issues found/m);
}

/**
 * The migrations up, checked against the models, and down to nothing. Alembic: `upgrade head`,
 * `check`, `downgrade base`. Aerich: `upgrade` applies every revision (`heads` lists none left);
 * the drift check is the project's own `tests/test_migrations.py`, which pytest runs (the tables
 * the revisions build against those Tortoise makes from the models); `downgrade` once per
 * revision leaves every revision unapplied again.
 */
export async function migrationsPass(
  project: string,
  env: Record<string, string>,
  tool: 'alembic' | 'aerich' = 'alembic',
): Promise<void> {
  if (tool === 'alembic') {
    for (const args of [['upgrade', 'head'], ['check'], ['downgrade', 'base']]) {
      expectOk(await run(venvTool(project, 'alembic'), args, { cwd: project, env }));
    }
    return;
  }
  expect(await exists(path.join(project, 'tests', 'test_migrations.py'))).toBe(true);
  const aerich = async (args: string[]): Promise<string> => {
    const result = await run(venvTool(project, 'aerich'), args, { cwd: project, env });
    expectOk(result);
    return result.stdout;
  };
  const revisions = (await fs.readdir(path.join(project, 'migrations', 'models')))
    .filter((f) => /^\d+_\w+\.py$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  expect(revisions.length).toBeGreaterThan(0);
  expect(await aerich(['upgrade'])).toContain(`Success upgrading to ${revisions.at(-1) ?? ''}`);
  expect(await aerich(['heads'])).toContain('No available heads');
  for (let i = 0; i < revisions.length; i += 1) await aerich(['downgrade', '--yes']);
  expect((await aerich(['heads'])).trim().split('\n')).toEqual(revisions);
}

/**
 * Starts uvicorn, waits for /health, checks that /health/ready (which queries the database)
 * answers 200, returns the OpenAPI paths, stops it.
 */
export async function servedPaths(project: string, env: Record<string, string>): Promise<string[]> {
  const port = await freePort();
  const server = execa(venvTool(project, 'uvicorn'), ['app.main:app', '--port', String(port)], {
    cwd: project,
    env,
    reject: false,
    all: true,
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const health = await waitFor(async () => {
      const response = await fetch(`${base}/health`);
      return response.ok ? response : undefined;
    }, 30_000);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/health/ready`);
    expect([ready.status, await ready.text()]).toEqual([200, '{"status":"ok"}']);
    const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    return Object.keys(openapi.paths);
  } finally {
    server.kill('SIGTERM');
    await server;
  }
}

/** A project made by the CLI for the tests of one `describe` block, with its own database. */
export interface TestProject {
  /** The project's folder (set once `beforeAll` ran). */
  readonly dir: string;
  /** DATABASE_URL of its fresh server database; empty on SQLite. */
  readonly env: Record<string, string>;
  /** A grow command (`add`, `remove`, `regenerate`) run on it in a process. */
  cli(args: string[]): ReturnType<typeof runCliProcess>;
  read(file: string): Promise<string>;
}

/**
 * Registers the `beforeAll` that generates `name` with `flags` (and `--db server`) in a fresh
 * temporary folder, creating its server database, and the `afterAll` that drops both.
 */
export function projectForTests(
  name: string,
  flags: string[],
  server: ServerDb | null,
): TestProject {
  let root = '';
  let databases: string[] = [];
  const env: Record<string, string> = {};
  const project: TestProject = {
    get dir() {
      return path.join(root, name);
    },
    env,
    cli: (args) => runCliProcess([...args, '--project', project.dir], { env: { CI: 'true' } }),
    read: (file) => fs.readFile(path.join(project.dir, file), 'utf8'),
  };
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-e2e-'));
    const db = server ? ['--db', server] : [];
    expectOk(await runCliProcess([project.dir, '--yes', ...flags, ...db], { env: { CI: 'true' } }));
    if (server) {
      const created = await freshDatabase(project.dir, server);
      databases = created.databases;
      env.DATABASE_URL = created.url;
    }
  });
  afterAll(async () => {
    if (server && databases.length > 0) await dropDatabases(project.dir, server, databases);
    await fs.rm(root, { recursive: true, force: true });
  });
  return project;
}
