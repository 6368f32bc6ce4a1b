import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { parseAgentFile } from '../core/agent.js';
import { UserError } from '../core/errors.js';
import { MANIFEST_PATH, MANIFEST_VERSION, type Manifest } from '../core/manifest.js';
import { revisionFiles } from '../core/features.js';
import { schemaDiff, type MigrationSpec } from '../core/migrations.js';
import { MODULE_FILES, type ModuleSpec } from '../core/modules.js';
import type { EndpointSpec } from '../core/endpoints.js';
import type { OptionValues } from '../core/options.js';
import { pythonDependencies } from '../core/versions.js';
import { filePolicy, nextBase, plan, type Action } from '../core/plan.js';
import { detectPractices } from '../core/practices.js';
import { lintGenerated, type PythonFormatter, type PythonLinter } from '../core/python.js';
import {
  projectMigrationPath,
  renderProject,
  type FileTree,
  type TemplateSet,
} from '../core/render.js';
import { checkReferences, resourceNames, type ResourceSpec } from '../core/resources.js';
import { AGENTS_MD, buildSpec } from '../core/spec.js';
import { GENERATOR_NAME } from '../core/state.js';
import { applyChange, hasJournal, recoverInterrupted, type ChangeHooks } from '../io/change.js';
import { planChanges, readBase, readDisk, readManifestFile } from '../io/project.js';

export interface UpdateDeps {
  log: (line: string) => void;
  warn: (line: string) => void;
  templates: () => Promise<TemplateSet>;
  python: () => Promise<PythonFormatter>;
  /** The project's lint rules, in process: a name that breaks the generated code is refused. */
  lint: () => Promise<PythonLinter>;
  /** Test seam: interrupts the change at a chosen file. */
  hooks?: ChangeHooks;
  randomHex: () => string;
  version: string;
}

export interface UpdateRequest {
  /** The resources after the change, from the manifest's. */
  resources: (manifest: Manifest) => ResourceSpec[];
  /** Names the migration the change needs, if any: `add_orders`. */
  slug: string;
  /** The smaller modules after the change; the manifest's when absent. */
  modules?: (manifest: Manifest) => ModuleSpec[];
  /** The custom endpoints after the change; the manifest's when absent. */
  endpoints?: (manifest: Manifest) => EndpointSpec[];
  /** Only these domains (`orders`, `reports`) are updated; all files when absent. */
  only?: string[];
  dryRun?: boolean;
  /** Write again the generated files you deleted (regenerate --recreate-deleted). */
  recreateDeleted?: boolean;
  /** Delete files no longer generated even when edited (remove resource --force). */
  deleteEdited?: boolean;
  /** Asked, when a person is there, before files you edited that are no longer generated are kept. */
  confirmDeleteEdited?: (paths: string[]) => Promise<boolean>;
}

export interface UpdateResult {
  actions: Action[];
  conflicts: string[];
  /** The new revision's path, and the command that applies it; null when the schema is the same. */
  migration: { path: string; upgrade: string } | null;
  /** Requirements pyproject.toml gained, and the command that installs them. */
  requirements: { added: string[]; install: string };
  /** The manifest's version before this command upgraded it, when it did. */
  upgradedFrom: number | null;
}

/** The files that belong to a domain package: its folder, its tests (a resource's or a module's). */
function inPackages(file: string, packages: readonly string[]): boolean {
  return packages.some(
    (m) =>
      file.startsWith(`app/${m}/`) ||
      file === `tests/test_${m}.py` ||
      Object.values(MODULE_FILES).some((f) => file === `tests/test_${m}_${f}.py`) ||
      file.startsWith(`tests/${m}/`),
  );
}

/** The Python requirements a change adds to pyproject.toml (the project must install them). */
function addedRequirements(before: Manifest, after: Manifest): string[] {
  const all = (m: Manifest): string[] => {
    const { dependencies, devDependencies } = pythonDependencies(
      m.options as unknown as OptionValues,
      m.resources,
      m.modules,
      m.endpoints,
    );
    return [...dependencies, ...devDependencies];
  };
  const had = new Set(all(before));
  return all(after).filter((r) => !had.has(r));
}

function describe(action: Action): string {
  switch (action.kind) {
    case 'create':
      return `created   ${action.path}`;
    case 'update':
      return `updated   ${action.path}`;
    case 'merge':
      return `merged    ${action.path} (your edits kept)`;
    case 'conflict':
      return `CONFLICT  ${action.path} (${action.conflicts} region${action.conflicts > 1 ? 's' : ''} between <<<<<<< and >>>>>>>)`;
    case 'delete':
      return `deleted   ${action.path}`;
    case 'keep':
      return `kept      ${action.path} (${action.reason})`;
  }
}

function nextMigration(
  manifest: Manifest,
  resources: ResourceSpec[],
  slug: string,
): MigrationSpec | null {
  const ops = schemaDiff(manifest.migratedResources, resources);
  if (ops.length === 0) return null;
  const last = manifest.migrations.at(-1);
  const revision = String(manifest.migrations.length + 1).padStart(4, '0');
  return {
    revision,
    downRevision: last?.revision ?? null,
    slug,
    message: slug.replace(/_/g, ' '),
    createsUsers: false,
    ops,
  };
}

/**
 * Renders the project again from its manifest with a change applied, and merges it into the
 * files on disk three ways (see core/plan.ts). Writes each file whole; with `dryRun`, writes
 * nothing and prints the diff instead.
 */
export async function updateProject(
  dir: string,
  request: UpdateRequest,
  deps: UpdateDeps,
): Promise<UpdateResult> {
  await recoverBefore(dir, request.dryRun === true, deps);
  const { manifest, upgradedFrom } = await readManifestFile(dir);
  const resources = request.resources(manifest);
  const modules = request.modules?.(manifest) ?? manifest.modules ?? [];
  const endpoints = request.endpoints?.(manifest) ?? manifest.endpoints;
  const jwt = (manifest.options.auth as string[]).includes('jwt');
  checkReferences(resources, jwt);
  const migration = nextMigration(manifest, resources, request.slug);
  const migrations = migration ? [...manifest.migrations, migration] : manifest.migrations;

  const agentText = (await readDisk(dir, [AGENTS_MD])).get(AGENTS_MD) ?? '';
  const agent = parseAgentFile(
    agentText.trim() === '' ? `# ${manifest.agent.name}\n` : agentText,
    AGENTS_MD,
  );
  const spec = buildSpec({
    answers: {
      name: manifest.project.name,
      title: manifest.project.title,
      options: manifest.options,
    },
    practices: detectPractices(agent),
    agent: {
      path: manifest.agent.path,
      name: manifest.agent.name,
      description: '',
      text: agent.text,
    },
    secretKey: deps.randomHex(),
    generatorVersion: deps.version,
    resources,
    migrations,
    modules,
    endpoints,
  });
  const [templates, python, linter] = await Promise.all([
    deps.templates(),
    deps.python(),
    deps.lint(),
  ]);
  const rendered = renderProject(spec, templates, python);
  const install = `${manifest.options['python-tool'] === 'uv' ? 'uv pip install' : 'pip install'} -e '.[dev]'`;

  // Files written once are not rendered again, except the new migration.
  const newMigration = migration ? projectMigrationPath(spec, migration) : undefined;
  const selected = (file: string): boolean =>
    (filePolicy(file) === 'merge' || file === newMigration) &&
    (!request.only || inPackages(file, request.only) || file === newMigration);
  const desired: FileTree = new Map([...rendered].filter(([file]) => selected(file)));
  const fullBase = await readBase(dir);
  const base: FileTree = new Map([...fullBase].filter(([file]) => selected(file)));
  const broken = lintGenerated(desired, base, linter);
  if (broken) throw new UserError(broken);
  const disk = await readDisk(dir, new Set([...desired.keys(), ...base.keys()]));
  const rules = { recreateDeleted: request.recreateDeleted ?? false };
  let actions = plan({
    desired,
    base,
    disk,
    deleteEdited: request.deleteEdited ?? false,
    ...rules,
  });
  const editedDropped = actions
    .filter((a) => a.kind === 'keep' && a.reason === 'edited, no longer generated')
    .map((a) => a.path);
  if (
    editedDropped.length > 0 &&
    !request.dryRun &&
    (await request.confirmDeleteEdited?.(editedDropped))
  ) {
    actions = plan({ desired, base, disk, deleteEdited: true, ...rules });
  }

  const conflicts = actions
    .filter(
      (a) =>
        a.kind === 'conflict' || (a.kind === 'keep' && a.reason === 'unresolved conflict markers'),
    )
    .map((a) => a.path);
  const changed = actions.filter((a) => a.kind !== 'keep' || a.reason !== 'unchanged');
  if (request.dryRun) {
    for (const action of changed) {
      deps.log(describe(action));
      if (action.kind === 'keep') continue;
      const before = disk.get(action.path) ?? '';
      const after = action.kind === 'delete' ? '' : action.content;
      deps.log(
        createTwoFilesPatch(`a/${action.path}`, `b/${action.path}`, before, after, '', '', {
          context: 3,
        }),
      );
    }
    deps.log(
      `dry run: nothing written (${changed.length} file${changed.length === 1 ? '' : 's'} would change)`,
    );
    return {
      actions,
      conflicts,
      migration: null,
      requirements: { added: [], install },
      upgradedFrom,
    };
  }

  const newBase = new Map(fullBase);
  for (const file of base.keys()) newBase.delete(file);
  for (const [file, content] of nextBase(desired, base, actions)) newBase.set(file, content);
  const next: Manifest = {
    ...manifest,
    generator: { name: GENERATOR_NAME, version: deps.version },
    resources,
    migratedResources: resources,
    migrations,
    modules,
    endpoints,
  };
  await applyChange(dir, await planChanges(dir, actions, next, newBase), deps.hooks);
  if (upgradedFrom !== null) {
    deps.log(
      `upgraded ${MANIFEST_PATH} from manifest version ${upgradedFrom} to ${MANIFEST_VERSION}`,
    );
  }
  for (const action of changed) deps.log(describe(action));
  if (migration) {
    deps.log(
      `migration ${projectMigrationPath(spec, migration)}: run \`${revisionFiles(spec.options).upgrade}\``,
    );
  }
  const added = addedRequirements(manifest, next);
  if (added.length > 0) {
    deps.log(
      `pyproject.toml now requires ${added.join(', ')}: install the project again (${install})`,
    );
  }
  for (const file of conflicts)
    deps.warn(`resolve the conflict markers in ${path.join(dir, file)}`);
  return {
    actions,
    conflicts,
    migration: migration
      ? {
          path: projectMigrationPath(spec, migration),
          upgrade: revisionFiles(spec.options).upgrade,
        }
      : null,
    requirements: { added, install },
    upgradedFrom,
  };
}

/**
 * Rolls back a change an interrupted command left half done, before anything reads the project.
 * A dry run writes nothing, so it refuses instead.
 */
export async function recoverBefore(
  dir: string,
  dryRun: boolean,
  deps: Pick<UpdateDeps, 'warn'>,
): Promise<void> {
  if (dryRun && hasJournal(dir)) {
    throw new UserError(
      'a change was interrupted before it finished: run a command without --dry-run to roll it back first',
    );
  }
  const restored = dryRun ? 0 : await recoverInterrupted(dir);
  if (restored > 0) {
    deps.warn(`an interrupted change was rolled back first (${restored} files restored)`);
  }
}

/**
 * The domain packages named on the command line (`regenerate orders reports`): a resource by any
 * of its spellings, or a module package. A name the project does not have is an error, never an
 * empty update.
 */
export function packagesNamed(manifest: Manifest, names: readonly string[]): string[] {
  const modules = [...new Set(manifest.modules.map((m) => m.name))];
  return names.map((raw) => {
    if (modules.includes(raw)) return raw;
    const resource = manifest.resources.find((r) => sameResource(r, raw));
    if (resource) return resourceNames(resource.name).module;
    const known = [...manifest.resources.map((r) => resourceNames(r.name).module), ...modules];
    throw new UserError(
      `regenerate: no resource or module ${JSON.stringify(raw)} in this project; there are ${known.join(', ') || 'none'}`,
    );
  });
}

function sameResource(resource: ResourceSpec, raw: string): boolean {
  const wanted = raw.trim().toLowerCase().replace(/-/g, '_');
  return (
    resource.name === wanted ||
    resourceNames(resource.name).plural === wanted ||
    resource.name.replace(/_/g, '') === wanted.replace(/_/g, '')
  );
}

/** The resource of the manifest named `raw` (`orders`, `Order` and `order` all find `order`). */
export function findResource(manifest: Manifest, raw: string): ResourceSpec {
  const found = manifest.resources.find((r) => sameResource(r, raw));
  if (!found) {
    throw new UserError(
      `no resource ${JSON.stringify(raw)} in this project; resources: ${manifest.resources.map((r) => r.name).join(', ') || 'none'}`,
    );
  }
  return found;
}
