/**
 * Ruff's WebAssembly build, in process: the edge behind core/python.ts. One instance per run,
 * loaded only when Python is rendered.
 */
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { defaultCacheDir, hashOf, openFormatCache, readFormatSeed } from './format-cache.js';
import {
  FIRST_PARTY,
  PythonSyntaxError,
  RUFF_IGNORE,
  RUFF_LINE_LENGTH,
  RUFF_RULES,
  RUFF_TEST_IGNORE,
  type PythonFormatter,
  type PythonLinter,
} from '../core/python.js';

/** What Ruff reports of one file (rows and columns 1-based, in UTF-16 code units). */
export interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
  end_location: { row: number; column: number };
  fix: {
    edits: Array<{
      content: string | null;
      location: { row: number; column: number };
      end_location: { row: number; column: number };
    }>;
  } | null;
}

interface Workspace {
  check(contents: string): RuffDiagnostic[];
  format(contents: string): string;
}

type RuffModule = {
  Workspace: new (options: unknown, encoding: number) => Workspace;
  PositionEncoding: { Utf16: number };
};

let loadedSync: RuffModule | undefined;

/**
 * Ruff's module, loaded on first use (it is CommonJS: it can be loaded synchronously, so a run
 * whose files are all in the cache never loads it).
 */
function ruffModuleSync(): RuffModule {
  if (!loadedSync) {
    // V8 would otherwise recompile Ruff's hot functions with its optimising tier in the
    // background: measured here, 2 s and 470 MB for a run that takes 0.3 s and 110 MB with the
    // baseline compiler alone, whose code is fast enough for a few hundred small files.
    v8.setFlagsFromString('--liftoff-only');
    loadedSync = createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs') as RuffModule;
  }
  return loadedSync;
}

/** `row`/`column` (1-based) to an offset into `text`. */
function offsetOf(lineStarts: readonly number[], row: number, column: number): number {
  return (lineStarts[row - 1] ?? lineStarts.at(-1) ?? 0) + column - 1;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Applies the fixes of `diagnostics`, from the end backwards; of overlapping edits, the last. */
export function applyFixes(text: string, diagnostics: readonly RuffDiagnostic[]): string {
  const starts = lineStartsOf(text);
  const edits = diagnostics
    .flatMap((d) => d.fix?.edits ?? [])
    .map((e) => ({
      from: offsetOf(starts, e.location.row, e.location.column),
      to: offsetOf(starts, e.end_location.row, e.end_location.column),
      content: e.content ?? '',
    }))
    .sort((a, b) => b.from - a.from);
  let out = text;
  let limit = Infinity;
  for (const edit of edits) {
    if (edit.to > limit) continue; // overlapping edits: the later one wins, as ruff --fix would retry
    out = out.slice(0, edit.from) + edit.content + out.slice(edit.to);
    limit = edit.from;
  }
  return out;
}

function syntaxDetail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * Imports a module lists but does not use are removed, except in `__init__.py` (where an import
 * may be a re-export): templates list a module's imports once, whatever the options use. An import
 * kept on purpose says so with `# noqa: F401`, or is named in `__all__`.
 */
export function removesUnusedImports(path: string): boolean {
  return !path.endsWith('__init__.py');
}

/**
 * The formatter used when rendering: unused imports removed, imports and `__all__` sorted, then
 * the formatter.
 */
/** The version of Ruff's WebAssembly build: cached results are valid for this one only. */
const RUFF_VERSION = (
  createRequire(import.meta.url)('@astral-sh/ruff-wasm-nodejs/package.json') as { version: string }
).version;
/** The steps `canonical` takes, named: change it when they change, and the cache starts afresh. */
const FORMAT_STEPS = 'F401 unless __init__, then I001 and RUF022 fixes, then format: v1';

/** The settings the formatter uses: a cached result is valid for these only. */
const FORMAT_SETTINGS = {
  'line-length': RUFF_LINE_LENGTH,
  lint: {
    select: ['F401', 'I001', 'RUF022'],
    isort: { 'known-first-party': [...FIRST_PARTY] },
  },
};

/** Cache and seed files are named after the formatter's version, settings and steps. */
export const FORMAT_CACHE_NAME = `ruff-${RUFF_VERSION}-${hashOf(JSON.stringify(FORMAT_SETTINGS) + FORMAT_STEPS)}`;

/**
 * The formatter used when rendering: unused imports removed (not in `__init__.py`), imports and
 * `__all__` sorted, then formatted. With a cache folder, results are kept between runs by the
 * hash of what went in: most files of a project render the same every time (a grow command
 * renders the whole project again), and a run that finds them all never loads Ruff at all.
 */
export async function loadPythonFormatter(
  options: { cacheDir?: string | null; seedFile?: string } = {},
): Promise<PythonFormatter & { stats: { hits: number; misses: number } }> {
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const cache = cacheDir ? openFormatCache(cacheDir, FORMAT_CACHE_NAME) : null;
  // The seed the build made (the usual projects, formatted): read at the first cache miss.
  let seed: ReadonlyMap<string, string> | undefined;
  const seeded = (key: string): string | undefined => {
    const known =
      seed ??
      (options.seedFile
        ? readFormatSeed(options.seedFile, FORMAT_CACHE_NAME)
        : new Map<string, string>());
    seed = known;
    return known.get(key);
  };
  let workspace: Workspace | undefined;
  const stats = { hits: 0, misses: 0 };
  const canonical = (source: string, path: string): string => {
    workspace ??= new (ruffModuleSync().Workspace)(
      FORMAT_SETTINGS,
      ruffModuleSync().PositionEncoding.Utf16,
    );
    try {
      let text = source;
      let diagnostics = workspace.check(text);
      const unused = diagnostics.filter((d) => d.code === 'F401');
      if (unused.length > 0 && removesUnusedImports(path)) {
        // Each statement's fix removes all its unused names: one pass removes them all.
        text = applyFixes(text, unused);
        diagnostics = workspace.check(text);
      }
      // Imports sorted as isort would, and `__all__` as RUF022 wants it (isort's order too).
      text = applyFixes(
        text,
        diagnostics.filter((d) => d.code === 'I001' || d.code === 'RUF022'),
      );
      return workspace.format(text);
    } catch (error) {
      throw new PythonSyntaxError(path, syntaxDetail(error));
    }
  };
  return {
    stats,
    format(source: string, path: string): string {
      const key = hashOf(`${removesUnusedImports(path) ? 'F401' : 'keep'}\0${source}`);
      const known = cache?.get(key) ?? seeded(key);
      if (known !== undefined) {
        stats.hits += 1;
        return known;
      }
      stats.misses += 1;
      const result = canonical(source, path);
      cache?.set(key, result);
      return result;
    },
    flush: () => cache?.save(),
  };
}

/** The linter of grow commands: the generated project's rule set, problems as one line each. */
export async function loadProjectLinter(): Promise<PythonLinter> {
  const linter = await loadPythonLinter();
  return {
    check: (source, path) =>
      linter.check(source, path).map((d) => ({
        code: d.code ?? 'syntax',
        message: d.message.split('\n')[0] ?? '',
        line: d.start_location.row,
      })),
  };
}

/** A linter with the generated project's whole rule set (tests use it; rendering does not). */
export async function loadPythonLinter(): Promise<{
  check(source: string, path: string): RuffDiagnostic[];
}> {
  const ruff = ruffModuleSync();
  const make = (ignore: readonly string[]): Workspace =>
    new ruff.Workspace(
      {
        'line-length': RUFF_LINE_LENGTH,
        lint: {
          select: RUFF_RULES.map(([code]) => code),
          ignore: [...RUFF_IGNORE, ...ignore],
          isort: { 'known-first-party': [...FIRST_PARTY] },
        },
      },
      ruff.PositionEncoding.Utf16,
    );
  const app = make([]);
  const tests = make(RUFF_TEST_IGNORE);
  return {
    check: (source, path) => (path.startsWith('tests/') ? tests : app).check(source),
  };
}
