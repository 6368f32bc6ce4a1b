import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPILE_OPTIONS, type TemplateSet, type TemplateSpecification } from '../core/render.js';

/** Template sources by layer: `templates/<layer>/<path>.hbs`. */
export type TemplateSources = ReadonlyMap<string, ReadonlyArray<{ path: string; source: string }>>;

/**
 * Reads every `templates/<layer>/**\/*.hbs`. Synchronous reads on purpose: some fifty small files
 * read one after another are faster than fifty trips through the thread pool, and nothing else
 * runs meanwhile.
 */
export async function loadTemplateSources(root: string): Promise<TemplateSources> {
  const set = new Map<string, Array<{ path: string; source: string }>>();
  const layers = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  for (const layer of layers) {
    const dir = path.join(root, layer);
    const files = readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
      .map((e) => path.join(e.parentPath, e.name));
    set.set(
      layer,
      files
        .map((file) => ({
          path: path.relative(dir, file).split(path.sep).join('/'),
          source: readFileSync(file, 'utf8'),
        }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  }
  return set;
}

/**
 * Compiles template sources with Handlebars' compiler, loaded only here: the built CLI normally
 * uses the templates precompiled by the build and never needs it.
 */
export async function compileTemplates(sources: TemplateSources): Promise<TemplateSet> {
  const { default: Handlebars } = await import('handlebars');
  const compiler = Handlebars.create();
  return new Map(
    [...sources].map(([layer, files]) => [
      layer,
      files.map((file) => {
        let code: string;
        try {
          code = String(compiler.precompile(file.source, COMPILE_OPTIONS));
        } catch (error) {
          throw new Error(`template ${layer}/${file.path}: ${(error as Error).message}`, {
            cause: error,
          });
        }
        // The precompiled form is a JavaScript object literal, as the build writes it.
        const compiled = new Function(`return ${code};`)() as TemplateSpecification;
        return { path: file.path, compiled };
      }),
    ]),
  );
}

/** A short fingerprint of template sources: a precompiled set is used only for the same sources. */
export function templateSourcesHash(sources: TemplateSources): string {
  let hash = 0x811c9dc5; // FNV-1a, 32 bits: enough to notice an edited template
  for (const [layer, files] of sources) {
    for (const file of files) {
      const text = `${layer}/${file.path}\0${file.source}\0`;
      for (let i = 0; i < text.length; i += 1) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
    }
  }
  return hash.toString(16).padStart(8, '0');
}

interface PrecompiledModule {
  hash: string;
  layers: Record<string, Record<string, TemplateSpecification>>;
}

/**
 * The compiled templates: those the build wrote to `precompiled` when they were made from exactly
 * these sources, otherwise compiled now (an edited template, or no build).
 */
export async function loadTemplates(root: string, precompiled?: string): Promise<TemplateSet> {
  const sources = await loadTemplateSources(root);
  if (precompiled) {
    const built = (await import(pathToFileURL(precompiled).href).catch(
      () => null,
    )) as PrecompiledModule | null;
    if (built && built.hash === templateSourcesHash(sources)) {
      const layers = [...sources].map(
        ([layer, files]) =>
          [
            layer,
            files.map((file) => ({ path: file.path, compiled: built.layers[layer]?.[file.path] })),
          ] as const,
      );
      if (layers.every(([, files]) => files.every((f) => f.compiled !== undefined))) {
        return new Map(layers) as TemplateSet;
      }
    }
  }
  return compileTemplates(sources);
}
