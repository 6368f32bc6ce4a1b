/** A change is applied whole or rolled back, and never writes outside its project. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import {
  JOURNAL_PATH,
  applyChange,
  insideProject,
  recoverInterrupted,
  type FileChange,
} from '../../src/io/change.js';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-change-'));
  dir = path.join(root, 'project');
  await fs.mkdir(path.join(dir, 'app', 'orders'), { recursive: true });
  await fs.mkdir(path.join(root, 'outside'));
  await fs.writeFile(path.join(dir, 'app', 'orders', 'models.py'), 'old models\n');
  await fs.writeFile(path.join(dir, 'app', 'gone.py'), 'to delete\n');
  await fs.mkdir(path.join(dir, '.fastapi-agent'));
  await fs.writeFile(path.join(dir, '.fastapi-agent', 'manifest.json'), '{"old": true}\n');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function snapshot(): Promise<Record<string, string>> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  const out: Record<string, string> = {};
  for (const e of entries) {
    const file = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(root, file)] = await fs.readFile(file, 'utf8');
  }
  return out;
}

const CHANGE: FileChange[] = [
  { path: 'app/orders/models.py', content: 'new models\n' },
  { path: 'app/orders/service.py', content: 'a new file\n' },
  { path: 'app/gone.py', content: null },
  { path: 'migrations/versions/0002_add_orders.py', content: 'revision\n' },
  { path: '.fastapi-agent/manifest.json', content: '{"new": true}\n' },
];

describe('paths', () => {
  test.each([
    ['../outside/x.py', /must stay inside the project/],
    ['app/../../outside/x.py', /must stay inside the project/],
    ['app/./x.py', /must stay inside the project/],
    ['app//x.py', /must stay inside the project/],
    ['', /must stay inside the project/],
    ['/etc/passwd', /an absolute path/],
    ['C:/Windows/x', /an absolute path/],
    ['app\\..\\..\\x', /must stay inside the project/],
    ['app/x\0.py', /a NUL character/],
  ])('%j is refused', (relative, message) => {
    expect(() => insideProject(dir, relative)).toThrow(UserError);
    expect(() => insideProject(dir, relative)).toThrow(message);
  });

  test('a symbolic link on the way is refused, wherever it points', async () => {
    await fs.symlink(path.join(root, 'outside'), path.join(dir, 'app', 'evil'));
    await fs.symlink(path.join(dir, 'app', 'orders'), path.join(dir, 'app', 'alias'));
    await fs.symlink(path.join(root, 'outside', 'f.py'), path.join(dir, 'app', 'link.py'));
    for (const relative of ['app/evil/x.py', 'app/alias/models.py', 'app/link.py']) {
      expect(() => insideProject(dir, relative)).toThrow(/is a symbolic link/);
    }
    const before = await snapshot();
    await expect(
      applyChange(dir, [...CHANGE.slice(0, 2), { path: 'app/evil/x.py', content: 'x' }]),
    ).rejects.toThrow(/app\/evil is a symbolic link/);
    expect(await snapshot()).toEqual(before);
  });

  test('paths inside, existing or not, are accepted', () => {
    expect(insideProject(dir, 'app/orders/models.py')).toMatch(/project\/app\/orders\/models\.py$/);
    expect(insideProject(dir, 'new/folder/file.py')).toMatch(/project\/new\/folder\/file\.py$/);
  });
});

describe('applied whole, or rolled back', () => {
  test('a change applies every file, manifest included, and leaves no journal', async () => {
    await applyChange(dir, CHANGE);
    const after = await snapshot();
    expect(after['project/app/orders/models.py']).toBe('new models\n');
    expect(after['project/app/orders/service.py']).toBe('a new file\n');
    expect(after['project/app/gone.py']).toBeUndefined();
    expect(after['project/.fastapi-agent/manifest.json']).toBe('{"new": true}\n');
    expect(Object.keys(after).filter((f) => /journal|\.new$|\.tmp$/.test(f))).toEqual([]);
    expect(await recoverInterrupted(dir)).toBe(0);
  });

  test.each([0, 1, 2, 3, 4])(
    'interrupted after file %i: the next command restores every file as it was',
    async (stop) => {
      const before = await snapshot();
      await expect(
        applyChange(dir, CHANGE, {
          afterFile: (i) => {
            if (i === stop) throw new Error('interrupted');
          },
        }),
      ).rejects.toThrow('interrupted');
      await expect(fs.access(path.join(dir, JOURNAL_PATH))).resolves.toBeUndefined();
      expect(await recoverInterrupted(dir)).toBe(CHANGE.length);
      expect(await snapshot()).toEqual(before);
    },
  );

  test('a journal that cannot be read is an error naming it, not a guess', async () => {
    await fs.writeFile(path.join(dir, JOURNAL_PATH), '{not json');
    await expect(recoverInterrupted(dir)).rejects.toThrow(/journal\.json: an interrupted change/);
  });

  test('a journal naming a path outside the project restores nothing there', async () => {
    const journal = {
      journal: 1,
      entries: [{ path: '../outside/x.py', before: 'x', staged: null }],
    };
    await fs.writeFile(path.join(dir, JOURNAL_PATH), JSON.stringify(journal));
    await expect(recoverInterrupted(dir)).rejects.toThrow(/must stay inside the project/);
    expect(await fs.readdir(path.join(root, 'outside'))).toEqual([]);
  });
});

describe('folders a change empties', () => {
  const exists = (rel: string) =>
    fs.access(path.join(dir, rel)).then(
      () => true,
      () => false,
    );

  test('go with their last file, a cache-only folder too, up to the project', async () => {
    await fs.mkdir(path.join(dir, 'app', 'orders', '__pycache__'));
    await fs.writeFile(path.join(dir, 'app', 'orders', '__pycache__', 'models.pyc'), 'cache');
    await applyChange(dir, [{ path: 'app/orders/models.py', content: null }]);
    expect(await exists('app/orders')).toBe(false);
    // app still holds gone.py: it stays, and so does the project.
    expect(await exists('app/gone.py')).toBe(true);
  });

  test('stay when a file of the user is left in them', async () => {
    await fs.writeFile(path.join(dir, 'app', 'orders', 'notes.txt'), 'mine\n');
    await applyChange(dir, [{ path: 'app/orders/models.py', content: null }]);
    expect(await exists('app/orders/notes.txt')).toBe(true);
    expect(await exists('app/orders/models.py')).toBe(false);
  });

  test('nested ones go from the deepest up', async () => {
    await fs.mkdir(path.join(dir, 'tests', 'orders'), { recursive: true });
    await fs.writeFile(path.join(dir, 'tests', 'orders', 'test_a.py'), 'a\n');
    await applyChange(dir, [
      { path: 'tests/orders/test_a.py', content: null },
      { path: 'app/orders/models.py', content: null },
      { path: 'app/gone.py', content: null },
    ]);
    expect(await exists('tests')).toBe(false);
    expect(await exists('app')).toBe(false);
    expect(await exists('.fastapi-agent/manifest.json')).toBe(true);
  });
});
