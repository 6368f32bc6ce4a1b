import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createProject } from '../commands/create.js';
import {
  addFieldRequest,
  addResourceRequest,
  removeFieldRequest,
  removeResourceRequest,
} from '../commands/resources.js';
import { addModuleRequest, removeModuleRequest } from '../commands/modules.js';
import {
  packagesNamed,
  recoverBefore,
  updateProject,
  type UpdateDeps,
  type UpdateRequest,
} from '../commands/update.js';
import { MODULE_KINDS, type ModuleKind } from '../core/modules.js';
import type { Manifest } from '../core/manifest.js';
import { hasJournal, type ChangeHooks } from '../io/change.js';
import { findProject, readManifest } from '../io/project.js';
import { formatPracticesTable, practicesReport } from '../commands/practices.js';
import { UserError } from '../core/errors.js';
import { PythonSyntaxError } from '../core/python.js';
import { OPTIONS, optionValues, type OptionId } from '../core/options.js';
import { detectPractices } from '../core/practices.js';
import { explainOption, formatExplanation } from '../core/practices-explain.js';
import { readAgentFile } from '../io/agent-file.js';
import { fsUserError, isFsError } from '../io/files.js';
import {
  BUNDLED_AGENT,
  FORMAT_SEED,
  PACKAGE_ROOT,
  PRECOMPILED_TEMPLATES,
  TEMPLATES_DIR,
} from '../io/paths.js';
import { loadPythonFormatter, loadProjectLinter } from '../io/ruff.js';
import { loadTemplates } from '../io/templates.js';
import { execaRunner, type CommandRunner } from '../io/runner.js';
import { inquirerPrompter, isPromptCancel, type Prompter } from './prompter.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether a person can answer prompts: stdin is a TTY and this is not CI. */
  interactive: boolean;
  runner: CommandRunner;
  prompter: Prompter;
}

const PROGRAM = 'create-fastapi-agent';

const MODULE_DESCRIPTIONS: Readonly<Record<ModuleKind, string>> = {
  router: 'add a router module: app/<name>/router.py with schemas and tests, mounted under /api/v1',
  service: 'add a service module: app/<name>/service.py and its dependency, with tests',
  task: 'add a background task module: app/<name>/tasks.py (BackgroundTasks), with tests',
  websocket: 'add a WebSocket channel: app/<name>/websocket.py at /api/v1/<name>/ws, with tests',
};

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * A value option given twice is an error, not "the last one wins": `--db sqlite --db mysql`
 * would silently ignore one of them.
 */
function once(flag: string): (value: string, previous: unknown) => string {
  return (value, previous) => {
    if (previous !== undefined) {
      throw new InvalidArgumentError(`${flag} is given more than once`);
    }
    return value;
  };
}

/** Every value option of a command (and its subcommands) may be given once. */
function valuesOnce(command: Command): void {
  for (const option of command.options) {
    if (option.required || option.optional) option.argParser(once(option.long ?? option.flags));
  }
  for (const sub of command.commands) valuesOnce(sub);
}

/**
 * Test seam: CFA_TEST_SLOW_CHANGE=<ms> pauses after each file a change replaces, so that a test
 * can interrupt a real process inside that window (tests/e2e/interrupt.test.ts).
 */
function slowChangeForTests(): ChangeHooks | undefined {
  const ms = Number(process.env.CFA_TEST_SLOW_CHANGE);
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return { afterFile: () => new Promise((resolve) => setTimeout(resolve, ms)) };
}

/** `--rate-limit` is read back by commander as `rateLimit`. */
const camel = (id: string): string => id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function configure(command: Command, io: CliIo): Command {
  return command.exitOverride().configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: (text) => io.stderr(text),
    outputError: (text, write) => write(`${PROGRAM}: ${text.replace(/^error: /, '')}`),
  });
}

function buildProgram(io: CliIo): Command {
  const version = packageVersion();
  const program = configure(new Command(PROGRAM), io)
    .description('Scaffold a production FastAPI service from an agent guidance file')
    // Options after a subcommand belong to it: `practices --agent X` is not the root's --agent.
    .enablePositionalOptions()
    .version(version, '-v, --version')
    .argument('[directory]', 'target folder (relative or absolute); its name is the project name')
    .option('--name <name>', 'project name (default: the target folder name, normalised)')
    .option(
      '--agent <path>',
      'agent guidance file (default: the bundled fastapi-backend-developer.md)',
    )
    .option('-y, --yes', 'ask nothing: use flags, then the guidance file, then defaults', false)
    .option(
      '--force',
      'write into a folder that has files (committed in git; twice: whatever its state): generated files are created or replaced, nothing else is touched, .env is kept',
      (_: unknown, previous: number) => previous + 1,
      0,
    )
    .option('--no-install', 'do not create .venv nor install the project')
    .option('--no-git', 'do not initialise a git repository');
  for (const option of OPTIONS) {
    const values = optionValues(option.id).join(' | ');
    const many = option.kind === 'multi' ? ' (comma-separated)' : '';
    program.addOption(
      new Option(`--${option.id} <value>`, `${option.message.toLowerCase()}: ${values}${many}`),
    );
  }
  program.action(async (directory: string | undefined, opts: Record<string, unknown>) => {
    const options: Partial<Record<OptionId, string>> = {};
    for (const option of OPTIONS) {
      const value = opts[camel(option.id)];
      if (typeof value === 'string') options[option.id] = value;
    }
    await createProject(
      directory,
      {
        ...(typeof opts.name === 'string' ? { name: opts.name } : {}),
        ...(typeof opts.agent === 'string' ? { agent: opts.agent } : {}),
        options,
        force: typeof opts.force === 'number' ? opts.force : 0,
        install: opts.install !== false,
        git: opts.git !== false,
      },
      {
        runner: io.runner,
        prompter: opts.yes === true || !io.interactive ? null : io.prompter,
        log: (line) => io.stdout(`${line}\n`),
        warn: (line) => io.stderr(`warning: ${line}\n`),
        randomHex: () => randomBytes(32).toString('hex'),
        templates: () => loadTemplates(TEMPLATES_DIR, PRECOMPILED_TEMPLATES),
        python: () => loadPythonFormatter({ seedFile: FORMAT_SEED }),
        bundledAgent: BUNDLED_AGENT,
        version,
      },
    );
  });

  const updateDeps: UpdateDeps = {
    log: (line) => io.stdout(`${line}\n`),
    warn: (line) => io.stderr(`warning: ${line}\n`),
    templates: () => loadTemplates(TEMPLATES_DIR, PRECOMPILED_TEMPLATES),
    python: () => loadPythonFormatter({ seedFile: FORMAT_SEED }),
    lint: loadProjectLinter,
    hooks: slowChangeForTests(),
    randomHex: () => randomBytes(32).toString('hex'),
    version,
  };
  /** Runs a change on the project around `--project` (default: the current folder). */
  const update = async (
    opts: { project?: string; dryRun?: boolean },
    request: (manifest: Manifest) => UpdateRequest | Promise<UpdateRequest>,
    packages?: () => string[],
  ): Promise<void> => {
    const dir = findProject(opts.project ?? process.cwd());
    // Ctrl-C: say exactly what state the project is in, then stop.
    const interrupted = (): void => {
      io.stderr(
        hasJournal(dir)
          ? 'Cancelled while files were being replaced: the next create-fastapi-agent command in this project (e.g. regenerate) puts them back as they were.\n'
          : 'Cancelled: nothing was written.\n',
      );
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    try {
      await recoverBefore(dir, opts.dryRun === true, updateDeps);
      await runUpdate(dir, opts, request, packages);
    } finally {
      process.off('SIGINT', interrupted);
    }
  };
  const runUpdate = async (
    dir: string,
    opts: { dryRun?: boolean },
    request: (manifest: Manifest) => UpdateRequest | Promise<UpdateRequest>,
    packages?: () => string[],
  ): Promise<void> => {
    const made = await request(await readManifest(dir));
    const only = packages?.();
    const result = await updateProject(
      dir,
      { ...made, ...(only?.length ? { only } : {}), dryRun: opts.dryRun === true },
      updateDeps,
    );
    if (result.conflicts.length > 0) {
      throw new UserError(
        `${result.conflicts.length} file(s) with conflicts to resolve: ${result.conflicts.join(', ')}`,
        1,
      );
    }
  };
  /** With a person at the terminal and no --force: ask before deleting files they edited. */
  const confirmDeleteEdited = (force: boolean): Pick<UpdateRequest, 'confirmDeleteEdited'> =>
    io.interactive && !force
      ? {
          confirmDeleteEdited: (paths: string[]) =>
            io.prompter.confirm({
              message: `Delete files you edited too? ${paths.join(', ')}`,
              default: false,
            }),
        }
      : {};
  const projectOption = [
    '--project <dir>',
    'the generated project (default: the current folder)',
  ] as const;

  const add = configure(program.command('add'), io).description(
    'add a resource, a field, or a router, service, task or websocket module',
  );
  configure(add.command('resource'), io)
    .description('add a resource: model, schemas, service, router, tests and a migration')
    .argument('<name>', 'singular or plural, any case: order, order-lines, OrderLine')
    .option(
      '--fields <list>',
      'e.g. "number:str:unique,total:decimal:min=0,customer:ref(customer)"',
    )
    .option(...projectOption)
    .action(async (name: string, opts: { fields?: string; project?: string }) => {
      await update(opts, async (manifest) => {
        let fields = opts.fields;
        if (fields === undefined) {
          if (!io.interactive)
            throw new UserError('add resource: --fields is required without a terminal');
          fields = await io.prompter.input({
            message: 'Fields (name:type[:modifiers], comma-separated)',
            validate: (value) => {
              try {
                addResourceRequest(manifest, name, value);
                return true;
              } catch (error) {
                return (error as Error).message;
              }
            },
          });
        }
        return addResourceRequest(manifest, name, fields);
      });
    });
  configure(add.command('field'), io)
    .description(
      "add a field to a resource, merge it into the resource's modules, write a migration",
    )
    .argument('<resource>', 'the resource')
    .argument('<field>', 'e.g. "note:text:optional"')
    .option(...projectOption)
    .action(async (resource: string, field: string, opts: { project?: string }) => {
      await update(opts, (manifest) => addFieldRequest(manifest, resource, field));
    });

  for (const kind of MODULE_KINDS) {
    configure(add.command(kind), io)
      .description(MODULE_DESCRIPTIONS[kind])
      .argument('<name>', 'the package, app/<name>/ (shared by modules of the same name)')
      .option(...projectOption)
      .action(async (name: string, opts: { project?: string }) => {
        await update(opts, (manifest) => addModuleRequest(manifest, kind, name));
      });
  }

  const remove = configure(program.command('remove'), io).description(
    'remove a resource, a field, or a module',
  );
  configure(remove.command('field'), io)
    .description('remove a field from a resource, and its column with a migration')
    .argument('<resource>', 'the resource')
    .argument('<field>', 'the field name')
    .option(...projectOption)
    .action(async (resource: string, field: string, opts: { project?: string }) => {
      await update(opts, (manifest) => removeFieldRequest(manifest, resource, field));
    });
  configure(remove.command('resource'), io)
    .description('remove a resource, its files and wiring, and its table with a migration')
    .argument('<name>', 'the resource')
    .option('--force', 'also delete its files that you edited', false)
    .option(...projectOption)
    .action(async (name: string, opts: { project?: string; force: boolean }) => {
      await update(opts, (manifest) => ({
        ...removeResourceRequest(manifest, name, opts.force),
        ...confirmDeleteEdited(opts.force),
      }));
    });

  for (const kind of MODULE_KINDS) {
    configure(remove.command(kind), io)
      .description(`remove a ${kind} module: its file and tests, and its wiring`)
      .argument('<name>', 'the package')
      .option('--force', 'also delete its files that you edited', false)
      .option(...projectOption)
      .action(async (name: string, opts: { project?: string; force: boolean }) => {
        await update(opts, (manifest) => ({
          ...removeModuleRequest(manifest, kind, name, opts.force),
          ...confirmDeleteEdited(opts.force),
        }));
      });
  }

  configure(program.command('regenerate'), io)
    .description('render the project again from its manifest and merge it with your edits')
    .argument('[modules...]', 'only these domains (e.g. orders); all files when none')
    .option('--dry-run', 'show the diff, write nothing', false)
    .option('--recreate-deleted', 'write again the generated files you deleted', false)
    .option(...projectOption)
    .action(
      async (
        modules: string[],
        opts: { project?: string; dryRun: boolean; recreateDeleted: boolean },
      ) => {
        let only: string[] = [];
        await update(
          opts,
          (manifest) => {
            only = packagesNamed(manifest, modules);
            return {
              resources: (m) => m.resources,
              slug: 'update_schema',
              recreateDeleted: opts.recreateDeleted,
            };
          },
          () => only,
        );
      },
    );

  configure(program.command('practices'), io)
    .description('show the practices an agent guidance file states, with the line of each')
    .option(
      '--agent <path>',
      'agent guidance file (default: the bundled fastapi-backend-developer.md)',
    )
    .option('--json', 'print JSON for tools', false)
    .option('--explain <option>', 'print every mention of OPTION and why it counted or not')
    .action(async (opts: { agent?: string; json: boolean; explain?: string }) => {
      const agent = await readAgentFile(opts.agent ?? BUNDLED_AGENT);
      if (opts.explain !== undefined) {
        const explanation = explainOption(agent, opts.explain);
        io.stdout(
          opts.json
            ? `${JSON.stringify(explanation, null, 2)}\n`
            : formatExplanation(agent.path, explanation),
        );
        return;
      }
      const report = practicesReport(agent, detectPractices(agent));
      io.stdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatPracticesTable(report));
    });
  valuesOnce(program);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isPromptCancel(error)) {
      io.stderr('Cancelled: nothing was written.\n');
      return 130;
    }
    // A file-system error no command turned into a message is still one line, not a stack.
    const known = isFsError(error) ? fsUserError(error) : error;
    if (known instanceof UserError) {
      io.stderr(`${PROGRAM}: ${known.message}\n`);
      if (known.details) io.stderr(`${known.details}\n`);
      return known.exitCode;
    }
    if (error instanceof PythonSyntaxError) {
      // A template made Python that does not parse: nothing was written, and it is our bug.
      io.stderr(`${PROGRAM}: internal error: ${error.message}\n`);
      return 70;
    }
    throw error;
  }
}

export function defaultIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    interactive: Boolean(process.stdin.isTTY) && !process.env.CI,
    runner: execaRunner(),
    prompter: inquirerPrompter(),
  };
}
