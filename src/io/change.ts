/**
 * A change to a project's files applied as one unit. Every path is checked to stay inside the
 * project (no `..`, no absolute path, no symbolic link on the way) before anything is written;
 * then a journal of what each file held is written, the files are replaced one by one (the
 * manifest last), and the journal is removed. A command interrupted halfway (Ctrl-C, a crash, a
 * full disk) leaves the journal behind, and the next command rolls the files back first.
 */
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { STATE_DIR } from '../core/manifest.js';
import { newFileMode, readTextIfExists } from './files.js';

/** A file's new content, or null to delete it. */
export type FileChange = { path: string; content: string | null };

export const JOURNAL_PATH = `${STATE_DIR}/journal.json`;

interface JournalEntry {
  path: string;
  /** What the file held before the change; null: it did not exist. */
  before: string | null;
  /** The temporary file its new content is staged in. */
  staged: string | null;
}

interface Journal {
  journal: 1;
  entries: JournalEntry[];
}

/** Test seam: called after each file is replaced, to interrupt a change at a chosen point. */
export interface ChangeHooks {
  afterFile?: (index: number) => void | Promise<void>;
}

/**
 * Where `relative` lands inside `dir`, or a UserError. Nothing on the way may be a symbolic link:
 * a link could lead outside the project, and a cloned repository can hold any link.
 */
export function insideProject(dir: string, relative: string): string {
  const refuse = (why: string): never => {
    throw new UserError(`refusing to write ${JSON.stringify(relative)}: ${why}`);
  };
  if (relative.includes('\0')) refuse('a NUL character in a path');
  if (path.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) refuse('an absolute path');
  const parts = relative.split(/[\\/]/);
  if (parts.some((p) => p === '' || p === '.' || p === '..')) {
    refuse('a path must stay inside the project');
  }
  const root = realpathSync(dir);
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      break; // nothing there yet: the rest will be created inside `current`'s parent
    }
    if (stat.isSymbolicLink()) {
      refuse(
        `${path.relative(root, current)} is a symbolic link (it could lead outside the project)`,
      );
    }
  }
  return path.join(root, ...parts);
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, content, 'utf8');
  await fs.rename(temporary, file);
}

/**
 * Rolls back a change a previous command did not finish. Returns the number of files restored
 * (0 when there was nothing to roll back).
 */
export async function recoverInterrupted(dir: string): Promise<number> {
  const journalFile = path.join(dir, JOURNAL_PATH);
  await fs.rm(`${journalFile}.tmp`, { force: true }); // a journal never finished: nothing applied
  const text = await readTextIfExists(journalFile);
  if (text === null) return 0;
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
    if (journal.journal !== 1 || !Array.isArray(journal.entries)) throw new Error('shape');
  } catch {
    throw new UserError(
      `${JOURNAL_PATH}: an interrupted change left a journal that cannot be read; restore the project from git, then delete it`,
    );
  }
  for (const entry of journal.entries) {
    const file = insideProject(dir, String(entry.path));
    if (entry.staged) await fs.rm(insideProject(dir, entry.staged), { force: true });
    if (entry.before === null) await fs.rm(file, { force: true });
    else if ((await readTextIfExists(file)) !== entry.before) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeAtomically(file, entry.before);
    }
  }
  await fs.rm(journalFile, { force: true });
  return journal.entries.length;
}

/** Applies `changes` in order as one unit (put the manifest last). */
export async function applyChange(
  dir: string,
  changes: readonly FileChange[],
  hooks: ChangeHooks = {},
): Promise<void> {
  const targets = changes.map((c) => insideProject(dir, c.path));
  const entries: JournalEntry[] = [];
  for (const [i, change] of changes.entries()) {
    const target = targets[i] as string;
    const before = await readTextIfExists(target);
    if (before === change.content) continue;
    entries.push({
      path: change.path,
      before,
      staged: change.content === null ? null : `${change.path}.${process.pid}.new`,
    });
  }
  if (entries.length === 0) return;
  const root = path.join(dir, STATE_DIR);
  await fs.mkdir(root, { recursive: true });
  const journalFile = path.join(dir, JOURNAL_PATH);
  const journal: Journal = { journal: 1, entries };
  await fs.writeFile(`${journalFile}.tmp`, JSON.stringify(journal), 'utf8');
  await fs.rename(`${journalFile}.tmp`, journalFile);

  const content = new Map(changes.map((c) => [c.path, c.content]));
  // Stage every new content first: a full disk fails here, before any file is replaced. A file
  // replaced keeps its mode (the user's chmod); a new one gets the mode of new files (.env: 0600).
  for (const entry of entries) {
    if (entry.staged === null) continue;
    const staged = path.join(dir, entry.staged);
    await fs.mkdir(path.dirname(staged), { recursive: true });
    const existing = await fs.stat(path.join(dir, entry.path)).catch(() => null);
    const mode = existing ? existing.mode & 0o7777 : newFileMode(entry.path);
    await fs.writeFile(staged, content.get(entry.path) ?? '', { encoding: 'utf8', mode });
    if (existing) await fs.chmod(staged, mode);
  }
  for (const [i, entry] of entries.entries()) {
    const target = path.join(dir, entry.path);
    if (entry.staged === null) await fs.rm(target, { force: true });
    else await fs.rename(path.join(dir, entry.staged), target);
    await hooks.afterFile?.(i);
  }
  await removeEmptiedFolders(
    dir,
    entries.filter((e) => e.staged === null).map((e) => e.path),
  );
  await fs.rm(journalFile, { force: true });
}

/**
 * The folders the deleted files leave with nothing in them (Python's `__pycache__` aside, a cache)
 * go too, up to the project's root: removing a resource leaves no empty package behind. (An
 * interrupted change recreates them when it is rolled back.)
 */
async function removeEmptiedFolders(dir: string, deleted: readonly string[]): Promise<void> {
  const folders = [...new Set(deleted.map((p) => path.posix.dirname(p)))]
    .filter((f) => f !== '.')
    .sort((a, b) => b.length - a.length);
  for (const folder of folders) {
    for (let current = folder; current !== '.'; current = path.posix.dirname(current)) {
      const absolute = insideProject(dir, current);
      const names = await fs.readdir(absolute).catch(() => null);
      if (names === null) continue; // gone already, with a deeper one
      if (names.some((name) => name !== '__pycache__')) break;
      await fs.rm(absolute, { recursive: true, force: true });
    }
  }
}

/** Whether a previous command left a change unfinished. */
export const hasJournal = (dir: string): boolean => existsSync(path.join(dir, JOURNAL_PATH));
