/**
 * `--json`: what a command that changes a project did, for a coding agent or a script. One JSON
 * document on stdout, whatever happened: `ok` is false when the command exits non-zero (a
 * conflict left to resolve, bad input), and `error` then says why. Its shape (`CHANGE_REPORT_VERSION`):
 *
 * ```
 * { reportVersion, ok, command, project, dryRun,
 *   files: { created, updated, merged, conflicted, deleted: string[],
 *            kept: [{ path, reason }] },          // kept: files left as they are, and why
 *   migrations: [{ path, upgrade }], requirementsAdded: string[], manifestUpgradedFrom,
 *   endpoints: [{ name, method, path, operation, test }],   // those the command added
 *   nextSteps: string[], postSteps?: [{ step, status, detail }] (create), error?,
 *   fill?: { provider, model, checks: string[],                 // fill, add endpoint --llm
 *            filled: [{ name, operation, test, model, tries, cached }],
 *            stubs: [{ name, reason, tries, model }],           // asked, not kept: why
 *            skipped: [{ name, state, reason }] } }             // not asked: why
 * ```
 */
import { endpointFiles } from '../core/endpoint-context.js';
import { API_PREFIX, type EndpointSpec } from '../core/endpoints.js';
import type { CreateResult } from './create.js';
import type { FillResult } from './fill.js';
import type { StepReport } from './post-steps.js';
import type { UpdateResult } from './update.js';

export const CHANGE_REPORT_VERSION = 1;

export interface ChangeReport {
  reportVersion: typeof CHANGE_REPORT_VERSION;
  ok: boolean;
  command: string;
  project: string;
  dryRun: boolean;
  files: {
    created: string[];
    updated: string[];
    merged: string[];
    conflicted: string[];
    deleted: string[];
    kept: Array<{ path: string; reason: string }>;
  };
  migrations: Array<{ path: string; upgrade: string }>;
  requirementsAdded: string[];
  manifestUpgradedFrom: number | null;
  endpoints: Array<{
    name: string;
    method: string;
    path: string;
    operation: string;
    test: string;
  }>;
  nextSteps: string[];
  /** `create`: git and the install, each done or skipped. */
  postSteps?: StepReport[];
  error?: string;
  /** `fill` and `--llm`: the bodies filled, those left stubs and those not asked for, and why. */
  fill?: Omit<FillResult, 'written'>;
}

export function emptyFiles(): ChangeReport['files'] {
  return { created: [], updated: [], merged: [], conflicted: [], deleted: [], kept: [] };
}

/** The report of a grow command (`add`, `remove`, `regenerate`) from what it did. */
export function changeReport(
  command: string,
  project: string,
  result: UpdateResult,
  options: { dryRun: boolean; added?: readonly EndpointSpec[] },
): ChangeReport {
  const files = emptyFiles();
  for (const action of result.actions) {
    if (action.kind === 'create') files.created.push(action.path);
    else if (action.kind === 'update') files.updated.push(action.path);
    else if (action.kind === 'merge') files.merged.push(action.path);
    else if (action.kind === 'conflict') files.conflicted.push(action.path);
    else if (action.kind === 'delete') files.deleted.push(action.path);
    else if (action.reason === 'unresolved conflict markers') files.conflicted.push(action.path);
    else if (action.reason !== 'unchanged') {
      files.kept.push({ path: action.path, reason: action.reason });
    }
  }
  const endpoints = (options.added ?? []).map((e) => ({
    name: e.name,
    method: e.method,
    path: `${API_PREFIX}${e.path}`,
    ...endpointFiles(e),
  }));
  const nextSteps = [
    ...files.conflicted.map((f) => `resolve the conflict markers in ${f}`),
    ...(result.requirements.added.length > 0 ? [result.requirements.install] : []),
    ...(result.migration ? [result.migration.upgrade] : []),
    ...endpoints.flatMap((e) => [
      `write the body of ${e.name} in ${e.operation} (it raises NotImplementedYetError: 501)`,
      `then replace the 501 test in ${e.test} with tests of what it does`,
    ]),
  ];
  if (!options.dryRun) nextSteps.push('pytest');
  return {
    reportVersion: CHANGE_REPORT_VERSION,
    ok: files.conflicted.length === 0,
    command,
    project,
    dryRun: options.dryRun,
    files,
    migrations: result.migration ? [result.migration] : [],
    requirementsAdded: result.requirements.added,
    manifestUpgradedFrom: result.upgradedFrom,
    endpoints,
    nextSteps,
  };
}

/** A report of `command` that changed nothing yet. */
function emptyReport(command: string, project: string): ChangeReport {
  return {
    reportVersion: CHANGE_REPORT_VERSION,
    ok: true,
    command,
    project,
    dryRun: false,
    files: emptyFiles(),
    migrations: [],
    requirementsAdded: [],
    manifestUpgradedFrom: null,
    endpoints: [],
    nextSteps: [],
  };
}

/** The report of a command refused before it changed anything. */
export function failureReport(command: string, project: string, error: string): ChangeReport {
  return { ...emptyReport(command, project), ok: false, error };
}

/** The report of `create`: every file it wrote is created (or replaced, with --force). */
export function createReport(result: CreateResult): ChangeReport {
  const replaced = new Set(result.replaced);
  const files = emptyFiles();
  for (const file of result.files) {
    if (result.kept.includes(file)) files.kept.push({ path: file, reason: 'yours, not replaced' });
    else if (replaced.has(file)) files.updated.push(file);
    else files.created.push(file);
  }
  return {
    ...emptyReport('create', result.dir),
    files,
    migrations: result.migrations,
    nextSteps: result.nextSteps,
    postSteps: result.postSteps,
  };
}

/** A report with what `fill` did: its files, the bodies, and what is left to do. */
export function withFill(report: ChangeReport, result: FillResult): ChangeReport {
  const { written, ...fill } = result;
  const files = { ...report.files, updated: [...report.files.updated] };
  for (const file of written) {
    if (!files.created.includes(file) && !files.updated.includes(file)) files.updated.push(file);
  }
  const done = result.filled.flatMap((f) => [f.operation, f.test]);
  const nextSteps = report.nextSteps.filter((step) => !done.some((file) => step.includes(file)));
  for (const stub of result.stubs) {
    const step = `write the body of ${stub.name} by hand, or run fill again`;
    if (!nextSteps.some((s) => s.startsWith(`write the body of ${stub.name} `))) {
      nextSteps.push(step);
    }
  }
  if (written.length > 0 && !nextSteps.includes('pytest')) nextSteps.push('pytest');
  return { ...report, ok: report.ok && result.stubs.length === 0, files, nextSteps, fill };
}

/** The report of `fill`. */
export function fillReport(project: string, result: FillResult): ChangeReport {
  return withFill(emptyReport('fill', project), result);
}
