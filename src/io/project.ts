import { existsSync, lstatSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import {
  BASE_DIR,
  MANIFEST_PATH,
  parseManifest,
  type Manifest,
  type ReadManifest,
} from '../core/manifest.js';
import type { Action } from '../core/plan.js';
import type { FileChange } from './change.js';
import type { FileTree } from '../core/render.js';
import { stateFiles } from '../core/state.js';
import { decodeUtf8, readRegularFile, readTextIfExists } from './files.js';

/** The generated project containing `start` (it or a folder above it holds the manifest). */
export function findProject(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    // Anything there marks the project, even a dangling link: readManifest then says what is wrong.
    if (lstatSync(path.join(dir, MANIFEST_PATH), { throwIfNoEntry: false })) return dir;
    if (path.dirname(dir) === dir) {
      throw new UserError(
        `not inside a project made by create-fastapi-agent: no ${MANIFEST_PATH} in ${path.resolve(start)} or above`,
      );
    }
  }
}

/** Far more than any project's manifest: the limit only keeps a wrong file from filling memory. */
export const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The project's manifest, upgraded in memory when an older release wrote it. Every command that
 * changes a project reads it first, through this one check: a folder, a FIFO, a device, a
 * dangling link, an empty, too large or non-UTF-8 file is a one-line error before anything is
 * written.
 */
export async function readManifestFile(dir: string): Promise<ReadManifest> {
  const file = path.join(dir, MANIFEST_PATH);
  const text = decodeUtf8(await readRegularFile(file, 'manifest', MANIFEST_MAX_BYTES), file);
  if (text.trim() === '') throw new UserError(`${file}: is empty, not a manifest`);
  return parseManifest(text, file);
}

export async function readManifest(dir: string): Promise<Manifest> {
  return (await readManifestFile(dir)).manifest;
}

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** Caches tools may leave in any folder with Python in it: never part of the base. */
const TOOL_CACHES = /(?:^|\/)(?:__pycache__|\.ruff_cache|\.mypy_cache|\.pytest_cache)\//;

/** The base snapshot: `.fastapi-agent/base/<path>` for every file the generator merges. */
export async function readBase(dir: string): Promise<Map<string, string>> {
  const root = path.join(dir, BASE_DIR);
  const base = new Map<string, string>();
  for (const file of await listFiles(root)) {
    if (TOOL_CACHES.test(file)) continue;
    base.set(file, await fs.readFile(path.join(root, file), 'utf8'));
  }
  return base;
}

/** The current content of each of `paths` on disk (absent when the file does not exist). */
export async function readDisk(dir: string, paths: Iterable<string>): Promise<Map<string, string>> {
  const disk = new Map<string, string>();
  await Promise.all(
    [...paths].map(async (file) => {
      const content = await readTextIfExists(path.join(dir, file));
      if (content !== null) disk.set(file, content);
    }),
  );
  return disk;
}

/**
 * A plan's writes and deletions, then the new state (the base snapshot, then the manifest, last),
 * as one change: see io/change.ts.
 */
export async function planChanges(
  dir: string,
  actions: readonly Action[],
  manifest: Manifest,
  base: FileTree,
): Promise<FileChange[]> {
  const changes: FileChange[] = [];
  for (const action of actions) {
    if (action.kind === 'delete') changes.push({ path: action.path, content: null });
    else if (action.kind !== 'keep') changes.push({ path: action.path, content: action.content });
  }
  for (const stale of await listFiles(path.join(dir, BASE_DIR))) {
    if (!base.has(stale)) changes.push({ path: `${BASE_DIR}/${stale}`, content: null });
  }
  const state = [...stateFiles(manifest, base)];
  state.sort(([a], [b]) => (a === MANIFEST_PATH ? 1 : b === MANIFEST_PATH ? -1 : 0));
  for (const [file, content] of state) changes.push({ path: file, content });
  return changes;
}
