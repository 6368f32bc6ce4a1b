import type { CliIo } from '../../src/cli/main.js';
import type { Prompter } from '../../src/cli/prompter.js';
import type { CommandRunner } from '../../src/io/runner.js';

export interface FakeIo extends CliIo {
  out: string[];
  err: string[];
  commands: string[];
}

/** A prompter that answers from a script, or fails if asked anything it has no answer for. */
export function scriptedPrompter(answers: Array<string | Error>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = async (message: string): Promise<string> => {
    asked.push(message);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected prompt: ${message}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return {
    asked,
    input: (q) => next(q.message),
    select: (q) => next(q.message),
    checkbox: async (q) => (await next(q.message)).split(','),
    confirm: async (q) => (await next(q.message)) === 'yes',
  };
}

export function fakeIo(options: { interactive?: boolean; prompter?: Prompter } = {}): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  const commands: string[] = [];
  const runner: CommandRunner = {
    async run(command, args) {
      commands.push([command, ...args].join(' '));
      return { exitCode: 0, output: '' };
    },
    async has() {
      return true;
    },
  };
  return {
    out,
    err,
    commands,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    interactive: options.interactive ?? false,
    runner,
    prompter: options.prompter ?? scriptedPrompter([]),
  };
}

export function promptCancel(): Error {
  const error = new Error('User force closed the prompt with SIGINT');
  error.name = 'ExitPromptError';
  return error;
}
