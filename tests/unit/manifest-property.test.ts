/**
 * Property: whatever a manifest holds (names and values drawn from hostile alphabets), regenerate
 * either refuses it with exit 2 and one line, writing nothing, or writes only inside the project
 * and emits Python that parses.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { runCli } from '../../src/cli/main.js';
import { MANIFEST_PATH } from '../../src/core/manifest.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';
import { fakeIo } from '../helpers/cli.js';

const FIXTURE = path.resolve('tests/fixtures/projects/shop-0.1.0');
const python = await loadPythonFormatter();
let root: string;
let pristine: string;
let good: Record<string, unknown>;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-prop-'));
  pristine = path.join(root, 'pristine');
  await fs.cp(FIXTURE, pristine, { recursive: true });
  expect(await runCli(['regenerate', '--project', pristine], fakeIo())).toBe(0);
  good = JSON.parse(await fs.readFile(path.join(pristine, MANIFEST_PATH), 'utf8')) as Record<
    string,
    unknown
  >;
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Strings a hostile manifest may hold. */
const hostile = fc.oneof(
  fc.constantFrom(
    '../../victim',
    '../../../../../../tmp/cfa-victim',
    '/etc/passwd',
    'a/b',
    'x"; import os; os.system("id"); "',
    "x'); import os; ('",
    '"""',
    'line\nbreak',
    'nul\0byte',
    'class',
    'import',
    'None',
    'list',
    'annotated',
    'Ünïcödé',
    '名前',
    '',
    ' ',
    'a'.repeat(300),
    '__init__',
    'order',
    'customer',
  ),
  fc.string({ maxLength: 12 }),
);
const anyValue = fc.oneof(
  hostile,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostile, { maxLength: 3 }),
  fc.dictionary(hostile, hostile, { maxKeys: 2 }),
);

type Json = Record<string, unknown> | unknown[];

/** The good manifest with one value replaced, at a path drawn from its own structure. */
function mutate(manifest: Record<string, unknown>, pick: number, value: unknown): string {
  const copy = structuredClone(manifest);
  const slots: Array<[Json, string | number]> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((v, i) => (slots.push([node, i]), walk(v)));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, k]);
        walk(v);
      }
    }
  };
  walk(copy);
  const [parent, key] = slots[pick % slots.length] as [Json, string | number];
  (parent as Record<string | number, unknown>)[key] = value;
  return JSON.stringify(copy);
}

async function listing(dir: string): Promise<Map<string, string>> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return new Map(
    await Promise.all(files.map(async (f) => [f, await fs.readFile(f, 'latin1')] as const)),
  );
}

test('regenerate on a random hostile manifest refuses, or stays inside and writes Python', async () => {
  let run = 0;
  const outcomes = { refused: 0, accepted: 0 };
  await fc.assert(
    fc.asyncProperty(fc.nat(), anyValue, async (pick, value) => {
      run += 1;
      const dir = path.join(root, `p${run}`);
      await fs.cp(pristine, dir, { recursive: true });
      await fs.writeFile(path.join(dir, MANIFEST_PATH), mutate(good, pick, value));
      const siblings = (await fs.readdir(root)).sort();
      const before = await listing(dir);
      const io = fakeIo();
      const code = await runCli(['regenerate', '--project', dir], io);
      const err = io.err.join('');
      expect((await fs.readdir(root)).sort()).toEqual(siblings);
      if (code !== 0) {
        outcomes.refused += 1;
        expect([code, err.trim().split('\n').length]).toEqual([2, 1]);
        expect(err).not.toMatch(/\n\s+at /);
        expect(await listing(dir)).toEqual(before);
      } else {
        outcomes.accepted += 1;
        for (const [file, content] of await listing(dir)) {
          expect(file.startsWith(dir + path.sep)).toBe(true);
          if (!file.endsWith('.py') || file.includes('.fastapi-agent')) continue;
          expect(() => python.format(content, file)).not.toThrow();
        }
      }
      await fs.rm(dir, { recursive: true, force: true });
    }),
    { numRuns: 50, seed: Number(process.env.CFA_PROPERTY_SEED ?? 20261130) },
  );
  console.log(`hostile manifests: ${outcomes.refused} refused, ${outcomes.accepted} accepted`);
  expect(outcomes.refused).toBeGreaterThan(0);
}, 120_000);
