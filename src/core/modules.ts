import { UserError } from './errors.js';
import { snake } from './names.js';
import {
  RESERVED,
  isUsableName,
  resourceNames,
  typedName,
  type ResourceSpec,
} from './resources.js';

/**
 * The smaller modules (`add router|service|task|websocket NAME`): each adds one file, with its
 * tests, to the package `app/<name>/`. Kinds that share a name share the package and know of each
 * other: a router calls its package's service, and starts its task.
 */
export const MODULE_KINDS = ['router', 'service', 'task', 'websocket'] as const;
export type ModuleKind = (typeof MODULE_KINDS)[number];

/** One module, as the manifest keeps it. */
export interface ModuleSpec {
  kind: ModuleKind;
  /** snake_case: the package `app/<name>/`, kept as typed (no plural is made). */
  name: string;
}

/** The file each kind adds to `app/<name>/`; its tests are `tests/test_<name>_<file>.py`. */
export const MODULE_FILES: Readonly<Record<ModuleKind, string>> = {
  router: 'router',
  service: 'service',
  task: 'tasks',
  websocket: 'websocket',
};

export function isModuleKind(kind: string): kind is ModuleKind {
  return (MODULE_KINDS as readonly string[]).includes(kind);
}

/** Why `name` cannot be a module's package, or undefined when it can. */
function packageClash(
  name: string,
  resources: readonly ResourceSpec[],
  jwt: boolean,
): string | undefined {
  if (RESERVED.has(name)) return `"${name}" is a Python keyword or a name the project uses`;
  if (jwt && name === 'users') return 'app/users is the users package of JWT auth';
  const owner = resources.find((r) => resourceNames(r.name).module === name);
  if (owner) return `app/${name} is the package of the resource ${owner.name}`;
  return undefined;
}

/**
 * A module name as typed (`reports`, `Reports`, `daily-reports`) -> its snake_case package name.
 * Refuses paths, keywords, the packages of resources and of auth, and a module that exists.
 */
export function normaliseModuleName(
  kind: ModuleKind,
  raw: string,
  existing: { modules: readonly ModuleSpec[]; resources: readonly ResourceSpec[]; jwt: boolean },
): string {
  const quoted = JSON.stringify(raw);
  const name = typedName(`${kind} name`, raw);
  const clash = packageClash(name, existing.resources, existing.jwt);
  if (clash) throw new UserError(`${kind} name ${quoted}: ${clash}; try e.g. "${name}_extra"`);
  if (existing.modules.some((m) => m.kind === kind && m.name === name)) {
    throw new UserError(`${kind} name ${quoted}: the project already has ${kind} ${name}`);
  }
  return name;
}

/** Checks a module list as a manifest may hold it (edited by hand): one clear error. */
export function checkModules(
  modules: readonly ModuleSpec[],
  resources: readonly ResourceSpec[],
  jwt: boolean,
): void {
  const seen = new Set<string>();
  for (const module of modules) {
    if (!isUsableName(module.name)) {
      throw new UserError(`module ${JSON.stringify(module.name)}: not a usable Python name`);
    }
    const clash = packageClash(module.name, resources, jwt);
    if (clash) throw new UserError(`${module.kind} ${module.name}: ${clash}`);
    const key = `${module.kind} ${module.name}`;
    if (seen.has(key)) throw new UserError(`${key} is declared twice`);
    seen.add(key);
  }
}

/** The module of `kind` named `raw` in the list, or a clear error listing those there are. */
export function findModule(modules: readonly ModuleSpec[], kind: ModuleKind, raw: string): string {
  const wanted = snake(raw.trim());
  if (modules.some((m) => m.kind === kind && m.name === wanted)) return wanted;
  const names = modules.filter((m) => m.kind === kind).map((m) => m.name);
  throw new UserError(
    `no ${kind} ${JSON.stringify(raw)} in this project; ${kind}s: ${names.join(', ') || 'none'}`,
  );
}
