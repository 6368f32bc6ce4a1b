/** The guidance file is read only when it is a regular file of a bounded size. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { AGENT_FILE_MAX_BYTES, readAgentBytes, readAgentFile } from '../../src/io/agent-file.js';
import { fakeIo } from '../helpers/cli.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-agent-file-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;

/** Each makes a path in `r` that is not a readable guidance file, and the reason it is refused. */
const refused: Array<[string, (r: string) => Promise<string>, RegExp]> = [
  [
    'a FIFO (no writer: opening it for reading would wait forever)',
    async (r) => {
      execFileSync('mkfifo', [path.join(r, 'pipe.md')]);
      return path.join(r, 'pipe.md');
    },
    /: is a named pipe \(FIFO\), not a file$/,
  ],
  ['/dev/zero (endless)', async () => '/dev/zero', /: is a character device, not a file$/],
  ['/dev/null', async () => '/dev/null', /: is a character device, not a file$/],
  ['a folder', async (r) => r, /: is a folder, not a file$/],
  [
    'a symbolic link to a folder',
    async (r) => {
      await fs.symlink(r, path.join(r, 'link.md'));
      return path.join(r, 'link.md');
    },
    /: is a folder, not a file$/,
  ],
  [
    'a symbolic link to a FIFO',
    async (r) => {
      execFileSync('mkfifo', [path.join(r, 'pipe')]);
      await fs.symlink(path.join(r, 'pipe'), path.join(r, 'link.md'));
      return path.join(r, 'link.md');
    },
    /: is a named pipe \(FIFO\), not a file$/,
  ],
  [
    'a dangling symbolic link',
    async (r) => {
      await fs.symlink(path.join(r, 'gone.md'), path.join(r, 'link.md'));
      return path.join(r, 'link.md');
    },
    /: is a symbolic link to .*gone\.md, which does not exist$/,
  ],
  [
    'a symbolic link to itself',
    async (r) => {
      await fs.symlink(path.join(r, 'loop.md'), path.join(r, 'loop.md'));
      return path.join(r, 'loop.md');
    },
    /: too many levels of symbolic links$/,
  ],
  ['a missing file', async (r) => path.join(r, 'none.md'), /: no such file$/],
  [
    'a path through a file',
    async (r) => {
      await fs.writeFile(path.join(r, 'file'), 'x');
      return path.join(r, 'file', 'agent.md');
    },
    /: a part of the path is not a folder$/,
  ],
  [
    'a file one byte over the limit (sparse: nothing is written to disk)',
    async (r) => {
      await fs.writeFile(path.join(r, 'big.md'), '');
      await fs.truncate(path.join(r, 'big.md'), AGENT_FILE_MAX_BYTES + 1);
      return path.join(r, 'big.md');
    },
    /: is 8\.0 MiB, larger than the limit of 8\.0 MiB$/,
  ],
  [
    'a file of 64 GiB (sparse)',
    async (r) => {
      await fs.writeFile(path.join(r, 'huge.md'), '');
      await fs.truncate(path.join(r, 'huge.md'), 64 * 1024 ** 3);
      return path.join(r, 'huge.md');
    },
    /: is 65536\.0 MiB, larger than the limit of 8\.0 MiB$/,
  ],
];

describe.each(refused)('%s', (_label, make, reason) => {
  test('is refused with one line naming it, before reading anything', async () => {
    const file = await make(root);
    const error = await readAgentBytes(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UserError', exitCode: 2 });
    const { message } = error as Error;
    expect(message).toMatch(/^cannot read agent guidance file /);
    expect(message).toContain(file);
    expect(message).toMatch(reason);
    expect(message).not.toContain('\n');
  });

  test('`practices` exits 2 with that line; `create` writes nothing', async () => {
    const file = await make(root);
    const before = (await fs.readdir(root)).sort();
    const practices = fakeIo();
    expect(await runCli(['practices', '--agent', file], practices)).toBe(2);
    expect(practices.err.join('').trim().split('\n')).toEqual([expect.stringMatching(reason)]);
    const create = fakeIo();
    const target = path.join(root, 'p');
    const code = await runCli(
      [target, '--agent', file, '--yes', '--no-install', '--no-git'],
      create,
    );
    expect(code).toBe(2);
    expect(create.err.join('').trim().split('\n')).toEqual([expect.stringMatching(reason)]);
    expect((await fs.readdir(root)).sort()).toEqual(before);
  });
});

(isRoot ? test.skip : test)('a file without read permission is refused', async () => {
  const file = path.join(root, 'secret.md');
  await fs.writeFile(file, '---\nname: a\n---\nUse SQLite.\n');
  await fs.chmod(file, 0o000);
  await expect(readAgentBytes(file)).rejects.toThrow(/: permission denied$/);
});

test('a file of exactly the limit is read whole (and then judged on its content)', async () => {
  const file = path.join(root, 'edge.md');
  await fs.writeFile(file, '');
  await fs.truncate(file, AGENT_FILE_MAX_BYTES);
  expect((await readAgentBytes(file)).length).toBe(AGENT_FILE_MAX_BYTES);
  await expect(readAgentFile(file)).rejects.toThrow(/edge\.md: is a binary file/);
});

test('a regular file, also through a symbolic link, is read as it is', async () => {
  const text = `---\nname: a\n---\nUse PostgreSQL. ${'é'.repeat(100_000)}\n`;
  await fs.writeFile(path.join(root, 'a.md'), text);
  await fs.symlink(path.join(root, 'a.md'), path.join(root, 'link.md'));
  for (const file of ['a.md', 'link.md']) {
    expect((await readAgentBytes(path.join(root, file))).toString('utf8')).toBe(text);
    expect((await readAgentFile(path.join(root, file))).name).toBe('a');
  }
});
