/** Modes of what the generator writes: folders and files follow the umask; secrets are 0600. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { applyChange } from '../../src/io/change.js';
import { writeProjectAtomically } from '../../src/io/write-tree.js';

let root: string;
let umask: number;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-modes-'));
  umask = process.umask();
});
afterEach(async () => {
  process.umask(umask);
  await fs.rm(root, { recursive: true, force: true });
});

const tree = new Map([
  ['pyproject.toml', '[project]\n'],
  ['app/core/config.py', 'x = 1\n'],
  ['.env', 'SECRET_KEY=abc\n'],
  ['.env.example', 'SECRET_KEY=\n'],
  ['deploy/.env', 'SECRET_KEY=def\n'],
]);

const modeOf = async (file: string): Promise<string> =>
  ((await fs.stat(file)).mode & 0o777).toString(8);
const octal = (mode: number): string => mode.toString(8);

describe.each([0o022, 0o002, 0o027, 0o077].map((m) => [`0${octal(m)}`, m] as const))(
  'with umask %s',
  (_label, mask) => {
    const folder = octal(0o777 & ~mask);
    const file = octal(0o666 & ~mask);
    const secret = octal(0o600 & ~mask);

    test.each([
      ['a new folder', async (target: string) => target],
      ['a new folder in new parents', async (target: string) => path.join(target, 'a', 'b')],
      [
        'an existing empty folder (keeps its own mode)',
        async (target: string) => {
          await fs.mkdir(target, { mode: 0o750 });
          await fs.chmod(target, 0o750);
          return target;
        },
      ],
    ])('%s: folders follow the umask, .env is 0600', async (label, make) => {
      process.umask(mask);
      const target = await make(path.join(root, 'p'));
      await writeProjectAtomically(target, tree, { force: false });
      const own = label.startsWith('an existing') ? '750' : folder;
      expect({
        target: await modeOf(target),
        app: await modeOf(path.join(target, 'app')),
        core: await modeOf(path.join(target, 'app', 'core')),
        deploy: await modeOf(path.join(target, 'deploy')),
        pyproject: await modeOf(path.join(target, 'pyproject.toml')),
        config: await modeOf(path.join(target, 'app', 'core', 'config.py')),
        example: await modeOf(path.join(target, '.env.example')),
        env: await modeOf(path.join(target, '.env')),
        deployEnv: await modeOf(path.join(target, 'deploy', '.env')),
      }).toEqual({
        target: own,
        app: folder,
        core: folder,
        deploy: folder,
        pyproject: file,
        config: file,
        example: file,
        env: secret,
        deployEnv: secret,
      });
      if (label.includes('parents')) {
        expect(await modeOf(path.join(root, 'p'))).toBe(folder);
        expect(await modeOf(path.join(root, 'p', 'a'))).toBe(folder);
      }
    });

    test('an update creates .env 0600 and new files as the umask says', async () => {
      process.umask(mask);
      await applyChange(root, [
        { path: '.env', content: 'SECRET_KEY=abc\n' },
        { path: 'app/new.py', content: 'x = 1\n' },
      ]);
      expect([
        await modeOf(path.join(root, '.env')),
        await modeOf(path.join(root, 'app/new.py')),
      ]).toEqual([secret, file]);
    });
  },
);

test('an update keeps the mode of a file it replaces', async () => {
  await fs.writeFile(path.join(root, 'run.sh'), 'echo 1\n');
  await fs.chmod(path.join(root, 'run.sh'), 0o750);
  await fs.writeFile(path.join(root, '.env'), 'SECRET_KEY=old\n');
  await fs.chmod(path.join(root, '.env'), 0o640);
  await applyChange(root, [
    { path: 'run.sh', content: 'echo 2\n' },
    { path: '.env', content: 'SECRET_KEY=new\n' },
  ]);
  expect(await modeOf(path.join(root, 'run.sh'))).toBe('750');
  expect(await modeOf(path.join(root, '.env'))).toBe('640');
  expect(await fs.readFile(path.join(root, 'run.sh'), 'utf8')).toBe('echo 2\n');
});
