/** Helpers for end-to-end tests of generated projects: their own checks, a server, databases. */
import path from 'node:path';
import { expect } from '@jest/globals';
import { execa } from 'execa';
import { exists, freePort, run, waitFor, type Ran } from './process.js';

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

/** Runs one SQL statement on the admin database with the project's own asyncpg. */
export async function adminSql(project: string, statement: string): Promise<void> {
  const script = [
    'import asyncio, sys, asyncpg',
    'async def main():',
    '    conn = await asyncpg.connect(sys.argv[1])',
    '    try: await conn.execute(sys.argv[2])',
    '    finally: await conn.close()',
    'asyncio.run(main())',
  ].join('\n');
  expectOk(await run(venvTool(project, 'python'), ['-c', script, POSTGRES_ADMIN_URL, statement]));
}

/** Creates a fresh database for a project; returns its URL and the names to drop afterwards. */
export async function freshPostgres(
  project: string,
): Promise<{ url: string; databases: string[] }> {
  const name = `cfa_e2e_${process.pid}_${Date.now()}`;
  await adminSql(project, `CREATE DATABASE "${name}"`);
  return {
    url: `postgresql+asyncpg://postgres@127.0.0.1:5432/${name}`,
    databases: [name, `${name}_test`],
  };
}

export async function dropDatabases(project: string, databases: string[]): Promise<void> {
  for (const db of databases)
    await adminSql(project, `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
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
  const mypy = await run(venvTool(project, 'mypy'), ['--strict', '--no-incremental', 'app'], {
    cwd: project,
  });
  expectOk(mypy);
  expect(mypy.stdout).toMatch(/^Success: no issues found/m);
}

/** upgrade head, check (no drift between models and migrations), downgrade base. */
export async function migrationsPass(project: string, env: Record<string, string>): Promise<void> {
  for (const args of [['upgrade', 'head'], ['check'], ['downgrade', 'base']]) {
    expectOk(await run(venvTool(project, 'alembic'), args, { cwd: project, env }));
  }
}

/** Starts uvicorn, waits for /health, returns the OpenAPI paths, stops it. */
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
    const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    return Object.keys(openapi.paths);
  } finally {
    server.kill('SIGTERM');
    await server;
  }
}
