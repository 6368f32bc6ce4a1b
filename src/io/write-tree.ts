import { randomBytes } from 'node:crypto';
import { constants, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { FileTree } from '../core/render.js';
import { applyChange, type FileChange } from './change.js';
import {
  NAME_MAX,
  checkPathLength,
  clipName,
  fsReason,
  isFsError,
  newFileMode,
  readTextIfExists,
} from './files.js';

/** Entries of a folder, or null when it does not exist. Anything else at that path is an error. */
export async function folderEntries(target: string): Promise<string[] | null> {
  try {
    const stat = await fs.stat(target);
    if (!stat.isDirectory()) throw new UserError(`target ${target} exists and is not a folder`);
    return await fs.readdir(target);
  } catch (error) {
    if (error instanceof UserError) throw error;
    // Missing, or under a file: what is above it is checked next (writableFolderAbove).
    if (isFsError(error) && error.code === 'ENOTDIR') return null;
    if (isFsError(error) && error.code === 'ENOENT') {
      const link = await fs.lstat(target).catch(() => null);
      if (!link?.isSymbolicLink()) return null;
      const to = await fs.readlink(target);
      throw new UserError(`target ${target} is a symbolic link to ${to}, which does not exist`);
    }
    if (isFsError(error)) throw new UserError(`target ${target}: ${fsReason(error)}`);
    throw error;
  }
}

/**
 * The nearest folder at or above `dir` that exists: the new project and its staging folder are
 * made in it. Refused when the path runs through a file, or when it cannot be written in.
 */
async function writableFolderAbove(dir: string, target: string): Promise<string> {
  for (let at = dir; ; at = path.dirname(at)) {
    const stat = await fs.stat(at).catch((error: unknown) => {
      if (isFsError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return null;
      throw isFsError(error)
        ? new UserError(`cannot create ${target}: ${at}: ${fsReason(error)}`)
        : error;
    });
    if (stat === null && path.dirname(at) !== at) continue;
    if (!stat?.isDirectory()) {
      throw new UserError(`cannot create ${target}: ${at} is not a folder`);
    }
    try {
      await fs.access(at, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw isFsError(error)
        ? new UserError(`cannot create ${target}: cannot write in ${at} (${fsReason(error)})`)
        : error;
    }
    return at;
  }
}

/**
 * Refuses, before any work, a target the project cannot be written to: a name the file system
 * would refuse (over 255 bytes), a dangling symbolic link, something that is not a folder, a
 * non-empty folder (unless `force`), a path through a file, or a place that cannot be written.
 * The one check `create` runs first and the writer runs again.
 */
export async function checkTarget(target: string, force: boolean): Promise<void> {
  const absolute = path.resolve(target);
  const what = `target ${shorten(target)}`;
  checkPathLength(absolute, what);
  checkPathLength(path.join(path.dirname(absolute), stagingPrefix(absolute)), what);
  const entries = await folderEntries(absolute);
  if (entries && entries.length > 0 && !force) {
    throw new UserError(
      `target ${target} is not empty (${entries.length} entries): choose another folder or pass --force`,
    );
  }
  await writableFolderAbove(path.dirname(absolute), target);
}

/**
 * A new folder `<prefix>XXXXXX`. Not mkdtemp: its folder is 0700 whatever the umask, and the
 * staging folder becomes the project's folder; mkdir gives it the mode any new folder gets.
 */
async function makeStaging(prefix: string): Promise<string> {
  for (let attempt = 0; ; attempt += 1) {
    const staging = `${prefix}${randomBytes(3).toString('hex')}`;
    try {
      await fs.mkdir(staging);
      return staging;
    } catch (error) {
      if (!isFsError(error) || error.code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}

/** A staging folder older than this was left by a run that was killed while writing it. */
export const STALE_STAGING_MS = 60_000;

/**
 * Removes the staging folders of this target that a killed run left behind (writing one takes
 * well under a second; a live run's is never this old).
 */
async function removeStaleStaging(parent: string, prefix: string): Promise<void> {
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !/^[0-9a-f]{6}$/.test(entry.slice(prefix.length))) continue;
    const folder = path.join(parent, entry);
    const stat = await fs.lstat(folder).catch(() => null);
    if (stat?.isDirectory() && Date.now() - stat.mtimeMs > STALE_STAGING_MS) {
      await fs.rm(folder, { recursive: true, force: true });
    }
  }
}

/** A long path for a message: its start and its end. */
const shorten = (text: string): string =>
  text.length > 100 ? `${text.slice(0, 60)}...${text.slice(-30)}` : text;

/** The staging folder's name before mkdtemp's six characters: short enough for any target. */
function stagingPrefix(absolute: string): string {
  const suffix = '.staging-';
  return `.${clipName(path.basename(absolute), NAME_MAX - 1 - suffix.length - 6)}${suffix}`;
}

/**
 * Folders first, in order; then every file at once: creating a file costs about a millisecond on
 * some disks (measured on the CI machines), and the thread pool overlaps those waits.
 */
async function writeTreeInto(dir: string, tree: FileTree): Promise<void> {
  const folders = new Set<string>();
  for (const file of tree.keys()) folders.add(path.dirname(path.join(dir, file)));
  for (const folder of [...folders].sort()) mkdirSync(folder, { recursive: true });
  await Promise.all(
    [...tree].map(([file, content]) =>
      fs.writeFile(path.join(dir, file), content, { encoding: 'utf8', mode: newFileMode(file) }),
    ),
  );
}

/** What writing into a folder that had files (`--force`) did to them. */
export interface ForceReport {
  /** Files that were there with other content, now the generated one. */
  replaced: string[];
  /** Files that were there and were left as they were (`.env`: it holds a secret). */
  kept: string[];
}

/** Files written once and never replaced, even with --force: `.env` holds the user's secrets. */
const NEVER_REPLACED = /(?:^|\/)\.env$/;

/**
 * Writes the project file by file into a folder that has files already (`--force`): generated
 * files are created or replaced, nothing else is touched or deleted, `.env` is never replaced.
 * The whole change is journaled (io/change.ts): it lands whole or is rolled back.
 */
async function mergeInto(absolute: string, tree: FileTree): Promise<ForceReport> {
  const report: ForceReport = { replaced: [], kept: [] };
  const changes: FileChange[] = [];
  for (const [file, content] of tree) {
    const current = await readTextIfExists(path.join(absolute, file));
    if (current === content) continue;
    if (current !== null && NEVER_REPLACED.test(file)) {
      report.kept.push(file);
      continue;
    }
    if (current !== null) report.replaced.push(file);
    changes.push({ path: file, content });
  }
  await applyChange(absolute, changes);
  return report;
}

/**
 * Writes a new project atomically: everything goes into a temporary folder beside the target,
 * which is renamed into place only when complete. An existing empty target is replaced by it.
 * With `force`, a folder that has files gets the project file by file (see mergeInto). On any
 * failure the temporary folder is removed and the target is as it was.
 */
export async function writeProjectAtomically(
  target: string,
  tree: FileTree,
  options: { force: boolean },
): Promise<ForceReport> {
  const absolute = path.resolve(target);
  await checkTarget(absolute, options.force);
  const parent = path.dirname(absolute);
  // Every file's path, in the staging folder and in place, must fit too.
  const bytes = (file: string): number => Buffer.byteLength(file);
  const longest = [...tree.keys()].reduce((a, b) => (bytes(b) > bytes(a) ? b : a), '');
  const what = `target ${shorten(target)}`;
  checkPathLength(path.join(absolute, longest), what);
  checkPathLength(path.join(parent, `${stagingPrefix(absolute)}XXXXXX`, longest), what);
  let made: string | undefined;
  let staging: string | undefined;
  try {
    made = await fs.mkdir(parent, { recursive: true });
    await removeStaleStaging(parent, stagingPrefix(absolute));
    staging = await makeStaging(path.join(parent, stagingPrefix(absolute)));
  } catch (error) {
    if (made) await fs.rm(made, { recursive: true, force: true });
    throw isFsError(error) ? new UserError(`cannot create ${target}: ${fsReason(error)}`) : error;
  }
  try {
    const existing = await folderEntries(absolute);
    if (existing !== null && existing.length > 0) {
      await fs.rm(staging, { recursive: true, force: true });
      return await mergeInto(absolute, tree);
    }
    await writeTreeInto(staging, tree);
    if (existing === null) {
      await fs.rename(staging, absolute);
    } else {
      // An empty folder that exists keeps its own mode: its new entries are moved in.
      for (const entry of await fs.readdir(staging)) {
        await fs.rename(path.join(staging, entry), path.join(absolute, entry));
      }
      await fs.rm(staging, { recursive: true, force: true });
    }
    return { replaced: [], kept: [] };
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    if (made) await fs.rm(made, { recursive: true, force: true });
    throw isFsError(error) ? new UserError(`cannot write ${target}: ${fsReason(error)}`) : error;
  }
}
