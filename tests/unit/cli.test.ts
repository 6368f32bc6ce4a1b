import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { fakeIo, promptCancel, scriptedPrompter } from '../helpers/cli.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-cli-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const quiet = ['--no-install', '--no-git'];
const errorLines = (io: { err: string[] }) => io.err.join('').trim().split('\n');

describe('create, non-interactive', () => {
  test('--yes writes the default project and runs no prompt', async () => {
    const io = fakeIo({ interactive: true });
    const target = path.join(root, 'My API');
    expect(await runCli([target, '--yes', ...quiet], io)).toBe(0);
    const pyproject = await fs.readFile(path.join(target, 'pyproject.toml'), 'utf8');
    expect(pyproject).toMatch(/^name = "my-api"$/m);
    expect(pyproject).toMatch(/aiosqlite/);
    expect(await fs.readFile(path.join(target, 'AGENTS.md'), 'utf8')).toMatch(
      /^---\nname: fastapi-backend-developer/,
    );
    expect(io.out.join('')).toMatch(/db: sqlite, from fastapi-backend-developer\.md line \d+/);
    expect(io.commands).toEqual([]);
  });

  test('flags choose the options; --name overrides the folder name', async () => {
    const io = fakeIo();
    const target = path.join(root, 'folder');
    expect(
      await runCli(
        [target, '--name', 'Shop Service', '--db', 'postgresql', '--auth', 'none', ...quiet],
        io,
      ),
    ).toBe(0);
    const pyproject = await fs.readFile(path.join(target, 'pyproject.toml'), 'utf8');
    expect(pyproject).toMatch(/^name = "shop-service"$/m);
    expect(pyproject).toMatch(/asyncpg/);
    await expect(fs.access(path.join(target, 'app', 'auth'))).rejects.toThrow();
  });

  test('post-steps run git then the install, through the runner', async () => {
    const io = fakeIo();
    expect(await runCli([path.join(root, 'p'), '--yes'], io)).toBe(0);
    expect(io.commands).toEqual([
      'git rev-parse --is-inside-work-tree',
      'git init --quiet --initial-branch=main',
      'git add --all',
      'git config user.email',
      'git commit --quiet --no-verify -m chore: scaffold with create-fastapi-agent',
      'uv venv --quiet .venv',
      expect.stringMatching(/^uv pip install --quiet --python .*\.venv\/bin\/python -e \.\[dev\]$/),
    ]);
  });

  test('a practice that cannot be rendered yet warns, naming it and its line, and the nearest is used', async () => {
    const agent = path.join(root, 'celery.md');
    await fs.writeFile(agent, '---\nname: t\n---\nJobs run on Celery.\nAuth by API keys.\n');
    const io = fakeIo();
    expect(await runCli([path.join(root, 'p'), '--agent', agent, ...quiet], io)).toBe(0);
    const warnings = io.err.join('');
    expect(warnings).toMatch(
      /warning: tasks=celery \(.*celery\.md line 4\) is not rendered yet: using tasks=background/,
    );
    expect(warnings).toMatch(
      /warning: auth=api-key \(.*celery\.md line 5\) is not rendered yet: using auth=jwt/,
    );
    expect(await fs.readFile(path.join(root, 'p', 'pyproject.toml'), 'utf8')).not.toMatch(/celery/);
  });

  test('the generated README says which practices were applied, and why', async () => {
    const io = fakeIo();
    expect(await runCli([path.join(root, 'p'), '--yes', ...quiet], io)).toBe(0);
    const readme = await fs.readFile(path.join(root, 'p', 'README.md'), 'utf8');
    expect(readme).toMatch(/## Practices applied/);
    expect(readme).toMatch(
      /^\| SQLite \(aiosqlite\) \| app\/db\/session\.py, DATABASE_URL in \.env \| AGENTS\.md line \d+ \|$/m,
    );
    expect(readme).toMatch(/^\| OAuth2 password flow with JWT \| .*\| AGENTS\.md line \d+ \|$/m);
    const agents = await fs.readFile(path.join(root, 'p', 'AGENTS.md'), 'utf8');
    expect(agents).toContain('Role-based access control (admin and user roles)');
  });

  test('a guidance file that states PostgreSQL makes it the default', async () => {
    const agent = path.join(root, 'pg.md');
    await fs.writeFile(agent, '---\nname: pg-agent\n---\nAlways PostgreSQL.\n');
    const io = fakeIo();
    expect(await runCli([path.join(root, 'p'), '--agent', agent, ...quiet], io)).toBe(0);
    expect(await fs.readFile(path.join(root, 'p', 'pyproject.toml'), 'utf8')).toMatch(/asyncpg/);
  });
});

describe('bad input: one line, non-zero exit, nothing written', () => {
  const cases: Array<[string, (root: string) => Promise<string[]>, RegExp]> = [
    [
      'a name of only symbols',
      async (r) => [path.join(r, '!!!')],
      /cannot make a project name from "!!!"/,
    ],
    ['"." as the base name', async () => ['.'], /cannot make a project name from "\."/],
    ['".." as the base name', async () => ['..'], /cannot make a project name from "\.\."/],
    [
      'an empty --name',
      async (r) => [path.join(r, 'p'), '--name', ''],
      /cannot make a project name from ""/,
    ],
    [
      'a missing agent file',
      async (r) => [path.join(r, 'p'), '--agent', path.join(r, 'nope.md')],
      /cannot read agent guidance file .*nope\.md: no such file/,
    ],
    [
      'an agent file that is a folder',
      async (r) => [path.join(r, 'p'), '--agent', r],
      /is a folder/,
    ],
    [
      'unreadable front matter',
      async (r) => {
        await fs.writeFile(path.join(r, 'bad.md'), '---\nname: x\n{{{ not yaml\n---\nbody\n');
        return [path.join(r, 'p'), '--agent', path.join(r, 'bad.md')];
      },
      /bad\.md:3: front matter cannot be read/,
    ],
    [
      'a binary agent file',
      async (r) => {
        await fs.writeFile(path.join(r, 'bin.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
        return [path.join(r, 'p'), '--agent', path.join(r, 'bin.md')];
      },
      /bin\.md: is a binary file/,
    ],
    [
      'an unknown --db',
      async (r) => [path.join(r, 'p'), '--db', 'oracle'],
      /--db: "oracle" is not one of sqlite, postgresql, mysql/,
    ],
    [
      'an unknown flag',
      async (r) => [path.join(r, 'p'), '--frobnicate'],
      /unknown option '--frobnicate'/,
    ],
    [
      '--auth with no value',
      async (r) => [path.join(r, 'p'), '--auth', ''],
      /--auth: an empty value/,
    ],
    ['--auth ,,', async (r) => [path.join(r, 'p'), '--auth', ',,'], /--auth: an empty value/],
    [
      '--auth none,jwt',
      async (r) => [path.join(r, 'p'), '--auth', 'none,jwt'],
      /--auth: "none" cannot be combined with jwt/,
    ],
    [
      'a value not rendered yet',
      async (r) => [path.join(r, 'p'), '--tasks', 'celery'],
      /--tasks: "celery" is not rendered by this version yet; it renders background/,
    ],
    [
      'a flag given twice',
      async (r) => [path.join(r, 'p'), '--db', 'sqlite', '--db', 'mysql'],
      /--db is given more than once/,
    ],
    [
      '--name given twice',
      async (r) => [path.join(r, 'p'), '--name', 'a', '--name', 'b'],
      /--name is given more than once/,
    ],
  ];

  test.each(cases)('%s', async (_label, makeArgs, message) => {
    const args = await makeArgs(root);
    const before = (await fs.readdir(root)).sort();
    const io = fakeIo();
    const code = await runCli([...args, '--yes', ...quiet], io);
    expect(code).toBe(2);
    expect(errorLines(io)).toHaveLength(1);
    expect(errorLines(io)[0]).toMatch(message);
    expect((await fs.readdir(root)).sort()).toEqual(before);
    expect(io.commands).toEqual([]);
  });

  test('a non-empty target without --force', async () => {
    const target = path.join(root, 'existing');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'notes.txt'), 'mine');
    const io = fakeIo();
    expect(await runCli([target, '--yes', ...quiet], io)).toBe(2);
    expect(errorLines(io)).toEqual([
      expect.stringMatching(/target .*existing is not empty \(1 entries\).*--force/),
    ]);
    expect(await fs.readdir(target)).toEqual(['notes.txt']);
    expect(await fs.readdir(root)).toEqual(['existing']);
  });

  test('no target and nobody to ask', async () => {
    const io = fakeIo();
    expect(await runCli(['--yes'], io)).toBe(2);
    expect(errorLines(io)).toEqual([expect.stringMatching(/missing the target folder/)]);
  });
});

describe('create, interactive', () => {
  test('asks name, agent, database and auth; the answers are used', async () => {
    const prompter = scriptedPrompter([
      'billing',
      path.join(root, 'agent.md'),
      'postgresql',
      'none',
    ]);
    await fs.writeFile(path.join(root, 'agent.md'), '---\nname: a\n---\nUse JWT.\n');
    const io = fakeIo({ interactive: true, prompter });
    expect(await runCli([path.join(root, 'folder'), ...quiet], io)).toBe(0);
    expect(prompter.asked).toEqual([
      'Project name',
      'Agent guidance file (markdown)',
      'Database (default: sqlite, the default)',
      'Authentication (default: jwt, from agent.md line 4: "Use JWT.")',
    ]);
    const pyproject = await fs.readFile(path.join(root, 'folder', 'pyproject.toml'), 'utf8');
    expect(pyproject).toMatch(/^name = "billing"$/m);
    expect(pyproject).toMatch(/asyncpg/);
  });

  test('Ctrl-C at a prompt exits 130 and writes nothing', async () => {
    const prompter = scriptedPrompter(['billing', promptCancel()]);
    const io = fakeIo({ interactive: true, prompter });
    expect(await runCli([path.join(root, 'folder'), ...quiet], io)).toBe(130);
    expect(io.err.join('')).toMatch(/Cancelled: nothing was written/);
    expect(await fs.readdir(root)).toEqual([]);
  });
});

describe('practices', () => {
  test('prints a table with each option, its value, source and evidence line', async () => {
    const agent = path.join(root, 'a.md');
    await fs.writeFile(
      agent,
      '---\nname: a\nmodel: opus\n---\nAvoid Celery, use BackgroundTasks.\nPostgreSQL or SQLite.\n',
    );
    const io = fakeIo();
    expect(await runCli(['practices', '--agent', agent], io)).toBe(0);
    const out = io.out.join('');
    expect(out).toMatch(/^a \(model: opus\): /);
    expect(out).toMatch(
      /^db\s+postgresql\s+detected\s+6\s+"PostgreSQL or SQLite\." \(also offered: sqlite\)$/m,
    );
    expect(out).toMatch(/^tasks\s+background\s+detected\s+5\s+.*\(turned down: celery\)$/m);
    expect(out).toMatch(/^orm\s+sqlalchemy\s+default\s*$/m);
  });

  test('--json gives the documented shape', async () => {
    const agent = path.join(root, 'a.md');
    await fs.writeFile(
      agent,
      '---\nname: a\n---\nDatabase integration (SQLAlchemy, Tortoise ORM, Alembic migrations)\n',
    );
    const io = fakeIo();
    expect(await runCli(['practices', '--agent', agent, '--json'], io)).toBe(0);
    const report = JSON.parse(io.out.join('')) as {
      agent: { name: string; model: string | null; path: string };
      practices: Array<Record<string, unknown>>;
      warnings: string[];
    };
    expect(report.agent).toEqual({
      name: 'a',
      model: null,
      path: agent,
      format: 'claude-agent',
      metadata: {},
    });
    expect(report.practices).toContainEqual(
      expect.objectContaining({
        option: 'orm',
        value: 'sqlalchemy',
        source: 'detected',
        line: 4,
        evidence: 'Database integration (SQLAlchemy, Tortoise ORM, Alembic migrations)',
        alternatives: ['tortoise'],
      }),
    );
    expect(report.practices).toContainEqual(
      expect.objectContaining({ option: 'db', value: 'sqlite', source: 'default', line: null }),
    );
    expect(report.warnings).toEqual([]);
  });

  test('an unreadable agent file is a one-line error', async () => {
    const io = fakeIo();
    expect(await runCli(['practices', '--agent', path.join(root, 'none.md')], io)).toBe(2);
    expect(errorLines(io)).toEqual([
      expect.stringMatching(/cannot read agent guidance file .*none\.md: no such file/),
    ]);
  });
});

test('--help and --version exit 0', async () => {
  const help = fakeIo();
  expect(await runCli(['--help'], help)).toBe(0);
  expect(help.out.join('')).toMatch(/--db <value>\s+database: sqlite \| postgresql \| mysql/);
  const version = fakeIo();
  expect(await runCli(['--version'], version)).toBe(0);
  expect(version.out.join('')).toMatch(/^\d+\.\d+\.\d+\n$/);
});
