/**
 * `fill [NAME...] --llm PROVIDER`: asks a model for the bodies of custom endpoints still stubs
 * (with --refresh, also those a model wrote that nobody edited since), each with a test module
 * that replaces its 501 test, and keeps those that pass the project's checks: format and Ruff in
 * process, then mypy and pytest where the project's `.venv` is installed. The kept modules and
 * tests are written as one change, with `filled` recorded in the manifest. The LLM layer is
 * loaded only here (and only with --llm): `create` and the other commands never load it.
 */
import path from 'node:path';
import { parseAgentFile } from '../core/agent.js';
import { bodyHash, findFunction } from '../core/endpoint-body.js';
import { endpointFiles } from '../core/endpoint-context.js';
import type { EndpointSpec } from '../core/endpoints.js';
import {
  assembleModule,
  contextFiles,
  fillContext,
  selectEndpoints,
  type Skipped,
} from '../core/fill.js';
import type { FillOutcome } from '../core/llm/fill.js';
import type { ParsedBody } from '../core/llm/reply.js';
import { MANIFEST_PATH, serialiseManifest, type Manifest } from '../core/manifest.js';
import { PythonSyntaxError, type PythonFormatter, type PythonLinter } from '../core/python.js';
import { applyChange, type ChangeHooks, type FileChange } from '../io/change.js';
import { readDisk, readManifest } from '../io/project.js';
import { projectPython, type PythonSandbox } from '../io/python-checks.js';
import type { Llm } from '../llm/index.js';
import { recoverBefore } from './update.js';

export const LLM_CACHE_DIR = '.fastapi-agent/llm-cache';

export interface LlmFlags {
  llm: string;
  model?: string;
  refresh?: boolean;
  /** Seconds each request may take. */
  timeout?: number;
}

/**
 * The model asked, from the flags, the environment and the project's guidance file: every error
 * that needs no request (unknown provider or alias, a missing key, `claude` not on PATH) is
 * thrown here, before anything is written.
 */
export async function openLlm(
  dir: string,
  flags: LlmFlags,
  options: { log: (line: string) => void; onRetry?: (line: string) => void },
): Promise<{ llm: Llm; guidance: string }> {
  const manifest = await readManifest(dir);
  const agentPath = manifest.agent.path;
  const agentText =
    (await readDisk(dir, [agentPath])).get(agentPath) ?? `# ${manifest.agent.name}\n`;
  const agent = parseAgentFile(
    agentText.trim() === '' ? `# ${manifest.agent.name}\n` : agentText,
    agentPath,
  );
  const { createLlm } = await import('../llm/index.js');
  const policy = testRetryPolicy();
  const llm = createLlm({
    provider: flags.llm,
    ...(flags.model === undefined ? {} : { modelFlag: flags.model }),
    ...(agent.model === undefined ? {} : { guidanceModel: agent.model }),
    cache: { dir: path.join(dir, LLM_CACHE_DIR), mode: flags.refresh ? 'refresh' : 'use' },
    retry: {
      ...policy,
      ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout * 1000 }),
    },
    log: options.log,
    ...(options.onRetry
      ? {
          onRetry: (event) =>
            options.onRetry?.(
              `${event.error.message}: trying again in ${Math.round(event.delayMs)} ms`,
            ),
        }
      : {}),
  });
  await llm.preflight();
  return { llm, guidance: agent.body };
}

/** Test seam: CFA_TEST_LLM_RETRY='{"baseDelayMs":1}' shortens the backoff without a flag. */
function testRetryPolicy(): Record<string, number> {
  const raw = process.env.CFA_TEST_LLM_RETRY;
  if (!raw) return {};
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number'),
  );
}

export interface FillDeps {
  /** Progress, one line per endpoint as it ends. */
  progress: (line: string) => void;
  python: () => Promise<PythonFormatter>;
  lint: () => Promise<PythonLinter>;
  warn: (line: string) => void;
  hooks?: ChangeHooks;
}

export interface FillRequest {
  names: readonly string[];
  refresh: boolean;
  retries?: number;
  concurrency?: number;
  signal?: AbortSignal;
}

export interface FilledEndpoint {
  name: string;
  operation: string;
  test: string;
  model: string;
  tries: number;
  cached: boolean;
}

export interface StubEndpoint {
  name: string;
  reason: string;
  tries: number;
  model: string | null;
}

export interface FillResult {
  provider: string;
  model: string | null;
  /** The checks each body passed: `format`, `ruff`, and `mypy`, `pytest` with a `.venv`. */
  checks: string[];
  filled: FilledEndpoint[];
  stubs: StubEndpoint[];
  skipped: Skipped[];
  /** The files written (the manifest last). */
  written: string[];
}

interface Accepted {
  module: string;
  test: string;
}

const plural = (n: number, word: string, many = `${word}s`): string =>
  `${n} ${n === 1 ? word : many}`;

/** `path:line: CODE message (`the line`)` for each Ruff problem of a file. */
function lintLines(linter: PythonLinter, text: string, file: string): string[] {
  const lines = text.split('\n');
  return linter
    .check(text, file)
    .map(
      (p) =>
        `ruff: ${file}:${p.line}: ${p.code} ${p.message} (\`${(lines[p.line - 1] ?? '').trim()}\`)`,
    );
}

/** Fills the bodies; see the module's comment. Writes nothing when nothing was filled. */
export async function fillProject(
  dir: string,
  llm: Llm,
  guidance: string,
  request: FillRequest,
  deps: FillDeps,
): Promise<FillResult> {
  await recoverBefore(dir, false, deps);
  const manifest = await readManifest(dir);
  const operations = manifest.endpoints.map((e) => endpointFiles(e).operation);
  const modules = await readDisk(dir, operations);
  const { todo, skipped } = selectEndpoints(
    manifest.endpoints,
    request.names,
    modules,
    request.refresh,
  );
  const venv = projectPython(dir);
  const result: FillResult = {
    provider: llm.writer.provider,
    model: llm.writer.model ?? null,
    checks: venv ? ['format', 'ruff', 'mypy', 'pytest'] : ['format', 'ruff'],
    filled: [],
    stubs: [],
    skipped,
    written: [],
  };
  if (todo.length === 0) return result;
  const [python, linter] = await Promise.all([deps.python(), deps.lint()]);
  const { buildBodyPrompt, fillBody, parseFillReply, runConcurrently } =
    await import('../llm/index.js');
  const orm = String(manifest.options.orm ?? 'sqlalchemy');
  const files = await readDisk(dir, new Set(todo.flatMap((t) => contextFiles(t.endpoint))));

  const fillOne = async (
    endpoint: EndpointSpec,
    signal: AbortSignal,
  ): Promise<{ outcome: FillOutcome; accepted: Accepted | undefined }> => {
    const paths = endpointFiles(endpoint);
    const ask = fillContext(endpoint, files, orm);
    const moduleText = files.get(paths.operation) ?? '';
    let accepted: Accepted | undefined;
    let sandbox: PythonSandbox | undefined;
    const check = async (candidate: ParsedBody, _: number, inner: AbortSignal) => {
      accepted = undefined;
      let module: string;
      let test: string;
      try {
        module = python.format(
          assembleModule(moduleText, endpoint.name, candidate),
          paths.operation,
        );
      } catch (error) {
        if (!(error instanceof PythonSyntaxError)) throw error;
        return [`the body is not valid Python: ${error.detail}`];
      }
      try {
        test = python.format(candidate.test ?? '', paths.test);
      } catch (error) {
        if (!(error instanceof PythonSyntaxError)) throw error;
        return [`the test module is not valid Python: ${error.detail}`];
      }
      const problems = [
        ...lintLines(linter, module, paths.operation),
        ...lintLines(linter, test, paths.test),
      ];
      if (problems.length > 0) return problems;
      if (venv) {
        sandbox ??= await venv.sandbox();
        const checked = new Map([
          [paths.operation, module],
          [paths.test, test],
        ]);
        const found = await sandbox.check(checked, paths.test, inner);
        if (found.length > 0) return found;
      }
      accepted = { module, test };
      return [];
    };
    try {
      const outcome = await fillBody(
        llm.writer,
        buildBodyPrompt(guidance, ask.context),
        {
          rules: ask.rules,
          parse: (text) => parseFillReply(text, ask.rules, ask.tests),
          check,
          ...(request.retries === undefined ? {} : { retries: request.retries }),
        },
        signal,
      );
      return { outcome, accepted: outcome.status === 'filled' ? accepted : undefined };
    } finally {
      await sandbox?.dispose();
    }
  };

  const outcomes = await runConcurrently(
    todo.map((t) => t.endpoint),
    (endpoint, _, signal) => fillOne(endpoint, signal),
    {
      ...(request.concurrency === undefined ? {} : { concurrency: request.concurrency }),
      ...(request.signal ? { signal: request.signal } : {}),
      onProgress: ({ done, total, item, result }) => {
        const o = result.outcome;
        const what =
          o.status === 'filled'
            ? `filled by ${o.model} (${plural(o.tries, 'try', 'tries')}${o.cached ? ', from the cache' : ''})`
            : `stays a stub: ${llm.scrub(o.reason)}`;
        deps.progress(`[${done}/${total}] ${item.name}: ${what}`);
      },
    },
  );

  const changes: FileChange[] = [];
  const fills = new Map<string, { model: string; sha256: string }>();
  for (const [i, { outcome, accepted }] of outcomes.entries()) {
    const endpoint = todo[i]?.endpoint as EndpointSpec;
    const paths = endpointFiles(endpoint);
    const body = accepted ? findFunction(accepted.module, endpoint.name)?.body : undefined;
    if (outcome.status === 'filled' && accepted && body !== undefined) {
      changes.push({ path: paths.operation, content: accepted.module });
      changes.push({ path: paths.test, content: accepted.test });
      fills.set(endpoint.name, { model: outcome.model, sha256: bodyHash(body) });
      result.filled.push({
        name: endpoint.name,
        ...paths,
        model: outcome.model,
        tries: outcome.tries,
        cached: outcome.cached,
      });
    } else {
      result.stubs.push({
        name: endpoint.name,
        reason: llm.scrub(outcome.status === 'failed' ? outcome.reason : 'not kept'),
        tries: outcome.tries,
        model: outcome.model ?? null,
      });
    }
  }
  if (changes.length === 0) return result;
  const next: Manifest = {
    ...manifest,
    endpoints: manifest.endpoints.map((e) => {
      const filled = fills.get(e.name);
      return filled ? { ...e, filled } : e;
    }),
  };
  changes.push({ path: MANIFEST_PATH, content: serialiseManifest(next) });
  await applyChange(dir, changes, deps.hooks);
  result.written = changes.map((c) => c.path);
  return result;
}

/**
 * `fill` without `--llm`: the bodies still to write (listed as stubs, not asked for) and the
 * others, with why they are left alone. Writes nothing.
 */
export async function listBodies(dir: string, names: readonly string[]): Promise<FillResult> {
  const manifest = await readManifest(dir);
  const modules = await readDisk(
    dir,
    manifest.endpoints.map((e) => endpointFiles(e).operation),
  );
  const { todo, skipped } = selectEndpoints(manifest.endpoints, names, modules, false);
  return {
    provider: '',
    model: null,
    checks: [],
    filled: [],
    stubs: todo.map((t) => ({
      name: t.endpoint.name,
      reason: `still a stub in ${endpointFiles(t.endpoint).operation}: write it, or run fill --llm anthropic|openai|claude-code`,
      tries: 0,
      model: null,
    })),
    skipped,
    written: [],
  };
}

/** The summary printed at the end (without --json). */
export function fillSummary(result: FillResult): string[] {
  const lines = [
    ...result.filled.map(
      (f) =>
        `filled    ${f.name} in ${f.operation}, tests in ${f.test} (${f.model}, ${plural(f.tries, 'try', 'tries')}${f.cached ? ', from the cache' : ''})`,
    ),
    ...result.stubs.map((s) => `stub      ${s.name}: ${s.reason}`),
    ...result.skipped.map((s) => `skipped   ${s.name}: ${s.reason}`),
  ];
  const asked = result.filled.length + result.stubs.length;
  if (result.provider === '') return lines;
  lines.push(
    asked === 0
      ? 'nothing to fill: every body is written (fill --refresh asks again for those a model wrote)'
      : `${plural(result.filled.length, 'body', 'bodies')} filled, ${plural(result.stubs.length, 'stub')} left; checked with ${result.checks.join(', ')}${result.checks.includes('pytest') ? '' : ' (no .venv: install the project to run mypy and pytest too)'}`,
  );
  return lines;
}
