/** The built CLI as a process: exit codes, one-line errors, no prompts without a TTY, Ctrl-C. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { PACKAGE_ROOT } from '../../src/io/paths.js';
import { CLI, exists, run, runCliProcess, waitFor } from '../helpers/process.js';

jest.setTimeout(60_000);

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-proc-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

test('without a TTY it never prompts: defaults are used', async () => {
  const result = await runCliProcess([path.join(root, 'api'), '--no-install', '--no-git'], {
    stdin: 'pipe',
  });
  expect(result.exitCode).toBe(0);
  expect(await exists(path.join(root, 'api', 'app', 'main.py'))).toBe(true);
});

describe('bad input exits non-zero with one line on stderr and writes nothing', () => {
  test.each([
    [['!!!'], /cannot make a project name/],
    [['api', '--agent', 'missing.md'], /cannot read agent guidance file missing\.md: no such file/],
    [['api', '--db', 'oracle'], /--db: "oracle" is not one of sqlite, postgresql, mysql/],
  ])('%p', async (args, message) => {
    const result = await runCliProcess([...args, '--yes', '--no-install', '--no-git'], {
      cwd: root,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(await fs.readdir(root)).toEqual([]);
  });
});

const hasTmux = (await run('tmux', ['-V'])).exitCode === 0;
if (!hasTmux)
  console.warn('skipped: tmux is not installed, so the real-terminal Ctrl-C test cannot run');

(hasTmux ? test : test.skip)(
  'Ctrl-C at a prompt in a real terminal exits 130 and writes nothing',
  async () => {
    const session = `cfa-${process.pid}`;
    const codeFile = path.join(root, 'exit-code');
    const target = path.join(root, 'api');
    const command = `env -u CI ${process.execPath} ${CLI} ${target} --no-install --no-git; echo $? > ${codeFile}; sleep 30`;
    await run('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '30', command]);
    try {
      await waitFor(async () => {
        const screen = await run('tmux', ['capture-pane', '-p', '-t', session]);
        return screen.stdout.includes('Project name') ? true : undefined;
      }, 20_000);
      await run('tmux', ['send-keys', '-t', session, 'C-c']);
      const code = await waitFor(async () => {
        const text = await fs.readFile(codeFile, 'utf8');
        return text.trim() === '' ? undefined : text.trim();
      }, 20_000);
      expect(code).toBe('130');
      expect(await fs.readdir(root)).toEqual(['exit-code']);
    } finally {
      await run('tmux', ['kill-session', '-t', session]);
    }
  },
);

test('the packed package runs as `npm init fastapi-agent` would run it (npm exec of its bin)', async () => {
  const packDir = path.join(root, 'pack');
  await fs.mkdir(packDir);
  const pack = await run('npm', ['pack', '--silent', '--pack-destination', packDir], {
    cwd: PACKAGE_ROOT,
  });
  expect(pack.exitCode).toBe(0);
  const tarball = path.join(packDir, pack.stdout.trim().split('\n').pop() ?? '');
  const listing = await run('tar', ['tzf', tarball]);
  expect(listing.stdout).toMatch(/^package\/dist\/templates\.js$/m);
  expect(listing.stdout).toMatch(/^package\/templates\/base\/dot-gitignore\.hbs$/m);
  expect(listing.stdout).not.toMatch(/^package\/(src|tests)\//m);
  const target = path.join(root, 'from-package');
  const result = await run(
    'npm',
    [
      'exec',
      '--yes',
      '--package',
      tarball,
      '--',
      'create-fastapi-agent',
      target,
      '--yes',
      '--no-install',
      '--no-git',
    ],
    { cwd: packDir, env: { npm_config_cache: path.join(PACKAGE_ROOT, '.cache', 'npm') } },
  );
  expect(result.exitCode).toBe(0);
  expect(await exists(path.join(target, '.gitignore'))).toBe(true);
  expect(await exists(path.join(target, 'app', 'auth', 'router.py'))).toBe(true);
}, 180_000);
