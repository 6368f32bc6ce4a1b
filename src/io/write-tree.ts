import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { FileTree } from '../core/render.js';

/** Entries of a folder, or null when it does not exist. Anything else at that path is an error. */
export async function folderEntries(target: string): Promise<string[] | null> {
  try {
    const stat = await fs.stat(target);
    if (!stat.isDirectory()) throw new UserError(`target ${target} exists and is not a folder`);
    return await fs.readdir(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Refuses a target that exists with files in it, unless `force`: checked before any work. */
export async function checkTarget(target: string, force: boolean): Promise<void> {
  const entries = await folderEntries(target);
  if (entries && entries.length > 0 && !force) {
    throw new UserError(
      `target ${target} is not empty (${entries.length} entries): choose another folder or pass --force`,
    );
  }
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
    [...tree].map(([file, content]) => fs.writeFile(path.join(dir, file), content, 'utf8')),
  );
}

/**
 * Writes a new project atomically: everything goes into a temporary folder beside the target,
 * which is renamed into place only when complete. An existing empty target (or, with `force`, a
 * non-empty one) receives the new top-level entries by rename, replacing entries of the same name;
 * other entries in it are kept. On any failure the temporary folder is removed and the target is
 * as it was.
 */
export async function writeProjectAtomically(
  target: string,
  tree: FileTree,
  options: { force: boolean },
): Promise<void> {
  const absolute = path.resolve(target);
  await checkTarget(absolute, options.force);
  const parent = path.dirname(absolute);
  await fs.mkdir(parent, { recursive: true });
  const staging = await fs.mkdtemp(path.join(parent, `.${path.basename(absolute)}.staging-`));
  try {
    await writeTreeInto(staging, tree);
    const existing = await folderEntries(absolute);
    if (existing === null) {
      await fs.rename(staging, absolute);
      return;
    }
    for (const entry of await fs.readdir(staging)) {
      const destination = path.join(absolute, entry);
      await fs.rm(destination, { recursive: true, force: true });
      await fs.rename(path.join(staging, entry), destination);
    }
    await fs.rm(staging, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
}
