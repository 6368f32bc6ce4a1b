/**
 * Emitted Python is made canonical by Ruff itself: unused imports removed (F401, except in
 * `__init__.py`), imports sorted as the project's isort rules sort them, `__all__` sorted
 * (RUF022), then formatted as `ruff format` would. Templates may lay Python out any readable way,
 * and list every import a module may need. Ruff wraps no string nor comment: see prose.ts.
 * The formatter is an edge (it loads WebAssembly): the core only sees this interface.
 */
export interface PythonFormatter {
  /** The canonical form of `source`; throws a PythonSyntaxError naming `path` on a syntax error. */
  format(source: string, path: string): string;
  /** Keeps what was formatted for the next run (a cache), when the formatter has one. */
  flush?(): void;
}

/** One problem Ruff finds in a file, as the generated project's `ruff check` would report it. */
export interface LintProblem {
  code: string;
  message: string;
  line: number;
}

/** The generated project's whole Ruff rule set, in process (an edge, like the formatter). */
export interface PythonLinter {
  check(source: string, path: string): LintProblem[];
}

/**
 * The generator's own output passes the project's lint rules for any ordinary name (a unit test
 * renders every combination of options to prove it); what fails is a name the user chose that
 * shadows an import, a builtin or a name the module defines. The first such problem among the
 * files the generator changes, as one line; none: null.
 */
export function lintGenerated(
  files: ReadonlyMap<string, string>,
  before: ReadonlyMap<string, string>,
  linter: PythonLinter,
): string | null {
  const problems: string[] = [];
  for (const [path, content] of files) {
    if (!path.endsWith('.py') || before.get(path) === content) continue;
    for (const p of linter.check(content, path)) {
      problems.push(`${path}:${p.line}: ${p.code} ${p.message}`);
    }
  }
  if (problems.length === 0) return null;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `the names given would make generated code fail ruff check: ${problems[0]}${more}; choose another name`;
}

/** Rendered Python that does not parse: a bug in a template or in the generator, never user data. */
export class PythonSyntaxError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`generated ${path} is not valid Python (${detail}): please report this as a bug`);
    this.name = 'PythonSyntaxError';
  }
}

/**
 * The project's Ruff settings, as `[tool.ruff]` spells them: `pyproject.toml` is rendered from
 * this, and the in-process formatter uses it, so both agree.
 */
export const RUFF_LINE_LENGTH = 88;
export const RUFF_RULES: ReadonlyArray<readonly [code: string, what: string]> = [
  ['E', 'pycodestyle errors'],
  ['W', 'pycodestyle warnings'],
  ['F', 'pyflakes'],
  ['I', 'isort'],
  ['N', 'pep8-naming'],
  ['UP', 'pyupgrade'],
  ['B', 'flake8-bugbear'],
  ['S', 'flake8-bandit'],
  ['A', 'flake8-builtins'],
  ['C4', 'flake8-comprehensions'],
  ['DTZ', 'naive datetimes'],
  ['PIE', 'flake8-pie'],
  ['PT', 'flake8-pytest-style'],
  ['RET', 'flake8-return'],
  ['SIM', 'flake8-simplify'],
  ['ASYNC', 'flake8-async'],
  ['FAST', 'FastAPI'],
  ['RUF', 'ruff-specific'],
];
export const RUFF_IGNORE: readonly string[] = ['FAST003'];
export const RUFF_TEST_IGNORE: readonly string[] = ['S101', 'S105', 'S106'];
/**
 * On disk Ruff finds the first-party packages in the project's root; in memory it has to be told.
 */
export const FIRST_PARTY: readonly string[] = ['app', 'tests'];

/** The settings as `pyproject.toml` lists them (TOML arrays, the rules commented). */
export function ruffContext(): {
  lineLength: number;
  rules: string[];
  ignore: string;
  testIgnore: string;
} {
  const width = Math.max(...RUFF_RULES.map(([code]) => code.length)) + 3;
  return {
    lineLength: RUFF_LINE_LENGTH,
    rules: RUFF_RULES.map(
      ([code, what]) => `${`${JSON.stringify(code)},`.padEnd(width)} # ${what}`,
    ),
    ignore: JSON.stringify(RUFF_IGNORE),
    testIgnore: JSON.stringify(RUFF_TEST_IGNORE).replace(/,/g, ', '),
  };
}

/**
 * A value of the project's own (its title, its database name) that templates put inside string
 * literals and docstrings only, and the private-use character that stands for it while the
 * project is formatted.
 */
export interface NameMark {
  value: string;
  mark: string;
}

/** The Unicode private-use characters marks are made of: never in a template, nor in a name. */
export const MARK_BASE = 0xe000;
const MARKS = /[\ue000-\ue0ff]/u;

const unmark = (text: string, marks: readonly NameMark[]): string =>
  marks.reduce((out, { value, mark }) => out.split(mark).join(value), text);

/**
 * Every `.py` file of a tree in its canonical form; other files as they are. With `marks`, the
 * tree was rendered with one character standing for each of the project's names: the file is
 * formatted as it is (so its formatted form is the same for every project, and cached once),
 * then the names are put back. A mark is no wider than its name, and names stand only inside
 * strings, so Ruff's layout is the one it chooses for the names themselves whenever every line
 * still fits afterwards; when one does not, the file is formatted again with its names.
 */
export function canonicalPython(
  files: ReadonlyMap<string, string>,
  python: PythonFormatter,
  marks: readonly NameMark[] = [],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, content] of files) {
    if (!path.endsWith('.py')) {
      out.set(path, unmark(content, marks));
      continue;
    }
    if (!MARKS.test(content)) {
      out.set(path, python.format(content, path));
      continue;
    }
    const named = unmark(python.format(content, path), marks);
    const fits = named.split('\n').every((line) => [...line].length <= RUFF_LINE_LENGTH);
    out.set(path, fits ? named : python.format(unmark(content, marks), path));
  }
  python.flush?.();
  return out;
}
