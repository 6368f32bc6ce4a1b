import path from 'node:path';
import { UserError } from '../core/errors.js';
import { normaliseProjectName } from '../core/names.js';
import { OPTIONS, optionValues, type OptionId } from '../core/options.js';
import { detectPractices, type PracticeSet } from '../core/practices.js';
import { renderProject } from '../core/render.js';
import { buildSpec, type Answers } from '../core/spec.js';
import type { Prompter } from '../cli/prompter.js';
import { readAgentFile } from '../io/agent-file.js';
import type { CommandRunner } from '../io/runner.js';
import { loadTemplates } from '../io/templates.js';
import { checkTarget, writeProjectAtomically } from '../io/write-tree.js';
import { initGit, installPython, type StepReport } from './post-steps.js';

export interface CreateFlags {
  name?: string;
  agent?: string;
  db?: string;
  auth?: string;
  force: boolean;
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
  templatesDir: string;
  bundledAgent: string;
  version: string;
}

function checkOptionFlags(flags: CreateFlags): void {
  for (const option of OPTIONS) {
    const value = flags[option.id];
    if (value !== undefined && !optionValues(option.id).includes(value)) {
      throw new UserError(
        `--${option.id} ${value}: not one of ${optionValues(option.id).join(', ')}`,
      );
    }
  }
}

function validName(value: string): true | string {
  try {
    normaliseProjectName(value);
    return true;
  } catch (error) {
    return (error as Error).message;
  }
}

function describeDefault(practices: PracticeSet, id: OptionId, agentPath: string): string {
  const resolved = practices.options[id];
  if (resolved.source === 'detected' && resolved.evidence) {
    return `${resolved.value}, from ${path.basename(agentPath)} line ${resolved.evidence.line}: "${resolved.evidence.text.slice(0, 70)}"`;
  }
  return `${resolved.value}, the default`;
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
): Promise<Pick<Answers, OptionId>> {
  const answers: Partial<Record<OptionId, string>> = {};
  for (const option of OPTIONS) {
    const flagged = flags[option.id];
    if (flagged !== undefined) {
      answers[option.id] = flagged;
    } else if (deps.prompter) {
      answers[option.id] = await deps.prompter.select({
        message: `${option.message} (default: ${describeDefault(practices, option.id, agentPath)})`,
        choices: option.choices.map((c) => ({ value: c.value, name: c.label })),
        default: practices.options[option.id].value,
      });
    } else {
      deps.log(`  ${option.id}: ${describeDefault(practices, option.id, agentPath)}`);
    }
  }
  return answers;
}

/** `create-fastapi-agent [target]`: asks (or defaults), renders, writes atomically, runs post-steps. */
export async function createProject(
  targetArg: string | undefined,
  flags: CreateFlags,
  deps: CreateDeps,
): Promise<void> {
  checkOptionFlags(flags);
  const { prompter } = deps;
  let target = targetArg;
  if (target === undefined) {
    if (!prompter) throw new UserError('missing the target folder: create-fastapi-agent my-api');
    target = await prompter.input({ message: 'Project folder', default: 'my-api' });
  }
  const rawName = flags.name ?? path.basename(target);
  if (!prompter) normaliseProjectName(rawName); // a bad name fails before anything else is read
  await checkTarget(target, flags.force);
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
  const options = await askOptions(flags, practices, agentPath, deps);
  const spec = buildSpec({
    answers: { name, ...options },
    practices,
    agent: { path: agentPath, name: agent.name, description: agent.description, text: agent.text },
    secretKey: deps.randomHex(),
    generatorVersion: deps.version,
  });
  const tree = renderProject(spec, await loadTemplates(deps.templatesDir));
  await writeProjectAtomically(target, tree, { force: flags.force });
  deps.log(`Wrote ${tree.size} files to ${target}`);

  const reports: StepReport[] = [];
  const dir = path.resolve(target);
  if (flags.git) reports.push(await initGit(deps.runner, dir));
  if (flags.install) {
    deps.log('Installing the Python environment (.venv)...');
    reports.push(await installPython(deps.runner, dir));
  }
  for (const report of reports) deps.log(`  ${report.step}: ${report.status}, ${report.detail}`);

  const cd = path.relative(process.cwd(), dir) || '.';
  const activate = flags.install
    ? ['source .venv/bin/activate']
    : ['python3 -m venv .venv && source .venv/bin/activate', "pip install -e '.[dev]'"];
  deps.log(
    [
      '',
      'Next steps:',
      ...(cd === '.' ? [] : [`  cd ${cd}`]),
      ...activate.map((l) => `  ${l}`),
      '  alembic upgrade head',
      '  pytest',
      '  uvicorn app.main:app --reload',
    ].join('\n'),
  );
}
