/**
 * End to end: the built CLI generates a project, its own post-step installs it into a fresh venv
 * from the package index, and the project's own checks run inside it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  dropDatabases,
  expectOk,
  freshDatabase,
  lintAndTypesPass,
  migrationsPass,
  pytestPasses,
  servedPaths,
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
