/**
 * `.fastapi-agent/manifest.json`: everything needed to render a project again. It is read from a
 * project's folder, which may come from anywhere (a clone, a hand edit), so every value in it
 * passes the checks the CLI's own input passes before anything uses it. Older manifests are
 * upgraded on read; the upgraded form is written back by the next command that writes.
 */
import { UserError } from './errors.js';
import { endpointsFromJson } from './endpoint-manifest.js';
import type { EndpointSpec } from './endpoints.js';
import { checkRendered, renderedValue } from './features.js';
import type { MigrationOp, MigrationSpec } from './migrations.js';
import { MODULE_KINDS, isModuleKind, type ModuleSpec } from './modules.js';
import { normaliseProjectName } from './names.js';
import {
  OPTION_IDS,
  checkOptionValue,
  defaultValue,
  isOptionId,
  optionDeclaration,
  type OptionId,
} from './options.js';
import {
  FIELD_TYPES,
  normaliseResourceName,
  parseField,
  type FieldSpec,
  type ResourceSpec,
} from './resources.js';
import { AGENTS_MD, type ProjectSpec } from './spec.js';

/** Where a generated project keeps what it was made from. */
export const STATE_DIR = '.fastapi-agent';
export const MANIFEST_PATH = `${STATE_DIR}/manifest.json`;
/** What the generator wrote last time, file by file: the base of three-way merges. */
export const BASE_DIR = `${STATE_DIR}/base`;

/** The version of the manifest's shape this generator writes; it reads this one and older ones. */
export const MANIFEST_VERSION = 3;

/** How an option's value was asked for. Options not asked for took their defaults. */
export type AskedFrom = 'flag' | 'prompt' | 'scaffold' | 'guidance';
export const ASKED_FROM: readonly AskedFrom[] = ['flag', 'prompt', 'scaffold', 'guidance'];
export interface AskedValue {
  values: string[];
  from: AskedFrom;
  /** The guidance file's line, for `scaffold` and `guidance`. */
  line?: number;
}

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  generator: { name: string; version: string };
  project: { name: string; title: string };
  /**
   * The guidance file: `path` is its copy in the project (relative to it, never the generating
   * machine's path); `source` the file name it was made from.
   */
  agent: { name: string; path: string; source: string };
  /** What the user asked for, by option, kept apart from what was rendered. */
  asked: Partial<Record<OptionId, AskedValue>>;
  /** The values rendered: what the project is made of, and the input of every later render. */
  options: Record<OptionId, string | string[]>;
  resources: ResourceSpec[];
  /** The resources as the migrations leave the schema: what the next migration diffs against. */
  migratedResources: ResourceSpec[];
  migrations: MigrationSpec[];
  /** The smaller modules (`add router|service|task|websocket`). */
  modules: ModuleSpec[];
  /** Custom endpoints (`add endpoint`): see endpoints.ts. Since version 3. */
  endpoints: EndpointSpec[];
}

export function manifestFor(spec: ProjectSpec, generator: string): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    generator: { name: generator, version: spec.generatorVersion },
    project: { name: spec.name, title: spec.title },
    agent: { name: spec.agent.name, path: AGENTS_MD, source: baseName(spec.agent.path) },
    asked: spec.asked,
    options: spec.options,
    resources: spec.resources,
    migratedResources: spec.resources,
    migrations: spec.migrations,
    modules: spec.modules,
    endpoints: spec.endpoints,
  };
}

export function serialiseManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** The last part of a path, POSIX or Windows. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text that may stand in a docstring, a comment and a Markdown heading as it is. */
const SAFE_TEXT = /^[A-Za-z0-9_][\w .,()'-]{0,79}$/;

function fail(where: string, message: string): never {
  throw new UserError(`${where}: ${message}`);
}

function str(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, `must be a string, not ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return String(value);
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, `must be a list, not ${describe(value)}`);
  return value;
}

function only(value: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(where, `unknown key "${key}"; keys are ${keys.join(', ')}`);
  }
}

const FIELD_KEYS = [
  'name',
  'type',
  'required',
  'unique',
  'index',
  'default',
  'min',
  'max',
  'values',
  'ref',
  'reverse',
] as const;

/** A field as `--fields` spells it: the manifest's fields must read back the same through the CLI's parser. */
function fieldText(field: Record<string, unknown>, where: string): string {
  const type = str(field.type, `${where}.type`);
  if (!(FIELD_TYPES as readonly string[]).includes(type)) {
    fail(`${where}.type`, `${describe(type)} is not one of ${FIELD_TYPES.join(', ')}`);
  }
  const parts = [str(field.name, `${where}.name`)];
  if (type === 'enum') {
    const values = list(field.values, `${where}.values`).map((v, i) =>
      str(v, `${where}.values[${i}]`),
    );
    parts.push(`enum(${values.join(',')})`);
  } else if (type === 'ref') {
    parts.push(`ref(${str(field.ref, `${where}.ref`)})`);
  } else {
    parts.push(type);
  }
  for (const flag of ['required', 'unique', 'index', 'reverse'] as const) {
    if (field[flag] !== undefined && typeof field[flag] !== 'boolean') {
      fail(`${where}.${flag}`, `must be true or false, not ${describe(field[flag])}`);
    }
  }
  if (field.required === false) parts.push('optional');
  if (field.unique === true) parts.push('unique');
  if (field.index === true) parts.push('index');
  if (field.reverse === true) parts.push('reverse');
  if (field.default !== undefined) parts.push(`default=${str(field.default, `${where}.default`)}`);
  for (const bound of ['min', 'max'] as const) {
    const value = field[bound];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(`${where}.${bound}`, `must be a number, not ${describe(value)}`);
    }
    parts.push(`${bound}=${value}`);
  }
  return parts.join(':');
}

/** A field with its keys in one order and its flags filled in (`reverse` only when true). */
function ordered(field: Record<string, unknown>): FieldSpec {
  const filled: Record<string, unknown> = { required: true, unique: false, index: false, ...field };
  if (filled.reverse === false) delete filled.reverse;
  return Object.fromEntries(
    FIELD_KEYS.filter((k) => filled[k] !== undefined).map((k) => [k, filled[k]]),
  ) as unknown as FieldSpec;
}

const canonicalField = (field: Record<string, unknown>): string => JSON.stringify(ordered(field));

const IDENTIFIER = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * A field of the history (what migrations left): rules may have grown stricter since it was
 * declared, so only what keeps the generated code safe is checked: identifiers are identifiers,
 * and a default can stand in a string literal.
 */
function historyField(value: Record<string, unknown>, where: string): FieldSpec {
  fieldText(value, where); // types of every key
  const name = value.name as string;
  if (!IDENTIFIER.test(name))
    fail(`${where}.name`, `${describe(name)} is not a usable Python name`);
  for (const [i, v] of ((value.values as string[] | undefined) ?? []).entries()) {
    if (!IDENTIFIER.test(v)) fail(`${where}.values[${i}]`, `${describe(v)} is not a usable name`);
  }
  if (value.ref !== undefined && !IDENTIFIER.test(value.ref as string)) {
    fail(`${where}.ref`, `${describe(value.ref)} is not a resource name`);
  }
  if (typeof value.default === 'string' && !/^[^"'\\\p{Cc}]{0,200}$/u.test(value.default)) {
    fail(`${where}.default`, 'may not hold quotes, backslashes or control characters');
  }
  return ordered(value);
}

/**
 * One field of the manifest. A declared field (`resources`) is checked as the CLI checks
 * `--fields`: written back in that syntax, parsed by the same parser, it must come back the same.
 */
function checkedField(value: unknown, where: string, declared: boolean): FieldSpec {
  if (!isObject(value)) fail(where, `must be a field (a mapping), not ${describe(value)}`);
  only(value, FIELD_KEYS, where);
  const safe = historyField(value, where);
  if (!declared) return safe;
  const text = fieldText(value, where);
  let parsed: FieldSpec;
  try {
    parsed = parseField(text);
  } catch (error) {
    fail(where, (error as Error).message);
  }
  if (canonicalField(parsed as unknown as Record<string, unknown>) !== canonicalField(value)) {
    fail(where, `does not read back the same through the field syntax (${JSON.stringify(text)})`);
  }
  return ordered(parsed as unknown as Record<string, unknown>);
}

function checkedResources(value: unknown, where: string, declared: boolean): ResourceSpec[] {
  const names: string[] = [];
  return list(value, where).map((raw, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(raw)) fail(at, `must be a resource (a mapping), not ${describe(raw)}`);
    only(raw, ['name', 'owned', 'uniqueness', 'fields'], at);
    const name = str(raw.name, `${at}.name`);
    if (declared) {
      let canonical: string;
      try {
        canonical = normaliseResourceName(name, names);
      } catch (error) {
        fail(`${at}.name`, (error as Error).message);
      }
      if (canonical !== name) fail(`${at}.name`, `must be written "${canonical}"`);
    } else if (!IDENTIFIER.test(name) || names.includes(name)) {
      fail(`${at}.name`, `${describe(name)} is not a usable resource name, or is there twice`);
    }
    names.push(name);
    if (raw.owned !== undefined && typeof raw.owned !== 'boolean') {
      fail(`${at}.owned`, `must be true or false, not ${describe(raw.owned)}`);
    }
    const fieldNames = new Set<string>();
    const fields = list(raw.fields, `${at}.fields`).map((f, j) => {
      const field = checkedField(f, `${at}.fields[${j}]`, declared);
      if (fieldNames.has(field.name))
        fail(`${at}.fields[${j}]`, `"${field.name}" is declared twice`);
      fieldNames.add(field.name);
      return field;
    });
    if (raw.uniqueness !== undefined && raw.uniqueness !== 'owner' && raw.uniqueness !== 'global') {
      fail(`${at}.uniqueness`, `must be "owner" or "global", not ${describe(raw.uniqueness)}`);
    }
    return {
      name,
      owned: raw.owned === true,
      ...(raw.uniqueness === undefined ? {} : { uniqueness: raw.uniqueness as 'owner' | 'global' }),
      fields,
    };
  });
}

const OP_KINDS = ['create_table', 'drop_table', 'add_column', 'drop_column'] as const;

function checkedMigrations(value: unknown, where: string): MigrationSpec[] {
  let previous: string | null = null;
  return list(value, where).map((raw, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(raw)) fail(at, `must be a migration (a mapping), not ${describe(raw)}`);
    only(raw, ['revision', 'downRevision', 'slug', 'message', 'createsUsers', 'ops'], at);
    const revision = String(i + 1).padStart(4, '0');
    if (raw.revision !== revision) fail(`${at}.revision`, `must be "${revision}"`);
    if (raw.downRevision !== previous) {
      fail(`${at}.downRevision`, `must be ${previous === null ? 'null' : `"${previous}"`}`);
    }
    const down = previous;
    previous = revision;
    const slug = str(raw.slug, `${at}.slug`);
    if (!/^[a-z0-9_]{1,60}$/.test(slug)) fail(`${at}.slug`, 'use a-z, 0-9 and _, at most 60');
    const message = str(raw.message, `${at}.message`);
    if (!SAFE_TEXT.test(message))
      fail(`${at}.message`, 'use letters, digits and spaces, at most 80');
    if (typeof raw.createsUsers !== 'boolean') fail(`${at}.createsUsers`, 'must be true or false');
    const ops = list(raw.ops, `${at}.ops`).map((op, j): MigrationOp => {
      const opAt = `${at}.ops[${j}]`;
      if (!isObject(op) || !(OP_KINDS as readonly unknown[]).includes(op.kind)) {
        fail(opAt, `needs a "kind" among ${OP_KINDS.join(', ')}`);
      }
      only(op, ['kind', 'resource', 'field'], opAt);
      const [resource] = checkedResources([op.resource], `${opAt}.resource`, false) as [
        ResourceSpec,
      ];
      if (op.kind === 'add_column' || op.kind === 'drop_column') {
        return { kind: op.kind, resource, field: checkedField(op.field, `${opAt}.field`, false) };
      }
      if (op.field !== undefined) fail(`${opAt}.field`, `${String(op.kind)} takes no field`);
      return { kind: op.kind as 'create_table' | 'drop_table', resource };
    });
    return {
      revision,
      downRevision: down,
      slug,
      message,
      createsUsers: raw.createsUsers,
      ops,
    };
  });
}

function checkedModules(value: unknown, where: string): ModuleSpec[] {
  return list(value, where).map((raw, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(raw) || typeof raw.name !== 'string' || !isModuleKind(String(raw.kind))) {
      fail(at, `needs "name" and a "kind" among ${MODULE_KINDS.join(', ')}`);
    }
    only(raw, ['name', 'kind'], at);
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(raw.name)) {
      fail(`${at}.name`, `${describe(raw.name)} is not a usable Python name`);
    }
    return { name: raw.name, kind: raw.kind as ModuleSpec['kind'] };
  });
}

/** The rendered options: every option present (a missing one takes its default), each rendered. */
function checkedOptions(value: unknown, where: string): Record<OptionId, string | string[]> {
  if (!isObject(value)) fail(where, `must be a mapping of option: value, not ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (!isOptionId(key))
      fail(`${where}.${key}`, `unknown option; options are ${OPTION_IDS.join(', ')}`);
  }
  const options = {} as Record<OptionId, string | string[]>;
  for (const id of OPTION_IDS) {
    const multi = optionDeclaration(id).kind === 'multi';
    const raw = value[id];
    if (raw === undefined) {
      // An option this project's generator did not have yet: what it rendered then is the default.
      const fallback = renderedValue(id, defaultValue(id));
      options[id] = multi ? [fallback] : fallback;
      continue;
    }
    const values = checkOptionValue(id, raw, { where: `${where}.${id}`, strictTypes: true });
    checkRendered(id, values, `${where}.${id}`);
    options[id] = multi ? values : (values[0] as string);
  }
  return options;
}

function checkedAsked(value: unknown, where: string): Partial<Record<OptionId, AskedValue>> {
  if (!isObject(value)) fail(where, `must be a mapping of option: answer, not ${describe(value)}`);
  const asked: Partial<Record<OptionId, AskedValue>> = {};
  for (const [id, raw] of Object.entries(value)) {
    const at = `${where}.${id}`;
    if (!isOptionId(id)) fail(at, `unknown option; options are ${OPTION_IDS.join(', ')}`);
    if (!isObject(raw)) fail(at, `must be a mapping with "values" and "from"`);
    only(raw, ['values', 'from', 'line'], at);
    const values = checkOptionValue(id, list(raw.values, `${at}.values`), {
      where: `${at}.values`,
    });
    if (!(ASKED_FROM as readonly unknown[]).includes(raw.from)) {
      fail(`${at}.from`, `must be one of ${ASKED_FROM.join(', ')}`);
    }
    if (raw.line !== undefined && !(Number.isInteger(raw.line) && (raw.line as number) > 0)) {
      fail(`${at}.line`, 'must be a line number');
    }
    asked[id] = {
      values,
      from: raw.from as AskedFrom,
      ...(raw.line === undefined ? {} : { line: raw.line as number }),
    };
  }
  return asked;
}

/**
 * Version 1 (0.1.0) kept the generating machine's absolute path of the guidance file, no answers,
 * and modules only when there were some.
 */
function upgradeFromV1(data: Record<string, unknown>): Record<string, unknown> {
  const agent = isObject(data.agent) ? data.agent : {};
  return {
    ...data,
    manifestVersion: 2,
    agent: {
      name: agent.name,
      path: AGENTS_MD,
      source: typeof agent.path === 'string' ? baseName(agent.path) : AGENTS_MD,
    },
    asked: {},
    modules: data.modules ?? [],
  };
}

/** Version 2 (0.2) had no custom endpoints. */
function upgradeFromV2(data: Record<string, unknown>): Record<string, unknown> {
  return { ...data, manifestVersion: 3, endpoints: [] };
}

export interface ReadManifest {
  manifest: Manifest;
  /** The version the file had, when it was older and has been upgraded in memory. */
  upgradedFrom: number | null;
}

/** Reads, upgrades and checks a manifest's text; `path` names it in errors. */
export function parseManifest(text: string, path: string): ReadManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(data) || !Number.isInteger(data.manifestVersion)) {
    throw new UserError(`${path}: not a create-fastapi-agent manifest (no manifestVersion)`);
  }
  const version = data.manifestVersion as number;
  if (version > MANIFEST_VERSION) {
    throw new UserError(
      `${path}: made by a newer create-fastapi-agent (manifest version ${version}; this one reads up to ${MANIFEST_VERSION}): upgrade the generator`,
    );
  }
  if (version < 1) throw new UserError(`${path}: manifestVersion ${version} does not exist`);
  const v2 = version === 1 ? upgradeFromV1(data) : data;
  const upgraded = version <= 2 ? upgradeFromV2(v2) : v2;
  only(
    upgraded,
    [
      'manifestVersion',
      'generator',
      'project',
      'agent',
      'asked',
      'options',
      'resources',
      'migratedResources',
      'migrations',
      'modules',
      'endpoints',
    ],
    path,
  );
  return {
    manifest: checkedManifest(upgraded, path),
    upgradedFrom: version === MANIFEST_VERSION ? null : version,
  };
}

function checkedManifest(data: Record<string, unknown>, path: string): Manifest {
  const at = (key: string): string => `${path}: ${key}`;
  if (!isObject(data.generator)) fail(at('generator'), 'must be a mapping with name and version');
  const generator = {
    name: str(data.generator.name, at('generator.name')),
    version: str(data.generator.version, at('generator.version')),
  };
  if (!isObject(data.project)) fail(at('project'), 'must be a mapping with name and title');
  const name = str(data.project.name, at('project.name'));
  let canonical: string;
  try {
    canonical = normaliseProjectName(name);
  } catch (error) {
    fail(at('project.name'), (error as Error).message);
  }
  if (canonical !== name) fail(at('project.name'), `must be written "${canonical}"`);
  const title = str(data.project.title, at('project.title'));
  if (!SAFE_TEXT.test(title))
    fail(at('project.title'), "use letters, digits, spaces and .,()'-, at most 80");
  if (!isObject(data.agent)) fail(at('agent'), 'must be a mapping with name, path and source');
  const agentName = str(data.agent.name, at('agent.name'));
  const agentPath = str(data.agent.path, at('agent.path'));
  if (agentPath !== AGENTS_MD)
    fail(at('agent.path'), `must be "${AGENTS_MD}", the guidance file's copy in the project`);
  const source = str(data.agent.source, at('agent.source'));
  const resources = checkedResources(data.resources, at('resources'), true);
  const options = checkedOptions(data.options, at('options'));
  const modules = checkedModules(data.modules, at('modules'));
  const endpoints = endpointsFromJson(
    data.endpoints,
    at('endpoints'),
    { resources, modules, jwt: (options.auth as string[]).includes('jwt') },
    (value, where) => checkedField(value, where, true),
  );
  return {
    manifestVersion: MANIFEST_VERSION,
    generator,
    project: { name, title },
    agent: { name: agentName, path: agentPath, source: baseName(source) },
    asked: checkedAsked(data.asked, at('asked')),
    options,
    resources,
    migratedResources: checkedResources(data.migratedResources, at('migratedResources'), false),
    migrations: checkedMigrations(data.migrations, at('migrations')),
    modules,
    endpoints,
  };
}
