import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this module with our package.json. This module runs
 * from src/io/ (tests), or bundled into dist/ (the CLI), so the depth is not fixed.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package root above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
/** Written by the build: every template compiled ahead of time (used only while it matches). */
export const PRECOMPILED_TEMPLATES = path.join(PACKAGE_ROOT, 'dist', 'templates.js');
export const BUNDLED_AGENT = path.join(PACKAGE_ROOT, 'agents', 'fastapi-backend-developer.md');
/** Formatted Python of the usual projects, made by the build (see io/format-seed.ts). */
export const FORMAT_SEED = path.join(PACKAGE_ROOT, 'dist', 'format-seed.json');
