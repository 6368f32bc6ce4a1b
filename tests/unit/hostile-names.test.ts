/**
 * Names that would break the generated project are refused with the reason, before anything is
 * written; names that merely look risky are accepted, and the code made from them passes Ruff.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/cli.js';

const FIXTURE = path.resolve('tests/fixtures/projects/shop-0.1.0');
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-names-'));
  await fs.cp(FIXTURE, dir, { recursive: true });
  // Upgrade the manifest once, so each case below starts from the same files.
  expect(await runCli(['regenerate', '--project', dir], fakeIo())).toBe(0);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function snapshot(): Promise<Map<string, string>> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return new Map(
    await Promise.all(files.map(async (f) => [f, await fs.readFile(f, 'utf8')] as const)),
  );
}

async function cli(...args: string[]): Promise<{ code: number; err: string }> {
  const io = fakeIo();
  const code = await runCli([...args, '--project', dir], io);
  return { code, err: io.err.join('') };
}

describe('refused: the generated code would shadow an import, a builtin or its own names', () => {
  test.each([
    ['resource', 'annotated'], // typing.Annotated
    ['resource', 'query'], // fastapi.Query
    ['resource', 'not_found_error'], // the project's NotFoundError
    ['resource', 'conflict_error'],
    ['resource', 'list'], // builtins
    ['resource', 'dict'],
    ['resource', 'str'],
    ['resource', 'filter'],
    ['resource', 'object'],
    ['resource', 'any'],
    ['resource', 'Lists'],
  ])('add %s %s', async (kind, name) => {
    const before = await snapshot();
    const result = await cli('add', kind, name, '--fields', 'title:str');
    expect(result.code).toBe(2);
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).toMatch(
      /would make generated code fail ruff check: app\/\w+\/\w+\.py:\d+: [A-Z]+\d+ .*; choose another name/,
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe('accepted: names that only look risky', () => {
  test.each(['status', 'date', 'page', 'field', 'select', 'literal', 'depends'])(
    'add resource %s, then remove it',
    async (name) => {
      const added = await cli('add', 'resource', name, '--fields', 'title:str');
      expect([name, added.code, added.err]).toEqual([name, 0, '']);
      const removed = await cli('remove', 'resource', name);
      expect([name, removed.code]).toEqual([name, 0]);
    },
  );
});
