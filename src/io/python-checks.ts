/**
 * The checks of a model's body that need the project's own Python: mypy on the module and its
 * test, and the test itself under pytest. They run in a copy of the project (its `.venv` used in
 * place), so that several endpoints are checked at once and nothing in the project changes until
 * a body is kept. Returned code runs only there, only through the project's own test run, with a
 * timeout and without the environment's API keys.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SECRET_ENV_VARS } from '../core/llm/secrets.js';

export interface PythonSandbox {
  /** Writes `files` into the copy, runs mypy then pytest on them: the problems, one line each. */
  check(files: ReadonlyMap<string, string>, test: string, signal: AbortSignal): Promise<string[]>;
  dispose(): Promise<void>;
}

export interface ProjectPython {
  /** The project's interpreter. */
  python: string;
  /** A fresh copy of the project to check one endpoint in. */
  sandbox(): Promise<PythonSandbox>;
}

/** Folders never copied: the environment (used in place), history, state and caches. */
const SKIPPED = new Set([
  '.venv',
  '.git',
  '.fastapi-agent',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'node_modules',
]);

/** The lines a tool printed, the last `max` of them, for the model. */
function tail(output: string, max: number): string[] {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l.trim() !== '');
  return lines.length > max ? ['...', ...lines.slice(-max)] : lines;
}

/** Each check's limit; a body that hangs its test fails the check. */
export const CHECK_TIMEOUT_MS = 180_000;

/** The project's Python checks, or null when it has no `.venv` (then only format and Ruff run). */
export function projectPython(dir: string, timeoutMs = CHECK_TIMEOUT_MS): ProjectPython | null {
  const python = path.join(dir, '.venv', 'bin', 'python');
  if (!existsSync(python)) return null;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !(SECRET_ENV_VARS as readonly string[]).includes(name)) {
      env[name] = value;
    }
  }
  env.PYTHONDONTWRITEBYTECODE = '1';
  return {
    python,
    async sandbox() {
      const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-fill-'));
      await fs.cp(dir, root, {
        recursive: true,
        filter: (source) => !SKIPPED.has(path.basename(source)),
      });
      const run = async (args: string[], signal: AbortSignal) => {
        const { execa } = await import('execa');
        return execa(python, args, {
          cwd: root,
          env,
          extendEnv: false,
          all: true,
          reject: false,
          stdin: 'ignore',
          timeout: timeoutMs,
          cancelSignal: signal,
        });
      };
      return {
        async check(files, test, signal) {
          for (const [file, content] of files) {
            await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
            await fs.writeFile(path.join(root, file), content);
          }
          const mypy = await run(
            ['-m', 'mypy', '--no-error-summary', '--no-color-output', ...files.keys()],
            signal,
          );
          if (mypy.timedOut) return ['mypy did not finish in time'];
          if (mypy.exitCode !== 0) {
            return tail(String(mypy.all ?? ''), 30).map((l) => `mypy: ${l}`);
          }
          const pytest = await run(
            ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--no-cov', '--tb=short', test],
            signal,
          );
          if (pytest.timedOut) return [`pytest ${test} did not finish in time`];
          if (pytest.exitCode !== 0) {
            return tail(String(pytest.all ?? ''), 40).map((l) => `pytest: ${l}`);
          }
          return [];
        },
        dispose: () => fs.rm(root, { recursive: true, force: true }),
      };
    },
  };
}
