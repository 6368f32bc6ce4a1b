/**
 * Ruff's WebAssembly build, in process: the edge behind core/python.ts. One instance per run,
 * loaded only when Python is rendered.
 */
import v8 from 'node:v8';
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

let loaded: Promise<RuffModule> | undefined;

function ruffModule(): Promise<RuffModule> {
  if (!loaded) {
    // V8 would otherwise recompile Ruff's hot functions with its optimising tier in the
    // background: measured here, 2 s and 470 MB for a run that takes 0.3 s and 110 MB with the
    // baseline compiler alone, whose code is fast enough for a few hundred small files.
    v8.setFlagsFromString('--liftoff-only');
    loaded = import('@astral-sh/ruff-wasm-nodejs') as unknown as Promise<RuffModule>;
  }
  return loaded;
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
export async function loadPythonFormatter(): Promise<PythonFormatter> {
  const ruff = await ruffModule();
  const workspace = new ruff.Workspace(
    {
      'line-length': RUFF_LINE_LENGTH,
      lint: {
        select: ['F401', 'I001', 'RUF022'],
        isort: { 'known-first-party': [...FIRST_PARTY] },
      },
    },
    ruff.PositionEncoding.Utf16,
  );
  return {
    format(source: string, path: string): string {
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
    },
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
  const ruff = await ruffModule();
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
