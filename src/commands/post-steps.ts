import path from 'node:path';
import { UserError } from '../core/errors.js';
import type { CommandRunner, RunOptions } from '../io/runner.js';

export interface StepReport {
  step: string;
  status: 'done' | 'skipped';
  detail: string;
}

function tail(output: string, lines = 15): string {
  return output.trim().split('\n').slice(-lines).join('\n');
}

async function mustRun(
  runner: CommandRunner,
  what: string,
  command: string,
  args: string[],
  options: RunOptions,
): Promise<string> {
  const result = await runner.run(command, args, options);
  if (result.exitCode !== 0) {
    throw new UserError(
      `${what} failed: \`${[command, ...args].join(' ')}\` exited ${result.exitCode}`,
      1,
      tail(result.output),
    );
  }
  return result.output;
}

/** `git init` and a first commit, unless git is missing or the folder is already in a work tree. */
export async function initGit(
  runner: CommandRunner,
  dir: string,
  signal?: AbortSignal,
): Promise<StepReport> {
  const on = signal ? { signal } : {};
  const step = 'git';
  if (!(await runner.has('git')))
    return { step, status: 'skipped', detail: 'git is not installed' };
  const inside = await runner.run('git', ['rev-parse', '--is-inside-work-tree'], {
    cwd: dir,
    ...on,
  });
  if (inside.exitCode === 0 && inside.output.trim() === 'true') {
    return { step, status: 'skipped', detail: 'already inside a git work tree' };
  }
  await mustRun(runner, 'git init', 'git', ['init', '--quiet', '--initial-branch=main'], {
    cwd: dir,
    ...on,
  });
  await mustRun(runner, 'git add', 'git', ['add', '--all'], { cwd: dir, ...on });
  const email = await runner.run('git', ['config', 'user.email'], { cwd: dir, ...on });
  const identity =
    email.exitCode === 0 && email.output.trim() !== ''
      ? undefined
      : {
          GIT_AUTHOR_NAME: 'create-fastapi-agent',
          GIT_AUTHOR_EMAIL: 'create-fastapi-agent@localhost',
          GIT_COMMITTER_NAME: 'create-fastapi-agent',
          GIT_COMMITTER_EMAIL: 'create-fastapi-agent@localhost',
        };
  await mustRun(
    runner,
    'git commit',
    'git',
    ['commit', '--quiet', '--no-verify', '-m', 'chore: scaffold with create-fastapi-agent'],
    identity ? { cwd: dir, env: identity, ...on } : { cwd: dir, ...on },
  );
  return { step, status: 'done', detail: 'initialised a git repository with a first commit' };
}

export function venvPython(dir: string): string {
  return process.platform === 'win32'
    ? path.join(dir, '.venv', 'Scripts', 'python.exe')
    : path.join(dir, '.venv', 'bin', 'python');
}

/**
 * Creates `.venv` and installs the project with its dev extras: with uv when the project's tool is
 * uv and uv is on PATH, otherwise with `python3 -m venv` and pip.
 */
export async function installPython(
  runner: CommandRunner,
  dir: string,
  tool: string,
  signal?: AbortSignal,
): Promise<StepReport> {
  const step = 'install';
  const on = signal ? { signal } : {};
  if (tool === 'uv' && (await runner.has('uv'))) {
    await mustRun(runner, 'uv venv', 'uv', ['venv', '--quiet', '.venv'], { cwd: dir, ...on });
    await mustRun(
      runner,
      'uv pip install',
      'uv',
      ['pip', 'install', '--quiet', '--python', venvPython(dir), '-e', '.[dev]'],
      { cwd: dir, ...on },
    );
    return { step, status: 'done', detail: 'installed into .venv with uv' };
  }
  const python = process.platform === 'win32' ? 'python' : 'python3';
  await mustRun(runner, 'python -m venv', python, ['-m', 'venv', '.venv'], { cwd: dir, ...on });
  await mustRun(
    runner,
    'pip install',
    venvPython(dir),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-e', '.[dev]'],
    { cwd: dir, ...on },
  );
  return { step, status: 'done', detail: 'installed into .venv with pip' };
}
