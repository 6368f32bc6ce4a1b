// What the benchmarks share: the median of their runs, and the fake LLM provider server
// (TypeScript, tests/helpers/fake-llm) bundled for plain Node.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The fake provider server's module, bundled into `.cache/<folder>/`. */
export async function loadFakeLlm(folder) {
  const out = path.join(root, '.cache', folder);
  await build({
    entryPoints: [path.join(root, 'tests', 'helpers', 'fake-llm', 'server.ts')],
    outfile: path.join(out, 'fake-llm.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return import(pathToFileURL(path.join(out, 'fake-llm.mjs')).href);
}
