/**
 * End to end: the built CLI generates a project, its own post-step installs it into a fresh venv
 * from the package index, and the project's own checks run inside it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { execa } from 'execa';
import { freePort, run, runCliProcess, waitFor, type Ran } from '../helpers/process.js';

jest.setTimeout(600_000);

/** Admin connection for creating and dropping the test databases. */
const POSTGRES_ADMIN_URL =
  process.env.CFA_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

interface Variant {
  label: string;
  flags: string[];
  postgres: boolean;
  jwt: boolean;
  minTests: number;
}

const VARIANTS: Variant[] = [
  { label: 'default (SQLite, JWT)', flags: [], postgres: false, jwt: true, minTests: 15 },
  {
    label: 'PostgreSQL, JWT',
    flags: ['--db', 'postgresql'],
    postgres: true,
    jwt: true,
    minTests: 15,
  },
  {
    label: 'SQLite, no auth',
    flags: ['--auth', 'none'],
    postgres: false,
    jwt: false,
    minTests: 15,
  },
];

function expectOk(result: Ran): void {
  if (result.exitCode !== 0)
    throw new Error(`exit ${result.exitCode}:\n${result.all.slice(-4000)}`);
}

async function sql(python: string, statement: string): Promise<void> {
  const script = [
    'import asyncio, sys, asyncpg',
    'async def main():',
    '    conn = await asyncpg.connect(sys.argv[1])',
    '    try: await conn.execute(sys.argv[2])',
    '    finally: await conn.close()',
    'asyncio.run(main())',
  ].join('\n');
  expectOk(await run(python, ['-c', script, POSTGRES_ADMIN_URL, statement]));
}

describe.each(VARIANTS)('generated project: $label', (variant) => {
  let root: string;
  let project: string;
  let bin: (tool: string) => string;
  const env: Record<string, string> = {};
  let databases: string[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-e2e-'));
    project = path.join(root, 'Shop API');
    bin = (tool) => path.join(project, '.venv', 'bin', tool);
  });

  afterAll(async () => {
    if (databases.length > 0 && (await fs.stat(bin('python')).catch(() => null))) {
      for (const db of databases)
        await sql(bin('python'), `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    }
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
    expect(tracked).not.toContain('.env');
    // Only JWT projects sign anything, so only they get a fresh secret key.
    const dotenv = await fs.readFile(path.join(project, '.env'), 'utf8');
    expect(/^SECRET_KEY=[0-9a-f]{64}$/m.test(dotenv)).toBe(variant.jwt);
    if (variant.postgres) {
      const name = `cfa_e2e_${process.pid}_${Date.now()}`;
      databases = [name, `${name}_test`];
      await sql(bin('python'), `CREATE DATABASE "${name}"`);
      env.DATABASE_URL = `postgresql+asyncpg://postgres@127.0.0.1:5432/${name}`;
    }
  });

  test('pytest passes, with coverage reported', async () => {
    const result = await run(bin('pytest'), ['-q', '-p', 'no:cacheprovider'], {
      cwd: project,
      env,
    });
    expectOk(result);
    const passed = Number(/(\d+) passed/.exec(result.stdout)?.[1] ?? 0);
    expect(passed).toBeGreaterThanOrEqual(variant.minTests);
    expect(result.stdout).not.toMatch(/\d+ (failed|error)/);
    expect(result.stdout).toMatch(/^TOTAL(\s+\d+)+\s+\d+%\s*$/m);
  });

  test('ruff check and ruff format --check are clean', async () => {
    expectOk(await run(bin('ruff'), ['check', '--no-cache', '.'], { cwd: project }));
    expectOk(await run(bin('ruff'), ['format', '--check', '--no-cache', '.'], { cwd: project }));
  });

  test('mypy --strict is clean on app/', async () => {
    const result = await run(bin('mypy'), ['--strict', '--no-incremental', 'app'], {
      cwd: project,
    });
    expectOk(result);
    expect(result.stdout).toMatch(/^Success: no issues found/m);
  });

  test('alembic: upgrade head, check (no drift), downgrade base', async () => {
    for (const args of [['upgrade', 'head'], ['check'], ['downgrade', 'base']]) {
      expectOk(await run(bin('alembic'), args, { cwd: project, env }));
    }
  });

  test('uvicorn serves /health and /openapi.json', async () => {
    const port = await freePort();
    const server = execa(bin('uvicorn'), ['app.main:app', '--port', String(port)], {
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
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining(['/health', '/api/v1/items']),
      );
    } finally {
      server.kill('SIGTERM');
      await server;
    }
  });
});
