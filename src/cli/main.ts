import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { createProject, type CreateFlags } from '../commands/create.js';
import { UserError } from '../core/errors.js';
import { OPTIONS, optionValues } from '../core/options.js';
import { BUNDLED_AGENT, PACKAGE_ROOT, TEMPLATES_DIR } from '../io/paths.js';
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

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command(PROGRAM)
    .description('Scaffold a production FastAPI service from an agent guidance file')
    .version(packageVersion(), '-v, --version')
    .argument('[directory]', 'target folder (relative or absolute); its name is the project name')
    .option('--name <name>', 'project name (default: the target folder name, normalised)')
    .option(
      '--agent <path>',
      'agent guidance file (default: the bundled fastapi-backend-developer.md)',
    )
    .option('-y, --yes', 'ask nothing: use flags, then the guidance file, then defaults', false)
    .option(
      '--force',
      'write into a non-empty target folder, replacing entries of the same name',
      false,
    )
    .option('--no-install', 'do not create .venv nor install the project')
    .option('--no-git', 'do not initialise a git repository')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`${PROGRAM}: ${text.replace(/^error: /, '')}`),
    });
  for (const option of OPTIONS) {
    program.addOption(
      new Option(
        option.flag,
        `${option.message.toLowerCase()}: ${optionValues(option.id).join(' | ')}`,
      ),
    );
  }
  program.action(async (directory: string | undefined, opts: CreateFlags & { yes: boolean }) => {
    await createProject(directory, opts, {
      runner: io.runner,
      prompter: opts.yes || !io.interactive ? null : io.prompter,
      log: (line) => io.stdout(`${line}\n`),
      warn: (line) => io.stderr(`warning: ${line}\n`),
      randomHex: () => randomBytes(32).toString('hex'),
      templatesDir: TEMPLATES_DIR,
      bundledAgent: BUNDLED_AGENT,
      version: packageVersion(),
    });
    setExit(0);
  });
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isPromptCancel(error)) {
      io.stderr('Cancelled: nothing was written.\n');
      return 130;
    }
    if (error instanceof UserError) {
      io.stderr(`${PROGRAM}: ${error.message}\n`);
      if (error.details) io.stderr(`${error.details}\n`);
      return error.exitCode;
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
