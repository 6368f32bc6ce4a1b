import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Everything under `dir` (itself included): each entry's path, type, mode and, for a file, a hash
 * of its content; for a link, its target. Equal snapshots: nothing was written, moved or removed.
 */
export async function snapshot(dir: string): Promise<string[]> {
  const lines: string[] = [];
  const visit = async (at: string): Promise<void> => {
    const stat = await fs.lstat(at);
    const name = path.relative(dir, at) || '.';
    const mode = (stat.mode & 0o7777).toString(8);
    if (stat.isSymbolicLink()) lines.push(`${name} -> ${await fs.readlink(at)}`);
    else if (stat.isFIFO()) lines.push(`${name} fifo ${mode}`);
    else if (stat.isFile()) {
      const hash = createHash('sha256')
        .update(await fs.readFile(at))
        .digest('hex');
      lines.push(`${name} file ${mode} ${hash}`);
    } else if (stat.isDirectory()) {
      lines.push(`${name}/ ${mode}`);
      for (const entry of (await fs.readdir(at)).sort()) await visit(path.join(at, entry));
    } else lines.push(`${name} other ${mode}`);
  };
  await visit(dir);
  return lines;
}
