import { UserError } from './errors.js';
import type { MigrationSpec } from './migrations.js';
import { MODULE_KINDS, isModuleKind, type ModuleSpec } from './modules.js';
import { OPTION_IDS, optionDeclaration, optionValues, type OptionId } from './options.js';
import { FIELD_TYPES, checkField, type FieldSpec, type ResourceSpec } from './resources.js';
import type { ProjectSpec } from './spec.js';

/** Where a generated project keeps what it was made from. */
export const STATE_DIR = '.fastapi-agent';
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
/** What the generator wrote last time, file by file: the base of three-way merges. */
export const BASE_DIR = `${STATE_DIR}/base`;

/**
 * `.fastapi-agent/manifest.json`: everything needed to render the project again. Users may edit
 * `resources` by hand and run `regenerate`.
 */
export interface Manifest {
  manifestVersion: 1;
  generator: { name: string; version: string };
  project: { name: string; title: string };
  agent: { name: string; path: string };
  options: Record<OptionId, string | string[]>;
  resources: ResourceSpec[];
  /** The resources as the migrations leave the schema: what the next migration diffs against. */
  migratedResources: ResourceSpec[];
  migrations: MigrationSpec[];
  /** The smaller modules; absent in manifests written before they existed. */
  modules?: ModuleSpec[];
}

export function manifestFor(spec: ProjectSpec, generator: string): Manifest {
  return {
    manifestVersion: 1,
    generator: { name: generator, version: spec.generatorVersion },
    project: { name: spec.name, title: spec.title },
    agent: { name: spec.agent.name, path: spec.agent.path },
    options: spec.options,
    resources: spec.resources,
    migratedResources: spec.resources,
    migrations: spec.migrations,
    modules: spec.modules,
  };
}

export function serialiseManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `declared`: the resources as they should be, whose fields get every check of `add field`. */
function checkResources(value: unknown, where: string, declared: boolean): ResourceSpec[] {
  if (!Array.isArray(value)) throw new UserError(`${where}: must be a list of resources`);
  value.forEach((resource, i) => {
    if (
      !isObject(resource) ||
      typeof resource.name !== 'string' ||
      !Array.isArray(resource.fields)
    ) {
      throw new UserError(`${where}[${i}]: needs "name" and "fields"`);
    }
    (resource.fields as unknown[]).forEach((field, j) => {
      if (
        !isObject(field) ||
        typeof field.name !== 'string' ||
        !FIELD_TYPES.includes(field.type as never)
      ) {
        throw new UserError(
          `${where}[${i}].fields[${j}]: needs "name" and a "type" among ${FIELD_TYPES.join(', ')}`,
        );
      }
      try {
        if (declared) checkField(field as unknown as FieldSpec);
      } catch (error) {
        throw new UserError(`${where}[${i}]: ${(error as Error).message}`);
      }
    });
  });
  return value as ResourceSpec[];
}

/** Reads and checks a manifest's text; `path` names it in errors. */
export function parseManifest(text: string, path: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data) || data.manifestVersion !== 1) {
    throw new UserError(`${path}: not a create-fastapi-agent manifest (manifestVersion 1)`);
  }
  if (!isObject(data.project) || typeof data.project.name !== 'string') {
    throw new UserError(`${path}: project.name is missing`);
  }
  if (!isObject(data.options)) throw new UserError(`${path}: options are missing`);
  for (const id of OPTION_IDS) {
    const value = data.options[id];
    const values = Array.isArray(value) ? value : [value];
    const multi = optionDeclaration(id).kind === 'multi';
    if (
      value === undefined ||
      (!multi && Array.isArray(value)) ||
      values.some((v) => !optionValues(id).includes(String(v)))
    ) {
      throw new UserError(
        `${path}: options.${id} must be ${multi ? 'a list of ' : ''}one of ${optionValues(id).join(', ')}`,
      );
    }
  }
  checkResources(data.resources, `${path}: resources`, true);
  checkResources(data.migratedResources, `${path}: migratedResources`, false);
  if (!Array.isArray(data.migrations)) throw new UserError(`${path}: migrations must be a list`);
  if (data.modules !== undefined) {
    if (!Array.isArray(data.modules)) throw new UserError(`${path}: modules must be a list`);
    (data.modules as unknown[]).forEach((module, i) => {
      if (
        !isObject(module) ||
        typeof module.name !== 'string' ||
        !isModuleKind(String(module.kind))
      ) {
        throw new UserError(
          `${path}: modules[${i}] needs "name" and a "kind" among ${MODULE_KINDS.join(', ')}`,
        );
      }
    });
  }
  return data as unknown as Manifest;
}
