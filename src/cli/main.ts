import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createProject } from '../commands/create.js';
import { createReport, failureReport } from '../commands/report.js';
import { addGrowCommands, configure, printJson, PROGRAM, type JsonState } from './grow.js';
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
import { loadPythonFormatter } from '../io/ruff.js';
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

/** `--rate-limit` is read back by commander as `rateLimit`. */
const camel = (id: string): string => id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function buildProgram(io: CliIo, state: JsonState): Command {
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
    .option('--no-git', 'do not initialise a git repository')
    .option(
      '--json',
      'print one JSON document: the files written, the post-steps, next steps',
      false,
    );
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
    const json = opts.json === true;
    const result = await createProject(
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
        prompter: opts.yes === true || !io.interactive || json ? null : io.prompter,
        log: json ? () => undefined : (line) => io.stdout(`${line}\n`),
        warn: (line) => io.stderr(`warning: ${line}\n`),
        randomHex: () => randomBytes(32).toString('hex'),
        templates: () => loadTemplates(TEMPLATES_DIR, PRECOMPILED_TEMPLATES),
        python: () => loadPythonFormatter({ seedFile: FORMAT_SEED }),
        bundledAgent: BUNDLED_AGENT,
        version,
      },
    );
    if (json) printJson(io, state, createReport(result));
  });

  addGrowCommands(program, io, version, state);

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
  const state: JsonState = { printed: false };
  const program = buildProgram(io, state);
  const json = argv.includes('--json');
  const command = argv
    .filter((a) => !a.startsWith('-'))
    .slice(0, 2)
    .join(' ');
  /** With --json, an error nothing reported yet is a JSON document too. */
  const reportFailure = (message: string): void => {
    if (json && !state.printed)
      printJson(io, state, failureReport(command, process.cwd(), message));
  };
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      if (error.exitCode !== 0) reportFailure(error.message.replace(/^error: /, ''));
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isPromptCancel(error)) {
      io.stderr('Cancelled: nothing was written.\n');
      return 130;
    }
    // A file-system error no command turned into a message is still one line, not a stack.
    const known = isFsError(error) ? fsUserError(error) : error;
    if (known instanceof UserError) {
      reportFailure(known.message);
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
