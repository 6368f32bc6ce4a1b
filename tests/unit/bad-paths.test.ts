/**
 * Odd targets and damaged project state: each is one line on stderr, exit code 2, and nothing
 * written (the folder is compared before and after), never a stack trace.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { MANIFEST_PATH } from '../../src/core/manifest.js';
import { fakeIo } from '../helpers/cli.js';
import { snapshot } from '../helpers/snapshot.js';

const quiet = ['--yes', '--no-install', '--no-git'];
const isRoot = process.getuid?.() === 0;

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-bad-'));
});
afterEach(async () => {
  await fs.chmod(root, 0o700).catch(() => undefined);
  await fs.rm(root, { recursive: true, force: true });
});

async function expectRefused(args: string[], where: string, message: RegExp): Promise<void> {
  const before = await snapshot(where);
  const io = fakeIo();
  const code = await runCli(args, io);
  // Warnings about the guidance file may come first: the error is the one other line.
  const lines = io.err
    .join('')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('warning: '));
  expect({ code, lines }).toEqual({ code: 2, lines: [expect.stringMatching(message)] });
  expect(lines[0]).not.toMatch(/\n|^\s+at /);
  expect(await snapshot(where)).toEqual(before);
}

/** A name of `bytes` bytes of UTF-8 made of `char` (1 to 4 bytes each). */
const nameOf = (char: string, bytes: number): string =>
  char.repeat(Math.floor(bytes / Buffer.byteLength(char)));

describe('create: a target the file system would refuse', () => {
  test.each([
    ['300 ASCII characters', nameOf('a', 300), 300],
    ['256 ASCII characters (one over the limit)', nameOf('a', 256), 256],
    ['128 two-byte characters (256 bytes)', nameOf('é', 256), 256],
    ['86 three-byte characters (258 bytes)', nameOf('€', 258), 258],
    ['64 four-byte characters (256 bytes)', nameOf('😀', 256), 256],
  ])('a name of %s', async (_label, name, bytes) => {
    expect(Buffer.byteLength(name)).toBe(bytes);
    await expectRefused(
      [path.join(root, name), '--name', 'demo', ...quiet],
      root,
      new RegExp(`is ${bytes} bytes long; file and folder names are limited to 255 bytes$`),
    );
  });

  test('a name over the limit in a parent folder', async () => {
    await expectRefused(
      [path.join(root, nameOf('a', 256), 'p'), ...quiet],
      root,
      /is 256 bytes long; file and folder names are limited to 255 bytes$/,
    );
  });

  test('a path over 4095 bytes', async () => {
    const deep = path.join(root, ...Array.from({ length: 20 }, () => nameOf('b', 250)));
    await expectRefused([deep, '--name', 'demo', ...quiet], root, /the limit is 4095$/);
  });

  test.each([
    ['255 ASCII characters', nameOf('a', 255)],
    ['85 three-byte characters (255 bytes)', nameOf('€', 255)],
  ])('a name of exactly the limit, %s, is written', async (_label, name) => {
    const io = fakeIo();
    expect(await runCli([path.join(root, name), '--name', 'demo', ...quiet], io)).toBe(0);
    expect(await fs.readdir(root)).toEqual([name]);
    await fs.access(path.join(root, name, 'pyproject.toml'));
  });
});

describe('create: a target that is not a folder one can write in', () => {
  const cases: Array<[string, (r: string) => Promise<string>, RegExp]> = [
    [
      'a dangling symbolic link',
      async (r) => {
        await fs.symlink(path.join(r, 'gone'), path.join(r, 'link'));
        return path.join(r, 'link');
      },
      /target .*link is a symbolic link to .*gone, which does not exist$/,
    ],
    [
      'a symbolic link to itself',
      async (r) => {
        await fs.symlink(path.join(r, 'loop'), path.join(r, 'loop'));
        return path.join(r, 'loop');
      },
      /target .*loop: too many levels of symbolic links$/,
    ],
    [
      'a file',
      async (r) => {
        await fs.writeFile(path.join(r, 'file'), 'x');
        return path.join(r, 'file');
      },
      /target .*file exists and is not a folder$/,
    ],
    [
      'a FIFO',
      async (r) => {
        execFileSync('mkfifo', [path.join(r, 'pipe')]);
        return path.join(r, 'pipe');
      },
      /target .*pipe exists and is not a folder$/,
    ],
    [
      'a folder inside a file',
      async (r) => {
        await fs.writeFile(path.join(r, 'file'), 'x');
        return path.join(r, 'file', 'p');
      },
      /cannot create .*file\/p: .*file is not a folder$/,
    ],
    [
      'a folder two levels under a file',
      async (r) => {
        await fs.writeFile(path.join(r, 'file'), 'x');
        return path.join(r, 'file', 'a', 'p');
      },
      /cannot create .*file\/a\/p: .*file is not a folder$/,
    ],
  ];
  test.each(cases)('%s', async (_label, make, message) => {
    const target = await make(root);
    await expectRefused([target, '--name', 'demo', ...quiet], root, message);
  });

  (isRoot ? test.skip : test)('a folder whose parent is read-only', async () => {
    await fs.mkdir(path.join(root, 'ro'));
    await fs.chmod(path.join(root, 'ro'), 0o555);
    await expectRefused(
      [path.join(root, 'ro', 'p'), '--name', 'demo', ...quiet],
      root,
      /cannot create .*ro\/p: cannot write in .*ro \(permission denied\)$/,
    );
  });

  test('a folder in a place even root cannot write (sysfs), when there is one', async () => {
    const probe = await fs.mkdir('/sys/cfa-probe').then(
      () => fs.rmdir('/sys/cfa-probe').then(() => false),
      () => true,
    );
    if (!probe) return; // no such place on this machine
    await expectRefused(
      ['/sys/cfa-test/p', '--name', 'demo', ...quiet],
      root,
      /^create-fastapi-agent: cannot (create|write) \/sys\/cfa-test\/p: /,
    );
  });
});

describe('a project whose manifest cannot be read', () => {
  let template: string;
  beforeAll(async () => {
    template = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-bad-project-')), 'shop');
    expect(await runCli([template, ...quiet], fakeIo())).toBe(0);
  });
  afterAll(async () => {
    await fs.rm(path.dirname(template), { recursive: true, force: true });
  });

  const damages: Array<[string, (file: string) => Promise<void>, RegExp]> = [
    [
      'a folder',
      (f) => fs.mkdir(f),
      /cannot read manifest .*manifest\.json: is a folder, not a file$/,
    ],
    [
      'a FIFO',
      async (f) => execFileSync('mkfifo', [f]) && undefined,
      /manifest\.json: is a named pipe \(FIFO\), not a file$/,
    ],
    [
      'a link to /dev/zero',
      (f) => fs.symlink('/dev/zero', f),
      /manifest\.json: is a character device, not a file$/,
    ],
    [
      'a dangling link',
      (f) => fs.symlink('gone.json', f),
      /manifest\.json: is a symbolic link to gone\.json, which does not exist$/,
    ],
    ['empty', (f) => fs.writeFile(f, ''), /manifest\.json: is empty, not a manifest$/],
    ['blank lines', (f) => fs.writeFile(f, '\n \n'), /manifest\.json: is empty, not a manifest$/],
    [
      'not UTF-8',
      (f) => fs.writeFile(f, Buffer.from([0xff, 0xfe, 0x7b, 0x7d])),
      /manifest\.json: is not UTF-8 text$/,
    ],
    [
      'JSON that spans lines, cut short',
      (f) => fs.writeFile(f, '{\n  "manifestVersion": 1,\n'),
      /manifest\.json: not valid JSON/,
    ],
  ];

  describe.each(damages)('%s', (_label, damage, message) => {
    test.each(
      [
        ['regenerate'],
        ['add', 'field', 'item', 'note:text:optional'],
        ['add', 'resource', 'order', '--fields', 'number:str'],
        ['remove', 'resource', 'item'],
        ['add', 'router', 'reports'],
      ].map((command) => [command.join(' '), command] as const),
    )('%s', async (_label, command) => {
      const project = path.join(root, 'shop');
      await fs.cp(template, project, { recursive: true });
      const manifest = path.join(project, MANIFEST_PATH);
      await fs.rm(manifest);
      await damage(manifest);
      await expectRefused([...command, '--project', project], root, message);
    });
  });
});
