import {
  BASE_DIR,
  MANIFEST_PATH,
  manifestFor,
  serialiseManifest,
  type Manifest,
} from './manifest.js';
import { filePolicy } from './plan.js';
import type { FileTree } from './render.js';
import type { ProjectSpec } from './spec.js';

export const GENERATOR_NAME = 'create-fastapi-agent';

/** The base snapshot of a rendered tree: every merge-policy file (never `.env`: no secret). */
export function baseOf(tree: FileTree): Map<string, string> {
  return new Map([...tree].filter(([path]) => filePolicy(path) === 'merge'));
}

/** Files of the project's state: the manifest and the base snapshot, as paths in the project. */
export function stateFiles(manifest: Manifest, base: FileTree): Map<string, string> {
  const files = new Map<string, string>([[MANIFEST_PATH, serialiseManifest(manifest)]]);
  for (const [path, content] of base) files.set(`${BASE_DIR}/${path}`, content);
  return files;
}

/** A new project's whole tree: its files, its manifest and the base of future merges. */
export function newProjectTree(spec: ProjectSpec, rendered: FileTree): Map<string, string> {
  const manifest = manifestFor(spec, GENERATOR_NAME);
  return new Map([...rendered, ...stateFiles(manifest, baseOf(rendered))]);
}
