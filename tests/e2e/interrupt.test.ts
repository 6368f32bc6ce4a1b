/**
 * Ctrl-C (SIGINT) or a kill (SIGKILL) at a random point of a grow command: afterwards the project
 * is either as it was or complete, and the next command works without conflicts.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { execa } from 'execa';
import { MANIFEST_PATH, parseManifest } from '../../src/core/manifest.js';
import { resourceNames } from '../../src/core/resources.js';
import { loadPythonLinter } from '../../src/io/ruff.js';
import { CLI, runCliProcess } from '../helpers/process.js';

jest.setTimeout(300_000);

const FIXTURE = path.resolve('tests/fixtures/projects/shop-0.1.0');
const RUNS = 30;
let root: string;
let dir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-interrupt-'));
  dir = path.join(root, 'shop');
  await fs.cp(FIXTURE, dir, { recursive: true });
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A small deterministic generator, so that a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const cli = (args: string[]) => runCliProcess([...args, '--project', dir], { env: { CI: 'true' } });

/** Every resource of the manifest has its files, and every migration it lists exists. */
async function consistent(): Promise<void> {
  const { manifest } = parseManifest(
    await fs.readFile(path.join(dir, MANIFEST_PATH), 'utf8'),
    MANIFEST_PATH,
  );
  for (const resource of manifest.resources) {
    const module = resourceNames(resource.name).module;
    await expect(fs.access(path.join(dir, 'app', module, 'models.py'))).resolves.toBeUndefined();
  }
  const revisions = (await fs.readdir(path.join(dir, 'migrations', 'versions')))
    .filter((f) => f.endsWith('.py'))
    .map((f) => f.slice(0, 4))
    .sort();
  expect(revisions).toEqual(manifest.migrations.map((m) => m.revision));
}

test(`${RUNS} grow commands interrupted at random points leave the project usable`, async () => {
  const seed = Number(process.env.CFA_INTERRUPT_SEED ?? Date.now() % 100_000);
  const next = random(seed);
  const started = performance.now();
  const first = await runCliProcess(
    ['add', 'field', 'customer', 'nickname:str:optional', '--project', dir],
    { env: { CI: 'true', CFA_TEST_SLOW_CHANGE: '15' } },
  );
  expect(first.exitCode).toBe(0);
  const duration = performance.now() - started;
  const outcomes = { interrupted: 0, finished: 0, explained: 0 };
  for (let i = 0; i < RUNS; i += 1) {
    const delay = Math.round(next() * duration * 1.2);
    const signal = i % 2 === 0 ? 'SIGINT' : 'SIGKILL';
    // Every kind of grow command in turn; the ones that remove something get it first.
    const kind = i % 6;
    if (kind === 2 || kind === 4 || kind === 5) {
      const setup =
        kind === 2
          ? ['add', 'field', 'customer', `nick${i}:str:optional`]
          : kind === 4
            ? ['add', 'router', `panel${i}`]
            : ['add', 'resource', `temp${i}`, '--fields', 'label:str'];
      expect((await cli(setup)).exitCode).toBe(0);
    }
    const command = [
      ['add', 'resource', `thing${i}`, '--fields', 'code:str:unique,customer:ref(customer)'],
      ['add', 'field', 'order', `extra${i}:int:optional`],
      ['remove', 'field', 'customer', `nick${i}`],
      ['add', 'websocket', `live${i}`],
      ['remove', 'router', `panel${i}`],
      ['remove', 'resource', `temp${i}`],
    ][kind] as string[];
    const args = [...command, '--project', dir];
    // Each file the change replaces takes 15 ms more: most kills land while it is applied.
    const child = execa(process.execPath, [CLI, ...args], {
      reject: false,
      env: { CI: 'true', CFA_TEST_SLOW_CHANGE: '15' },
    });
    const timer = setTimeout(() => child.kill(signal), delay);
    const result = await child;
    clearTimeout(timer);
    if (result.exitCode === 0) outcomes.finished += 1;
    else outcomes.interrupted += 1;
    if (signal === 'SIGINT' && result.exitCode !== 0) {
      // Once the command is under way it says what state the project is in (before that,
      // Node itself stops the process with nothing to say).
      expect(String(result.stderr)).toMatch(
        /^$|^Cancelled(: nothing was written| while files were being replaced)/,
      );
      if (String(result.stderr)) outcomes.explained += 1;
    }
    // The next command rolls back what was left half done, and works.
    const after = await cli(['regenerate']);
    expect([
      `seed ${seed}, run ${i}, ${signal} after ${delay} ms`,
      after.exitCode,
      after.all,
    ]).toEqual([
      `seed ${seed}, run ${i}, ${signal} after ${delay} ms`,
      0,
      expect.not.stringMatching(/CONFLICT/),
    ]);
    await consistent();
  }
  console.log(
    `seed ${seed}: ${outcomes.interrupted} interrupted (${outcomes.explained} with a message), ${outcomes.finished} finished`,
  );
  expect(outcomes.interrupted).toBeGreaterThan(0);
  expect(outcomes.explained).toBeGreaterThan(0);

  // In the end the project's Python is still clean.
  const linter = await loadPythonLinter();
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const file = path.join(e.parentPath, e.name);
    if (!e.isFile() || !file.endsWith('.py') || file.includes('.fastapi-agent')) continue;
    const relative = path.relative(dir, file);
    const problems = linter.check(await fs.readFile(file, 'utf8'), relative).map((d) => d.code);
    expect([relative, problems]).toEqual([relative, []]);
  }
});

test('create interrupted at random points: the folder is absent, or complete with nothing half made', async () => {
  const seed = Number(process.env.CFA_INTERRUPT_SEED ?? Date.now() % 100_000);
  const next = random(seed + 1);
  const outcomes: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    const project = path.join(root, `made${i}`);
    // From the start of the run to well into the install (which takes tens of seconds here).
    const delay = Math.round(300 + next() * 6000);
    const child = execa(process.execPath, [CLI, project, '--yes'], {
      reject: false,
      env: { CI: 'true' },
    });
    const timer = setTimeout(() => child.kill('SIGINT'), delay);
    const result = await child;
    clearTimeout(timer);
    const where = `seed ${seed}, run ${i}, SIGINT after ${delay} ms`;
    const exists = async (file: string) =>
      fs.access(path.join(project, file)).then(
        () => true,
        () => false,
      );
    if (!(await exists(''))) {
      outcomes.push('absent');
      continue;
    }
    // Complete: every generated file is there, the manifest last of all.
    expect([where, await exists(MANIFEST_PATH), await exists('app/main.py')]).toEqual([
      where,
      true,
      true,
    ]);
    if (result.exitCode === 130) {
      expect([where, String(result.stderr)]).toEqual([
        where,
        expect.stringMatching(/cancelled during (git|the install): the project in .* is complete/),
      ]);
    }
    // Nothing half made: a .venv that is there works; a .git that is there has the commit.
    if (await exists('.venv')) {
      const ran = await execa(
        path.join(project, '.venv', 'bin', 'python'),
        ['-c', 'import app.main'],
        {
          cwd: project,
          reject: false,
        },
      );
      expect([where, ran.exitCode]).toEqual([where, 0]);
    }
    if (await exists('.git')) {
      const log = await execa('git', ['log', '--oneline'], { cwd: project, reject: false });
      expect([where, log.exitCode]).toEqual([where, 0]);
    }
    outcomes.push(result.exitCode === 0 ? 'finished' : 'complete, steps undone');
  }
  console.log(`create, seed ${seed}: ${outcomes.join(', ')}`);
  expect(outcomes.some((o) => o === 'complete, steps undone')).toBe(true);
});
