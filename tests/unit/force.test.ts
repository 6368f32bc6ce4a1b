/**
 * --force writes a project into a folder that has files: file by file, never deleting one, never
 * replacing .env, listing what it replaced; once only where git can give the old files back.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { execa } from 'execa';
import { runCli } from '../../src/cli/main.js';
import { execaRunner } from '../../src/io/runner.js';
import { fakeIo } from '../helpers/cli.js';

let target: string;
beforeEach(async () => {
  target = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-force-')), 'shop');
  await fs.mkdir(path.join(target, 'app'), { recursive: true });
  await fs.writeFile(path.join(target, 'app', 'mine.py'), 'ANSWER = 42\n');
  await fs.writeFile(path.join(target, 'app', 'main.py'), '# my own main\n');
  await fs.writeFile(path.join(target, '.env'), 'SECRET_KEY=mine\n');
});
afterEach(async () => {
  await fs.rm(path.dirname(target), { recursive: true, force: true });
});

const git = (...args: string[]) => execa('git', args, { cwd: target });
async function commitAll(): Promise<void> {
  await git('init', '--quiet');
  await git('add', '-A');
  await git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '--quiet', '-m', 'mine');
}

async function create(...force: string[]) {
  const io = { ...fakeIo(), runner: execaRunner() };
  const code = await runCli([target, '--yes', '--no-install', '--no-git', ...force], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

async function files(): Promise<Map<string, string>> {
  const entries = await fs.readdir(target, { recursive: true, withFileTypes: true });
  return new Map(
    await Promise.all(
      entries
        .filter(
          (e) =>
            e.isFile() && !path.join(e.parentPath, e.name).includes(`${path.sep}.git${path.sep}`),
        )
        .map(async (e) => {
          const file = path.join(e.parentPath, e.name);
          return [path.relative(target, file), await fs.readFile(file, 'utf8')] as const;
        }),
    ),
  );
}

describe('--force once', () => {
  test.each([
    ['not in git', async () => undefined, /is not in a git work tree/],
    [
      'with uncommitted changes',
      async () => {
        await commitAll();
        await fs.writeFile(path.join(target, 'app', 'mine.py'), 'ANSWER = 43\n');
      },
      /has 1 uncommitted change\(s\)/,
    ],
    [
      'with an untracked file',
      async () => {
        await commitAll();
        await fs.writeFile(path.join(target, 'new.txt'), 'x');
      },
      /has 1 uncommitted change\(s\)/,
    ],
  ])('%s: refused, nothing written', async (_, prepare, message) => {
    await prepare();
    const before = await files();
    const result = await create('--force');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/pass --force twice/);
    expect(await files()).toEqual(before);
  });

  test('in a clean git work tree: writes, replaces and lists, keeps the rest', async () => {
    await commitAll();
    const result = await create('--force');
    expect([result.code, result.err]).toEqual([0, expect.stringMatching(/kept your \.env/)]);
    expect(result.out).toMatch(/^ {2}replaced app\/main\.py$/m);
    const after = await files();
    expect(after.get('app/mine.py')).toBe('ANSWER = 42\n');
    expect(after.get('.env')).toBe('SECRET_KEY=mine\n');
    expect(after.get('app/main.py')).toMatch(/def create_app/);
    expect(after.has('.fastapi-agent/manifest.json')).toBe(true);
    // What it replaced can be had back.
    expect((await git('diff', '--stat', 'app/main.py')).stdout).toMatch(/app\/main\.py/);
  });
});

test('--force twice writes wherever, still keeping what it does not generate', async () => {
  const result = await create('--force', '--force');
  expect(result.code).toBe(0);
  const after = await files();
  expect(after.get('app/mine.py')).toBe('ANSWER = 42\n');
  expect(after.get('.env')).toBe('SECRET_KEY=mine\n');
  expect(result.out).toMatch(/replaced app\/main\.py/);
});
