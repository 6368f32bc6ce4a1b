/**
 * The commands that grow a generated project: `add`, `remove`, `regenerate`. Each one renders
 * the project again with its change and merges it with the files on disk (commands/update.ts);
 * with `--json` it prints one JSON document (commands/report.ts) instead of its lines.
 */
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { addEndpointRequest, removeEndpointRequest } from '../commands/endpoints.js';
import { addModuleRequest, removeModuleRequest } from '../commands/modules.js';
import { openLlm, type FillResult } from '../commands/fill.js';
import { changeReport, failureReport, withFill, type ChangeReport } from '../commands/report.js';
import {
  addFieldRequest,
  addResourceRequest,
  removeFieldRequest,
  removeResourceRequest,
} from '../commands/resources.js';
import {
  packagesNamed,
  recoverBefore,
  updateProject,
  type UpdateDeps,
  type UpdateRequest,
} from '../commands/update.js';
import { API_PREFIX, type EndpointSpec } from '../core/endpoints.js';
import { UserError } from '../core/errors.js';
import type { Manifest } from '../core/manifest.js';
import { MODULE_KINDS, type ModuleKind } from '../core/modules.js';
import { hasJournal, type ChangeHooks } from '../io/change.js';
import { fsUserError, isFsError } from '../io/files.js';
import { FORMAT_SEED, PRECOMPILED_TEMPLATES, TEMPLATES_DIR } from '../io/paths.js';
import { findProject, readManifest } from '../io/project.js';
import { loadProjectLinter, loadPythonFormatter } from '../io/ruff.js';
import { loadTemplates } from '../io/templates.js';
import {
  addFillCommand,
  llmFlags,
  llmOptions,
  runFill,
  stubsLeft,
  type FillFlags,
} from './fill.js';
import type { CliIo } from './main.js';

export const PROGRAM = 'create-fastapi-agent';

/** Whether a JSON document was printed: `runCli` prints one for errors nothing else reported. */
export interface JsonState {
  printed: boolean;
}

export function configure(command: Command, io: CliIo): Command {
  return command.exitOverride().configureOutput({
    writeOut: (text) => io.stdout(text),
    writeErr: (text) => io.stderr(text),
    outputError: (text, write) => write(`${PROGRAM}: ${text.replace(/^error: /, '')}`),
  });
}

export function printJson(io: CliIo, state: JsonState, report: ChangeReport): void {
  io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  state.printed = true;
}

const MODULE_DESCRIPTIONS: Readonly<Record<ModuleKind, string>> = {
  router: 'add a router module: app/<name>/router.py with schemas and tests, mounted under /api/v1',
  service: 'add a service module: app/<name>/service.py and its dependency, with tests',
  task: 'add a background task module: app/<name>/tasks.py (BackgroundTasks), with tests',
  websocket: 'add a WebSocket channel: app/<name>/websocket.py at /api/v1/<name>/ws, with tests',
};

/**
 * Test seam: CFA_TEST_SLOW_CHANGE=<ms> pauses after each file a change replaces, so that a test
 * can interrupt a real process inside that window (tests/e2e/interrupt.test.ts).
 */
function slowChangeForTests(): ChangeHooks | undefined {
  const ms = Number(process.env.CFA_TEST_SLOW_CHANGE);
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return { afterFile: () => new Promise((resolve) => setTimeout(resolve, ms)) };
}

interface GrowOptions {
  project?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function addGrowCommands(
  program: Command,
  io: CliIo,
  version: string,
  state: JsonState,
): void {
  const depsFor = (json: boolean): UpdateDeps => ({
    log: json ? () => undefined : (line) => io.stdout(`${line}\n`),
    warn: (line) => io.stderr(`warning: ${line}\n`),
    templates: () => loadTemplates(TEMPLATES_DIR, PRECOMPILED_TEMPLATES),
    python: () => loadPythonFormatter({ seedFile: FORMAT_SEED }),
    lint: loadProjectLinter,
    hooks: slowChangeForTests(),
    randomHex: () => randomBytes(32).toString('hex'),
    version,
  });
  /** Runs a change on the project around `--project` (default: the current folder). */
  const update = async (
    command: string,
    opts: GrowOptions,
    request: (manifest: Manifest) => UpdateRequest | Promise<UpdateRequest>,
    packages?: () => string[],
    added?: () => EndpointSpec[],
    /** Runs once the change is written (fill after add endpoint --llm); before it, on the project. */
    around?: {
      before: (dir: string) => Promise<void>;
      after: (dir: string) => Promise<FillResult>;
    },
  ): Promise<void> => {
    const json = opts.json === true;
    const deps = depsFor(json);
    let dir = opts.project ?? process.cwd();
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
      dir = findProject(dir);
      await recoverBefore(dir, opts.dryRun === true, deps);
      await around?.before(dir);
      const made = await request(await readManifest(dir));
      const only = packages?.();
      const result = await updateProject(
        dir,
        { ...made, ...(only?.length ? { only } : {}), dryRun: opts.dryRun === true },
        deps,
      );
      const filled = around && !opts.dryRun ? await around.after(dir) : undefined;
      if (json) {
        const report = changeReport(command, dir, result, {
          dryRun: opts.dryRun === true,
          added: opts.dryRun ? [] : (added?.() ?? []),
        });
        printJson(io, state, filled ? withFill(report, filled) : report);
      }
      if (filled) stubsLeft(filled);
      if (result.conflicts.length > 0) {
        throw new UserError(
          `${result.conflicts.length} file(s) with conflicts to resolve: ${result.conflicts.join(', ')}`,
          1,
        );
      }
    } catch (error) {
      const known = isFsError(error) ? fsUserError(error) : error;
      if (json && !state.printed && known instanceof UserError) {
        printJson(io, state, failureReport(command, dir, known.message));
      }
      throw error;
    } finally {
      process.off('SIGINT', interrupted);
    }
  };
  /** With a person at the terminal and no --force: ask before deleting files they edited. */
  const confirmDeleteEdited = (
    force: boolean,
    json: boolean,
  ): Pick<UpdateRequest, 'confirmDeleteEdited'> =>
    io.interactive && !force && !json
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
  const jsonOption = [
    '--json',
    'print one JSON document: files written, merged, conflicted; migrations; next steps',
    false,
  ] as const;

  const add = configure(program.command('add'), io).description(
    'add a resource, a field, an endpoint, or a router, service, task or websocket module',
  );
  configure(add.command('resource'), io)
    .description('add a resource: model, schemas, service, router, tests and a migration')
    .argument('<name>', 'singular or plural, any case: order, order-lines, OrderLine')
    .option(
      '--fields <list>',
      'e.g. "number:str:unique,total:decimal:min=0,customer:ref(customer)"',
    )
    .option(...projectOption)
    .option(...jsonOption)
    .action(async (name: string, opts: GrowOptions & { fields?: string }) => {
      await update('add resource', opts, async (manifest) => {
        let fields = opts.fields;
        if (fields === undefined) {
          if (!io.interactive || opts.json)
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
    .option(...jsonOption)
    .action(async (resource: string, field: string, opts: GrowOptions) => {
      await update('add field', opts, (manifest) => addFieldRequest(manifest, resource, field));
    });
  const addEndpoint = configure(add.command('endpoint'), io)
    .description(
      'add a custom endpoint: its route, schemas, a service function that answers 501 until its body is written, and a test',
    )
    .argument(
      '<resource-or-module>',
      'the resource (orders) or router module (reports) it belongs to',
    )
    .argument('<route>', 'method and path under /api/v1, e.g. "POST /orders/{order_id}/cancel"')
    .option('--summary <text>', 'what it does, in a sentence: the docstring of its function')
    .option('--name <name>', 'the function name (default: from the path, e.g. cancel_order)')
    .option('--request <schema>', 'the request body: Name:"field:type,..." (as --fields)')
    .option(
      '--response <schema>',
      'the response body: a resource (its read schema) or Name:"field:type,..."',
    )
    .option(
      '--status <code>',
      'the success status: 200, 201, 202 or 204 (default: 200, or 204 without --response)',
    )
    .option(...projectOption)
    .option(...jsonOption);
  llmOptions(addEndpoint, false).action(
    async (
      target: string,
      route: string,
      opts: GrowOptions &
        FillFlags & {
          summary?: string;
          name?: string;
          request?: string;
          response?: string;
          status?: string;
        },
    ) => {
      let added: EndpointSpec[] = [];
      const { llm } = opts;
      // The model is checked (provider, alias, key, claude on PATH) before the endpoint is added.
      let opened: Awaited<ReturnType<typeof openLlm>> | undefined;
      const around =
        llm === undefined || opts.dryRun
          ? undefined
          : {
              before: async (dir: string) => {
                opened = await openLlm(dir, llmFlags({ ...opts, llm }), {
                  log: (line) => io.stderr(`${line}\n`),
                });
              },
              after: (dir: string) =>
                runFill(
                  io,
                  dir,
                  added.map((e) => e.name),
                  { ...opts, llm },
                  opts.json === true,
                  opened,
                ),
            };
      await update(
        'add endpoint',
        opts,
        (manifest) => {
          const request = addEndpointRequest(manifest, {
            target,
            route,
            summary: opts.summary,
            ...(opts.name === undefined ? {} : { name: opts.name }),
            ...(opts.request === undefined ? {} : { request: opts.request }),
            ...(opts.response === undefined ? {} : { response: opts.response }),
            ...(opts.status === undefined ? {} : { status: opts.status }),
          });
          added = request.endpoints?.(manifest).slice(manifest.endpoints.length) ?? [];
          return request;
        },
        undefined,
        () => added,
        around,
      );
      if (!opts.json && !opts.dryRun && llm === undefined) {
        for (const e of added) {
          io.stdout(
            `endpoint ${e.name}: ${e.method} ${API_PREFIX}${e.path} answers 501 until you write its body (or run fill)\n`,
          );
        }
      }
    },
  );

  for (const kind of MODULE_KINDS) {
    configure(add.command(kind), io)
      .description(MODULE_DESCRIPTIONS[kind])
      .argument('<name>', 'the package, app/<name>/ (shared by modules of the same name)')
      .option(...projectOption)
      .option(...jsonOption)
      .action(async (name: string, opts: GrowOptions) => {
        await update(`add ${kind}`, opts, (manifest) => addModuleRequest(manifest, kind, name));
      });
  }

  addFillCommand(program, io, state);

  const remove = configure(program.command('remove'), io).description(
    'remove a resource, a field, an endpoint, or a module',
  );
  configure(remove.command('field'), io)
    .description('remove a field from a resource, and its column with a migration')
    .argument('<resource>', 'the resource')
    .argument('<field>', 'the field name')
    .option(...projectOption)
    .option(...jsonOption)
    .action(async (resource: string, field: string, opts: GrowOptions) => {
      await update('remove field', opts, (manifest) =>
        removeFieldRequest(manifest, resource, field),
      );
    });
  configure(remove.command('resource'), io)
    .description('remove a resource, its files and wiring, and its table with a migration')
    .argument('<name>', 'the resource')
    .option('--force', 'also delete its files that you edited', false)
    .option(...projectOption)
    .option(...jsonOption)
    .action(async (name: string, opts: GrowOptions & { force: boolean }) => {
      await update('remove resource', opts, (manifest) => ({
        ...removeResourceRequest(manifest, name, opts.force),
        ...confirmDeleteEdited(opts.force, opts.json === true),
      }));
    });
  configure(remove.command('endpoint'), io)
    .description('remove a custom endpoint: its route, schemas, service function and test')
    .argument('<resource-or-module>', 'the resource or router module it belongs to')
    .argument(
      '<name>',
      'its function name (cancel_order) or its route ("POST /orders/{order_id}/cancel")',
    )
    .option('--force', 'also delete its files that you edited (its body!)', false)
    .option(...projectOption)
    .option(...jsonOption)
    .action(async (target: string, name: string, opts: GrowOptions & { force: boolean }) => {
      await update('remove endpoint', opts, (manifest) => ({
        ...removeEndpointRequest(manifest, target, name, opts.force),
        ...confirmDeleteEdited(opts.force, opts.json === true),
      }));
    });

  for (const kind of MODULE_KINDS) {
    configure(remove.command(kind), io)
      .description(`remove a ${kind} module: its file and tests, and its wiring`)
      .argument('<name>', 'the package')
      .option('--force', 'also delete its files that you edited', false)
      .option(...projectOption)
      .option(...jsonOption)
      .action(async (name: string, opts: GrowOptions & { force: boolean }) => {
        await update(`remove ${kind}`, opts, (manifest) => ({
          ...removeModuleRequest(manifest, kind, name, opts.force),
          ...confirmDeleteEdited(opts.force, opts.json === true),
        }));
      });
  }

  configure(program.command('regenerate'), io)
    .description('render the project again from its manifest and merge it with your edits')
    .argument('[modules...]', 'only these domains (e.g. orders); all files when none')
    .option('--dry-run', 'show the diff, write nothing', false)
    .option('--recreate-deleted', 'write again the generated files you deleted', false)
    .option(...projectOption)
    .option(...jsonOption)
    .action(async (modules: string[], opts: GrowOptions & { recreateDeleted: boolean }) => {
      let only: string[] = [];
      await update(
        'regenerate',
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
    });
}
