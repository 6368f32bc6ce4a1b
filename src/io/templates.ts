import fs from 'node:fs/promises';
import path from 'node:path';
import type { TemplateFile, TemplateSet } from '../core/render.js';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Reads every `templates/<layer>/**\/*.hbs` into memory for the pure renderer. */
export async function loadTemplates(root: string): Promise<TemplateSet> {
  const layers = (await fs.readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory());
  const set = new Map<string, TemplateFile[]>();
  await Promise.all(
    layers.map(async (layer) => {
      const dir = path.join(root, layer.name);
      const files = await listFiles(dir);
      const loaded = await Promise.all(
        files.map(async (file) => ({
          path: path.relative(dir, file).split(path.sep).join('/'),
          source: await fs.readFile(file, 'utf8'),
        })),
      );
      set.set(
        layer.name,
        loaded.sort((a, b) => (a.path < b.path ? -1 : 1)),
      );
    }),
  );
  return set;
}
