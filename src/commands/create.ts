import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Choice, Prompter } from '../cli/prompter.js';
import { UserError } from '../core/errors.js';
import { normaliseProjectName } from '../core/names.js';
import { checkRendered, isRendered, renderedValues, revisionFiles } from '../core/features.js';
import {
  OPTIONS,
  checkOptionValue,
  type OptionDeclaration,
  type OptionId,
} from '../core/options.js';
import { detectPractices, type OptionResolution, type PracticeSet } from '../core/practices.js';
import type { PythonFormatter } from '../core/python.js';
import { projectMigrationPath, renderProject, type TemplateSet } from '../core/render.js';
import { buildSpec, type Answers } from '../core/spec.js';
import { newProjectTree } from '../core/state.js';
import { readAgentFile } from '../io/agent-file.js';
import type { CommandRunner } from '../io/runner.js';
import { checkTarget, writeProjectAtomically } from '../io/write-tree.js';
import { initGit, installPython, type StepReport } from './post-steps.js';

export interface CreateFlags {
  name?: string;
  agent?: string;
  /** Option values from flags (`--db postgresql`, `--auth jwt,api-key`), by option id. */
  options: Partial<Record<OptionId, string>>;
  /** How many times --force was given: once writes into a clean git work tree, twice anywhere. */
  force: number;
  install: boolean;
  git: boolean;
}

export interface CreateDeps {
  runner: CommandRunner;
  /** Null when nobody can be asked (--yes, no TTY, CI): defaults are used. */
  prompter: Prompter | null;
  log: (line: string) => void;
  warn: (line: string) => void;
  randomHex: () => string;
  /** The templates to render: read (and, in the built CLI, precompiled) by the edge. */
  templates: () => Promise<TemplateSet>;
  /** Ruff, in process: makes the emitted Python canonical. */
  python: () => Promise<PythonFormatter>;
  bundledAgent: string;
  version: string;
}

/**
 * `--auth jwt,api-key` -> ['jwt', 'api-key']; other options take one value. A flag asks for an
 * exact value: one the generator does not render yet is an error, not a fallback.
 */
function flagValues(option: OptionDeclaration, raw: string): string | string[] {
  const id = option.id as OptionId;
  const values = checkOptionValue(id, raw, { where: `--${id}`, commaList: true });
  checkRendered(id, values, `--${id}`);
  return option.kind === 'multi' ? values : (values[0] as string);
}

function validName(value: string): true | string {
  try {
    normaliseProjectName(value);
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

/** "sqlite, from agent.md line 40: "SQLite through aiosqlite..."" or "jwt, the default". */
export function describeDefault(resolution: OptionResolution, agentPath: string): string {
  const value = resolution.values.join(', ');
  const first = resolution.values[0] ?? '';
  const evidence = resolution.evidence[first];
  if (resolution.source === 'default' || !evidence) return `${value}, the default`;
  const where = `${path.basename(agentPath)} line ${evidence.line}`;
  if (resolution.source === 'frontmatter') return `${value}, from scaffold: in ${where}`;
  const choice = resolution.alternatives.length
    ? ` (the file also names ${resolution.alternatives.join(', ')})`
    : '';
  return `${value}, from ${where}: "${evidence.text.slice(0, 70)}"${choice}`;
}

function choicesOf(option: OptionDeclaration): Choice[] {
  return option.choices.map((c) => ({
    value: c.value,
    name: c.label,
    ...(isRendered(option.id as OptionId, c.value) ? {} : { disabled: 'not rendered yet' }),
  }));
}

async function askName(rawName: string, prompter: Prompter | null): Promise<string> {
  if (!prompter) return rawName;
  const suggestion = validName(rawName) === true ? normaliseProjectName(rawName) : undefined;
  return prompter.input({
    message: 'Project name',
    ...(suggestion ? { default: suggestion } : {}),
    validate: validName,
  });
}

async function askOptions(
  flags: CreateFlags,
  practices: PracticeSet,
  agentPath: string,
  deps: CreateDeps,
): Promise<Pick<Answers, 'options' | 'sources'>> {
  const answers: NonNullable<Answers['options']> = {};
  const sources: NonNullable<Answers['sources']> = {};
  for (const option of OPTIONS as readonly OptionDeclaration[]) {
    const id = option.id as OptionId;
    const flagged = flags.options[id];
    const resolution = practices.options[id];
    if (flagged !== undefined) {
      answers[id] = flagValues(option, flagged);
      sources[id] = 'flag';
      continue;
    }
    if (!option.ask) continue;
    if (!deps.prompter) {
      deps.log(`  ${id}: ${describeDefault(resolution, agentPath)}`);
      continue;
    }
    const message = `${option.message} (default: ${describeDefault(resolution, agentPath)})`;
    sources[id] = 'prompt';
    const rendered = renderedValues(id);
    const renderable = resolution.values.filter((v) => rendered.includes(v));
    if (option.kind === 'multi') {
      answers[id] = await deps.prompter.checkbox({
        message,
        choices: choicesOf(option),
        checked: renderable.length ? renderable : [rendered[0] ?? ''],
      });
    } else {
      const preferred = [...resolution.values, ...resolution.alternatives].find((v) =>
        rendered.includes(v),
      );
      answers[id] = await deps.prompter.select({
        message,
        choices: choicesOf(option),
        default: preferred ?? rendered[0] ?? '',
      });
    }
  }
  return { options: answers, sources };
}

/** `create-fastapi-agent [target]`: asks (or defaults), renders, writes atomically, runs post-steps. */
/**
 * `--force` once writes into a folder that has files only when what it replaces can be had back:
 * a git work tree with nothing uncommitted. Twice, it writes anyway.
 */
async function checkRecoverable(target: string, runner: CommandRunner): Promise<void> {
  const dir = path.resolve(target);
  if (!existsSync(dir) || (await fs.readdir(dir)).length === 0) return;
  const inside = await runner.run('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir });
  const status =
    inside.exitCode === 0 && inside.output.trim() === 'true'
      ? await runner.run('git', ['status', '--porcelain', '--untracked-files=all', '.'], {
          cwd: dir,
        })
      : null;
  if (status === null || status.exitCode !== 0) {
    throw new UserError(
      `target ${target} is not in a git work tree: files --force replaces could not be had back; commit them first, or pass --force twice`,
    );
  }
  if (status.output.trim() !== '') {
    const changed = status.output.trim().split('\n').length;
    throw new UserError(
      `target ${target} has ${changed} uncommitted change(s): files --force replaces could not be had back; commit them first, or pass --force twice`,
    );
  }
}

/**
 * git, then the install. Ctrl-C stops the step under way and removes what it left half made (the
 * new `.git`, the `.venv`): the project stays complete, and the message says what to run.
 */
async function postSteps(
  dir: string,
  flags: CreateFlags,
  tool: string,
  deps: CreateDeps,
): Promise<StepReport[]> {
  const abort = new AbortController();
  const cancel = (): void => abort.abort();
  process.on('SIGINT', cancel);
  let current: { what: string; leftover: string | null; redo: string } | null = null;
  const reports: StepReport[] = [];
  try {
    if (flags.git) {
      // A .git that was there before is not ours to remove.
      const leftover = existsSync(path.join(dir, '.git')) ? null : '.git';
      current = { what: 'git', leftover, redo: 'git init && git add -A && git commit' };
      reports.push(await initGit(deps.runner, dir, abort.signal));
    }
    if (flags.install) {
      deps.log('Installing the Python environment (.venv)...');
      current = {
        what: 'the install',
        leftover: '.venv',
        redo: "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]'",
      };
      reports.push(await installPython(deps.runner, dir, tool, abort.signal));
    }
    current = null;
  } catch (error) {
    if (!abort.signal.aborted || current === null) throw error;
  } finally {
    process.off('SIGINT', cancel);
  }
  if (abort.signal.aborted && current !== null) {
    const { leftover } = current;
    if (leftover) {
      const half = path.join(dir, leftover);
      await fs.rm(half, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
    throw new UserError(
      `cancelled during ${current.what}: the project in ${dir} is complete${leftover ? `; its half-made ${leftover} was removed` : ''} (to finish: ${current.redo})`,
      130,
    );
  }
  return reports;
}

/** What `create` did: the folder, the files written, the post-steps, and what to run next. */
export interface CreateResult {
  dir: string;
  files: string[];
  /** Files that were there and were replaced (`--force`), and those kept. */
  replaced: string[];
  kept: string[];
  postSteps: StepReport[];
  migrations: Array<{ path: string; upgrade: string }>;
  nextSteps: string[];
}

export async function createProject(
  targetArg: string | undefined,
  flags: CreateFlags,
  deps: CreateDeps,
): Promise<CreateResult> {
  for (const option of OPTIONS as readonly OptionDeclaration[]) {
    const raw = flags.options[option.id as OptionId];
    if (raw !== undefined) flagValues(option, raw);
  }
  const { prompter } = deps;
  let target = targetArg;
  if (target === undefined) {
    if (!prompter) throw new UserError('missing the target folder: create-fastapi-agent my-api');
    target = await prompter.input({ message: 'Project folder', default: 'my-api' });
  }
  const rawName = flags.name ?? path.basename(target);
  if (!prompter) normaliseProjectName(rawName); // a bad name fails before anything else is read
  await checkTarget(target, flags.force > 0);
  if (flags.force === 1) await checkRecoverable(target, deps.runner);
  const name = await askName(rawName, prompter);

  const agentPath =
    flags.agent ??
    (prompter
      ? await prompter.input({
          message: 'Agent guidance file (markdown)',
          default: deps.bundledAgent,
        })
      : deps.bundledAgent);
  const agent = await readAgentFile(agentPath);
  for (const warning of agent.warnings) deps.warn(warning);
  const practices = detectPractices(agent);
  for (const warning of practices.warnings) deps.warn(warning);

  deps.log(`Creating ${name} in ${target}, following ${agent.name} (${agentPath})`);
  const asked = await askOptions(flags, practices, agentPath, deps);
  const spec = buildSpec({
    answers: { name, ...asked },
    practices,
    agent: { path: agentPath, name: agent.name, description: agent.description, text: agent.text },
    secretKey: deps.randomHex(),
    generatorVersion: deps.version,
  });
  for (const fallback of spec.fallbacks) deps.warn(fallback);
  const [templates, python] = await Promise.all([deps.templates(), deps.python()]);
  const tree = newProjectTree(spec, renderProject(spec, templates, python));
  const forced = await writeProjectAtomically(target, tree, { force: flags.force > 0 });
  deps.log(`Wrote ${tree.size} files to ${target}`);
  for (const file of forced.replaced) deps.log(`  replaced ${file}`);
  for (const file of forced.kept) deps.warn(`kept your ${file}: it was not replaced`);

  const dir = path.resolve(target);
  const reports = await postSteps(dir, flags, spec.options['python-tool'], deps);
  for (const report of reports) deps.log(`  ${report.step}: ${report.status}, ${report.detail}`);

  const relative = path.relative(process.cwd(), dir) || '.';
  const cd = relative.startsWith('..') ? dir : relative;
  const setup = flags.install
    ? ['source .venv/bin/activate']
    : ['python3 -m venv .venv && source .venv/bin/activate', "pip install -e '.[dev]'"];
  const nextSteps = [
    ...(cd === '.'
      ? []
      : [`cd ${JSON.stringify(cd).slice(1, -1).includes(' ') ? JSON.stringify(cd) : cd}`]),
    ...setup,
    revisionFiles(spec.options).upgrade,
    'pytest',
    'uvicorn app.main:app --reload',
  ];
  deps.log(['', 'Next steps:', ...nextSteps.map((l) => `  ${l}`)].join('\n'));
  return {
    dir,
    files: [...tree.keys()],
    replaced: forced.replaced,
    kept: forced.kept,
    postSteps: reports,
    migrations: spec.migrations.map((m) => ({
      path: projectMigrationPath(spec, m),
      upgrade: revisionFiles(spec.options).upgrade,
    })),
    nextSteps,
  };
}
