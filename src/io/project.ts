import { existsSync, lstatSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { BASE_DIR, MANIFEST_PATH, parseManifest, type Manifest } from '../core/manifest.js';
import type { Action } from '../core/plan.js';
import type { FileTree } from '../core/render.js';
import { stateFiles } from '../core/state.js';
import { decodeUtf8, newFileMode, readRegularFile } from './files.js';

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
 * The project's manifest. Every command that changes a project reads it first, through this one
 * check: a folder, a FIFO, a device, a dangling link, an empty, too large or non-UTF-8 file is a
 * one-line error before anything is written.
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_PATH);
  const text = decodeUtf8(await readRegularFile(file, 'manifest', MANIFEST_MAX_BYTES), file);
  if (text.trim() === '') throw new UserError(`${file}: is empty, not a manifest`);
  return parseManifest(text, file);
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
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
      const content = await readIfExists(path.join(dir, file));
      if (content !== undefined) disk.set(file, content);
    }),
  );
  return disk;
}

/**
 * Writes one file whole: into a temporary file beside it, then renamed over it. A file replaced
 * keeps its mode (the user's chmod); a new one gets the mode of new files (`.env`: 0600).
 */
async function writeFileAtomically(dir: string, relative: string, content: string): Promise<void> {
  const file = path.join(dir, relative);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const existing = await fs.stat(file).catch(() => null);
  const temporary = `${file}.${process.pid}.tmp`;
  const mode = existing ? existing.mode & 0o7777 : newFileMode(relative);
  await fs.writeFile(temporary, content, { encoding: 'utf8', mode });
  if (existing) await fs.chmod(temporary, mode);
  await fs.rename(temporary, file);
}

/** Carries out a plan's writes and deletions, each file whole. */
export async function applyActions(dir: string, actions: readonly Action[]): Promise<void> {
  for (const action of actions) {
    if (action.kind === 'delete') {
      await fs.rm(path.join(dir, action.path), { force: true });
      continue;
    }
    if (action.kind !== 'keep') await writeFileAtomically(dir, action.path, action.content);
  }
}

/** Replaces the manifest and the base snapshot (base files no longer generated are removed). */
export async function writeState(dir: string, manifest: Manifest, base: FileTree): Promise<void> {
  const files = stateFiles(manifest, base);
  const root = path.join(dir, BASE_DIR);
  for (const stale of await listFiles(root)) {
    if (!base.has(stale)) await fs.rm(path.join(root, stale), { force: true });
  }
  for (const [file, content] of files) {
    if ((await readIfExists(path.join(dir, file))) !== content) {
      await writeFileAtomically(dir, file, content);
    }
  }
}
