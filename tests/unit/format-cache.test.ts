/** Formatted Python is kept between runs by the hash of what went in; a bad cache is no cache. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { loadPythonFormatter } from '../../src/io/ruff.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-cache-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SOURCES: Array<[string, string]> = [
  ['app/a.py', 'import os\nimport sys\nx=os.sep\n'],
  ['app/__init__.py', 'from app.a import x\n'],
  ['app/b.py', 'def f( a ):\n  return a\n'],
];

test('a second run finds every file in the cache, with the same results', async () => {
  const first = await loadPythonFormatter({ cacheDir: dir });
  const results = SOURCES.map(([file, source]) => first.format(source, file));
  first.flush?.();
  expect(first.stats).toEqual({ hits: 0, misses: 3 });
  expect(results[0]).toBe('import os\n\nx = os.sep\n'); // unused sys removed

  const second = await loadPythonFormatter({ cacheDir: dir });
  expect(SOURCES.map(([file, source]) => second.format(source, file))).toEqual(results);
  expect(second.stats).toEqual({ hits: 3, misses: 0 });
});

test('the same text in an __init__.py keeps its imports: the path is part of the key', async () => {
  const formatter = await loadPythonFormatter({ cacheDir: dir });
  const source = 'import sys\n';
  expect(formatter.format(source, 'app/x.py')).toBe('');
  expect(formatter.format(source, 'app/__init__.py')).toBe('import sys\n');
});

test.each([
  ['not JSON', '{broken'],
  ['a list', '[1, 2]'],
  ['values that are not text', '{"x": 1}'],
])('a cache file that is %s is not used, and is replaced', async (_, text) => {
  const name = await (async () => {
    const f = await loadPythonFormatter({ cacheDir: dir });
    f.format('x=1\n', 'a.py');
    f.flush?.();
    return (await fs.readdir(dir))[0] ?? '';
  })();
  await fs.writeFile(path.join(dir, name), text);
  const formatter = await loadPythonFormatter({ cacheDir: dir });
  expect(formatter.format('x=1\n', 'a.py')).toBe('x = 1\n');
  expect(formatter.stats.misses).toBe(1);
  formatter.flush?.();
  expect(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8'))).toEqual(expect.any(Object));
});

test('a cache folder that cannot be written costs time, not the result', async () => {
  const file = path.join(dir, 'a-file');
  await fs.writeFile(file, '');
  const formatter = await loadPythonFormatter({ cacheDir: path.join(file, 'cache') });
  expect(formatter.format('x=1\n', 'a.py')).toBe('x = 1\n');
  expect(() => formatter.flush?.()).not.toThrow();
});

test('a seed made by the build is used for what the user cache lacks, if made for this formatter', async () => {
  const { FORMAT_CACHE_NAME } = await import('../../src/io/ruff.js');
  const { hashOf } = await import('../../src/io/format-cache.js');
  const key = hashOf('F401\0x=1\n');
  const seedFile = path.join(dir, 'seed.json');
  // A seed entry is trusted as the build wrote it: a marker shows it was used.
  await fs.writeFile(
    seedFile,
    JSON.stringify({ name: FORMAT_CACHE_NAME, entries: { [key]: 'x = 1  # seed\n' } }),
  );
  const seeded = await loadPythonFormatter({ cacheDir: null, seedFile });
  expect(seeded.format('x=1\n', 'a.py')).toBe('x = 1  # seed\n');
  expect(seeded.stats).toEqual({ hits: 1, misses: 0 });

  await fs.writeFile(
    seedFile,
    JSON.stringify({ name: 'ruff-0.0.1-other', entries: { [key]: 'stale\n' } }),
  );
  const other = await loadPythonFormatter({ cacheDir: null, seedFile });
  expect(other.format('x=1\n', 'a.py')).toBe('x = 1\n');
  expect(other.stats).toEqual({ hits: 0, misses: 1 });
});

test('the seed the build writes holds the bundled guidance projects, formatted', async () => {
  const { FORMAT_SEED } = await import('../../src/io/paths.js');
  const seed = JSON.parse(await fs.readFile(FORMAT_SEED, 'utf8')) as {
    entries: Record<string, string>;
  };
  const entries = Object.values(seed.entries);
  expect(entries.length).toBeGreaterThan(50);
  const python = await loadPythonFormatter({ cacheDir: null });
  for (const content of entries.slice(0, 20))
    expect(python.format(content, 'app/__init__.py')).toBe(content);
});
