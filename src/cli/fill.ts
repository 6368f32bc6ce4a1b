/**
 * `fill` and the `--llm` options `add endpoint` shares with it: a model writes the bodies of
 * custom endpoints (commands/fill.ts). Errors that need no request come before anything is
 * written; the summary (or the JSON report) says what was filled, by which model, in how many
 * tries, and which bodies stay stubs and why.
 */
import { Command, Option } from 'commander';
import {
  fillProject,
  fillSummary,
  listBodies,
  openLlm,
  type FillResult,
  type LlmFlags,
} from '../commands/fill.js';
import { failureReport, fillReport } from '../commands/report.js';
import { recoverBefore } from '../commands/update.js';
import { UserError } from '../core/errors.js';
import { fsUserError, isFsError } from '../io/files.js';
import { FORMAT_SEED } from '../io/paths.js';
import { findProject } from '../io/project.js';
import { loadProjectLinter, loadPythonFormatter } from '../io/ruff.js';
import { configure, printJson, type JsonState } from './grow.js';
import type { CliIo } from './main.js';

/** The flags as commander gives them (strings: see valuesOnce in main.ts). */
export interface FillFlags {
  llm?: string;
  model?: string;
  refresh?: boolean;
  retries?: string;
  concurrency?: string;
  timeout?: string;
}

function count(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UserError(`${flag} takes a whole number from ${min} to ${max}`);
  }
  return n;
}

/** The flags checked: a UserError (exit 2) for a bad number. */
export function llmFlags(flags: FillFlags & { llm: string }): LlmFlags & {
  retries?: number;
  concurrency?: number;
} {
  const retries = count('--retries', flags.retries, 0, 10);
  const concurrency = count('--concurrency', flags.concurrency, 1, 32);
  let timeout: number | undefined;
  if (flags.timeout !== undefined) {
    timeout = Number(flags.timeout);
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600) {
      throw new UserError('--timeout takes seconds, more than 0 and at most 3600');
    }
  }
  return {
    llm: flags.llm,
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.refresh === undefined ? {} : { refresh: flags.refresh }),
    ...(retries === undefined ? {} : { retries }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

/** The options of `--llm`, on `fill` (without it, fill lists the bodies to write) and `add endpoint`. */
export function llmOptions(command: Command, required: boolean): Command {
  const llm = new Option(
    '--llm <provider>',
    'ask a model for the bodies: anthropic (ANTHROPIC_API_KEY), openai (OPENAI_API_KEY / OPENAI_BASE_URL) or claude-code',
  );
  if (required) llm.makeOptionMandatory();
  return command
    .addOption(llm)
    .option(
      '--model <model>',
      "sonnet, opus, haiku, inherit or a full model id (default: CFA_MODEL, then the guidance file's model:)",
    )
    .option(
      '--retries <n>',
      'times a rejected body goes back to the model with its problems (default 2)',
    )
    .option('--concurrency <n>', 'endpoints asked at once (default 4)')
    .option('--timeout <seconds>', 'the limit of each request (default 180)');
}

/** What `fill` (or `--llm` on `add endpoint`) does once the project is known. */
export async function runFill(
  io: CliIo,
  dir: string,
  names: readonly string[],
  raw: FillFlags & { llm: string },
  json: boolean,
  opened?: Awaited<ReturnType<typeof openLlm>>,
): Promise<FillResult> {
  const flags = llmFlags(raw);
  const warn = (line: string): void => io.stderr(`warning: ${line}\n`);
  const { llm, guidance } =
    opened ?? (await openLlm(dir, flags, { log: (line) => io.stderr(`${line}\n`) }));
  const result = await fillProject(
    dir,
    llm,
    guidance,
    {
      names,
      refresh: flags.refresh === true,
      ...(flags.retries === undefined ? {} : { retries: flags.retries }),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    },
    {
      progress: (line) => io.stderr(`${line}\n`),
      warn,
      python: () => loadPythonFormatter({ seedFile: FORMAT_SEED }),
      lint: loadProjectLinter,
    },
  );
  if (!json) for (const line of fillSummary(result)) io.stdout(`${line}\n`);
  return result;
}

/** Exit 1 when a body asked for stays a stub (the summary said why). */
export function stubsLeft(result: FillResult): void {
  if (result.stubs.length === 0) return;
  throw new UserError(
    `${result.stubs.length} endpoint(s) stay stubs: ${result.stubs.map((s) => s.name).join(', ')}`,
    1,
  );
}

export function addFillCommand(program: Command, io: CliIo, state: JsonState): void {
  const command = configure(program.command('fill'), io)
    .description(
      'ask a model for the bodies of custom endpoints still stubs, with their tests; keep those that pass the checks',
    )
    .argument('[names...]', 'only these endpoints (function names); all when none')
    .option(
      '--refresh',
      'ask again, also for bodies a model wrote (never for those written by hand)',
      false,
    )
    .option('--project <dir>', 'the generated project (default: the current folder)')
    .option('--json', 'print one JSON document: the bodies filled, the stubs left and why', false);
  llmOptions(command, false).action(
    async (names: string[], opts: FillFlags & { project?: string; json: boolean }) => {
      let dir = opts.project ?? process.cwd();
      try {
        dir = findProject(dir);
        const { llm } = opts;
        if (llm === undefined) {
          // Without a model: what is left to write, and nothing written.
          const listed = await listBodies(dir, names);
          if (opts.json) printJson(io, state, { ...fillReport(dir, listed), ok: true });
          else for (const line of fillSummary(listed)) io.stdout(`${line}\n`);
          return;
        }
        await recoverBefore(dir, false, { warn: (line) => io.stderr(`warning: ${line}\n`) });
        const result = await runFill(io, dir, names, { ...opts, llm }, opts.json);
        if (opts.json) printJson(io, state, fillReport(dir, result));
        stubsLeft(result);
      } catch (error) {
        const known = isFsError(error) ? fsUserError(error) : error;
        if (opts.json && !state.printed && known instanceof UserError) {
          printJson(io, state, failureReport('fill', dir, known.message));
        }
        throw error;
      }
    },
  );
}
