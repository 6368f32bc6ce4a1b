import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { STALE_STAGING_MS, writeProjectAtomically } from '../../src/io/write-tree.js';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-write-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const tree = new Map([
  ['a.txt', 'A'],
  ['pkg/b.py', 'B'],
  ['.env', 'SECRET=1'],
]);

async function listAll(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('writeProjectAtomically', () => {
  test('creates a new folder (and its parents) with every file', async () => {
    const target = path.join(root, 'deep', 'proj');
    await writeProjectAtomically(target, tree, { force: false });
    expect(await listAll(target)).toEqual(['.env', 'a.txt', 'pkg/b.py']);
    expect(await fs.readFile(path.join(target, 'pkg/b.py'), 'utf8')).toBe('B');
    expect(await fs.readdir(path.join(root, 'deep'))).toEqual(['proj']);
  });

  test('fills an existing empty folder', async () => {
    const target = path.join(root, 'empty');
    await fs.mkdir(target);
    await writeProjectAtomically(target, tree, { force: false });
    expect(await listAll(target)).toEqual(['.env', 'a.txt', 'pkg/b.py']);
    expect(await fs.readdir(root)).toEqual(['empty']);
  });

  test('refuses a non-empty folder without force and leaves it untouched', async () => {
    const target = path.join(root, 'full');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'mine.txt'), 'keep');
    const attempt = writeProjectAtomically(target, tree, { force: false });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(writeProjectAtomically(target, tree, { force: false })).rejects.toThrow(
      /is not empty .*--force/,
    );
    expect(await listAll(target)).toEqual(['mine.txt']);
    expect(await fs.readdir(root)).toEqual(['full']);
  });

  test('with force, writes file by file: replaces generated files, deletes nothing, keeps .env', async () => {
    const target = path.join(root, 'full');
    await fs.mkdir(path.join(target, 'pkg'), { recursive: true });
    await fs.writeFile(path.join(target, 'mine.txt'), 'keep');
    await fs.writeFile(path.join(target, 'a.txt'), 'old');
    await fs.writeFile(path.join(target, '.env'), 'SECRET_KEY=mine');
    await fs.writeFile(path.join(target, 'pkg', 'stale.py'), 'old');
    const report = await writeProjectAtomically(target, tree, { force: true });
    expect(await listAll(target)).toEqual([
      '.env',
      'a.txt',
      'mine.txt',
      'pkg/b.py',
      'pkg/stale.py',
    ]);
    expect(await fs.readFile(path.join(target, 'a.txt'), 'utf8')).toBe('A');
    expect(await fs.readFile(path.join(target, '.env'), 'utf8')).toBe('SECRET_KEY=mine');
    expect(report).toEqual({ replaced: ['a.txt'], kept: ['.env'] });
  });

  test('a failure half way leaves no target and no staging folder behind', async () => {
    // "x" is both a file and a folder: writing must fail after the staging folder exists.
    const impossible = new Map([
      ['x', 'file'],
      ['x/y.py', 'child'],
    ]);
    const target = path.join(root, 'proj');
    await expect(writeProjectAtomically(target, impossible, { force: false })).rejects.toThrow();
    expect(await fs.readdir(root)).toEqual([]);
  });

  test('a target that is a file is a clear error', async () => {
    const target = path.join(root, 'file');
    await fs.writeFile(target, 'x');
    await expect(writeProjectAtomically(target, tree, { force: true })).rejects.toThrow(
      /exists and is not a folder/,
    );
  });
});

test('staging folders a killed run left beside the target are removed; a live one is kept', async () => {
  const target = path.join(root, 'proj');
  const stale = path.join(root, '.proj.staging-abc123');
  const live = path.join(root, '.proj.staging-def456');
  const other = path.join(root, '.other.staging-abc123');
  for (const folder of [stale, live, other]) {
    await fs.mkdir(folder);
    await fs.writeFile(path.join(folder, 'half.py'), 'x = 1\n');
  }
  const old = (Date.now() - STALE_STAGING_MS - 5_000) / 1000;
  await fs.utimes(stale, old, old);
  await fs.utimes(other, old, old);
  await writeProjectAtomically(target, tree, { force: false });
  expect((await fs.readdir(root)).sort()).toEqual([
    '.other.staging-abc123',
    '.proj.staging-def456',
    'proj',
  ]);
});
