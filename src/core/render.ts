// The runtime only: templates arrive compiled (by the build, or by the edge that loads them),
// so the core never carries Handlebars' compiler.
import { pyCommentText, pyDocstringText, pyIdentifier, pyString } from './python-text.js';
import Handlebars from 'handlebars/runtime';
import {
  claimedLayers,
  featureContext,
  featureLayers,
  resourceLayers,
  revisionFiles,
} from './features.js';
import { kebab, pascal, plural, snake } from './names.js';
import { migrationPath, type MigrationSpec } from './migrations.js';
import {
  moduleContext,
  modulePackages,
  moduleRouters,
  type ModuleContext,
} from './module-context.js';
import { MODULE_KINDS } from './modules.js';
import {
  aerichMigrationContext,
  apiRouterContext,
  migrationContext,
  resourceContext,
} from './resource/index.js';
import {
  MARK_BASE,
  canonicalPython,
  ruffContext,
  type NameMark,
  type PythonFormatter,
} from './python.js';
import { agentsMarkdown } from './agents-md.js';
import { claudeFiles } from './claude-files.js';
import { endpointContext, endpointSchemas, packageEndpoints } from './endpoint-context.js';
import { projectOf } from './resource/fields.js';
import { AGENTS_MD, type ProjectSpec } from './spec.js';
import { pythonDependencies } from './versions.js';

/** A compiled template, as `Handlebars.precompile` describes it. */
export type TemplateSpecification = ReturnType<typeof Handlebars.precompile>;

/** Nothing is HTML-escaped (it would corrupt code); a missing variable is an error. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** One template file: its path inside its layer, and its compiled form (see COMPILE_OPTIONS). */
export interface TemplateFile {
  path: string;
  compiled: TemplateSpecification;
}

/** Templates by layer name (`base`, `auth-jwt`...): the folders under `templates/`. */
export type TemplateSet = ReadonlyMap<string, readonly TemplateFile[]>;

/** A rendered project: relative POSIX path -> content, in path order. */
export type FileTree = ReadonlyMap<string, string>;

/** The layers of a project, in order: `base/`, then the folders of its features (features.ts). */
export function projectLayers(spec: Pick<ProjectSpec, 'options'>): string[] {
  return ['base', ...featureLayers(spec.options)];
}

/**
 * Named places in base templates that features fill: a layer's `_slots/<name>.hbs` is rendered
 * with the project's context and added to `slots.<name>`, in layer order.
 */
export const SLOTS = {
  readme: 'sections of the generated README.md, before its last line',
  settings: 'fields (and their validators) at the end of `Settings`, app/core/config.py',
  env: 'lines of the developer `.env`, before LOG_LEVEL',
  envExample: 'commented lines of `.env.example`, before LOG_LEVEL',
  middleware: 'statements of `create_app` (app/main.py) that add middleware',
  conftest: 'fixtures at the end of tests/conftest.py',
} as const;
export type SlotName = keyof typeof SLOTS;
const SLOT_DIR = '_slots/';

const checkedSets = new WeakSet<TemplateSet>();

/**
 * Every template folder is claimed, by the project's structure or by a feature, and every slot
 * file names a slot: a failure is a bug in the generator. (That each feature's folder exists is a
 * unit test of the real templates: a set made for a test may leave folders out.)
 */
export function checkTemplateSet(templates: TemplateSet): void {
  if (checkedSets.has(templates)) return;
  const claimed = claimedLayers();
  for (const [layer, files] of templates) {
    if (!claimed.has(layer)) {
      throw new Error(
        `templates/${layer}/: no entry of src/core/features.ts claims this folder, so it would never be rendered`,
      );
    }
    for (const file of files) {
      const slot = file.path.startsWith(SLOT_DIR) ? slotName(file.path) : null;
      if (slot !== null && !(slot in SLOTS)) {
        throw new Error(
          `templates/${layer}/${file.path}: unknown slot "${slot}"; slots: ${Object.keys(SLOTS).join(', ')}`,
        );
      }
    }
  }
  checkedSets.add(templates);
}

function slotName(templatePath: string): string {
  return templatePath.slice(SLOT_DIR.length).replace(/\.hbs$/, '');
}

const hbs = Handlebars.create();

/**
 * `strict` does not reach block helpers: `{{#if auth.jwtt}}` would be silently false. These
 * replacements make a condition on a missing variable an error like any other.
 */
function definedCondition(
  name: string,
  value: unknown,
  options: Handlebars.HelperOptions,
): boolean {
  if (value === undefined) {
    const line = (options as { loc?: { start: { line: number } } }).loc?.start.line;
    throw new Error(`{{#${name}}} on a missing variable${line ? ` at line ${line}` : ''}`);
  }
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

/** The items a `join` or `tuple` block renders: an array, or an error naming the helper. */
function items(name: string, value: unknown, options: Handlebars.HelperOptions): unknown[] {
  if (!Array.isArray(value)) {
    const line = (options as { loc?: { start: { line: number } } }).loc?.start.line;
    throw new Error(`{{#${name}}} needs a list${line ? ` at line ${line}` : ''}`);
  }
  return value;
}

/** Each item rendered by the block, joined by `, `: the items of a Python list, tuple or call. */
function joined(name: string, value: unknown, options: Handlebars.HelperOptions): string {
  const all = items(name, value, options);
  return all
    .map((item, index) =>
      options.fn(item, {
        data: {
          ...(options.data as object),
          index,
          first: index === 0,
          last: index === all.length - 1,
        },
      }),
    )
    .join(', ');
}

hbs.registerHelper({
  /** `[{{#join xs}}"{{this}}"{{/join}}]`: items on one line, no trailing comma (Ruff adds one when it splits). */
  join(value: unknown, options: Handlebars.HelperOptions) {
    return joined('join', value, options);
  },
  /** `{{#tuple xs}}"{{this}}"{{/tuple}}`: a Python tuple, `(a, b)`, or `(a,)` for one item. */
  tuple(value: unknown, options: Handlebars.HelperOptions) {
    const text = joined('tuple', value, options);
    return items('tuple', value, options).length === 1 ? `(${text},)` : `(${text})`;
  },
  if(this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    return definedCondition('if', value, options) ? options.fn(this) : options.inverse(this);
  },
  unless(this: unknown, value: unknown, options: Handlebars.HelperOptions) {
    return definedCondition('unless', value, options) ? options.inverse(this) : options.fn(this);
  },
  snake: (s: string) => snake(s),
  // One quoting function per syntactic context (src/core/python-text.ts).
  pyName: (s: string) => pyIdentifier(s),
  pyStr: (s: string) => pyString(s),
  pyDoc: (s: string) => pyDocstringText(s),
  pyComment: (s: string) => pyCommentText(s),
  pascal: (s: string) => pascal(s),
  kebab: (s: string) => kebab(s),
  plural: (s: string) => plural(s),
  json: (v: unknown) => JSON.stringify(v),
  eq: (a: unknown, b: unknown) => a === b,
  not: (a: unknown) => !a,
  // Handlebars passes its options hash as the last argument: drop it.
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
});

/** What templates see; documented in templates/README.md. */
export function templateContext(spec: ProjectSpec): Record<string, unknown> & {
  resources: unknown[];
  modules: Array<ModuleContext & Record<string, unknown>>;
} {
  const jwt = spec.options.auth.includes('jwt');
  const kinds = new Set(spec.modules.map((m) => m.kind));
  const features = featureContext(spec.options);
  /** A database entry's text (its URL, its command) with this project's database name. */
  const withDatabase = (text: unknown): string =>
    String(text ?? '').replace('{database}', spec.databaseName);
  const project = projectOf(spec);
  /** A package's custom endpoints and their schemas (see endpoint-context.ts). */
  const withEndpoints = <T extends Record<string, unknown>>(
    context: T,
    kind: 'resource' | 'module',
    name: string,
  ) => {
    const mine = spec.endpoints.filter((e) => e.target.kind === kind && e.target.name === name);
    const { schemas, uses } = endpointSchemas(project, mine);
    const own = (context.uses ?? { url: false, datetime: false }) as typeof uses;
    return {
      ...context,
      endpoints: packageEndpoints(project, spec.endpoints, kind, name),
      endpointSchemas: schemas,
      uses: { url: own.url || uses.url, datetime: own.datetime || uses.datetime },
    };
  };
  return {
    project: {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      pythonVersion: '3.11',
    },
    db: {
      ...features.db,
      kind: spec.options.db,
      sqlite: spec.options.db === 'sqlite',
      postgresql: spec.options.db === 'postgresql',
      mysql: spec.options.db === 'mysql',
      url: withDatabase(features.db?.url),
      createDatabase: withDatabase(features.db?.createDatabase),
    },
    features,
    auth: { kinds: spec.options.auth, jwt },
    options: spec.options,
    practicesApplied: spec.applied,
    notRendered: spec.notRendered,
    resources: spec.resources.map((r) =>
      withEndpoints(resourceContext(r, spec), 'resource', r.name),
    ),
    modules: modulePackages(spec.modules).map(([name, has]) =>
      withEndpoints({ ...moduleContext(name, has, jwt) }, 'module', name),
    ),
    /** Which kinds of module the project has, any package: `anyModule.websocket`. */
    anyModule: Object.fromEntries(MODULE_KINDS.map((k) => [k, kinds.has(k)])),
    api: apiRouterContext(spec, moduleRouters(spec.modules)),
    ...pythonDependencies(spec.options, spec.resources, spec.modules, spec.endpoints),
    ruff: ruffContext(),
    secretKey: spec.secretKey,
    generator: { name: 'create-fastapi-agent', version: spec.generatorVersion },
  };
}

/** `app/dot-env.hbs` -> `app/.env`: npm would drop real dotfiles from the published package. */
export function outputPath(templatePath: string): string {
  const parts = templatePath.replace(/\.hbs$/, '').split('/');
  const last = parts.pop() ?? '';
  parts.push(last.startsWith('dot-') ? `.${last.slice(4)}` : last);
  return parts.join('/');
}

/** `{{resource.module}}` in a template path, from the resource being rendered. */
function renderPath(templatePath: string, context: Record<string, unknown>): string {
  return outputPath(templatePath).replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, key: string) => {
    const value = key
      .split('.')
      .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], context);
    if (typeof value !== 'string') throw new Error(`path ${templatePath}: ${key} is not defined`);
    return value;
  });
}

function renderTemplate(
  layer: string,
  template: TemplateFile,
  context: Record<string, unknown>,
): string {
  try {
    return hbs.template(template.compiled)(context);
  } catch (error) {
    throw new Error(`template ${layer}/${template.path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The slots the layers fill, each one's contributions in layer order. */
function renderSlots(
  layers: readonly string[],
  templates: TemplateSet,
  context: Record<string, unknown>,
): Record<SlotName, string> {
  const slots = Object.fromEntries(Object.keys(SLOTS).map((k) => [k, ''])) as Record<
    SlotName,
    string
  >;
  for (const layer of layers) {
    for (const template of templates.get(layer) ?? []) {
      if (!template.path.startsWith(SLOT_DIR)) continue;
      slots[slotName(template.path) as SlotName] += renderTemplate(layer, template, context);
    }
  }
  return slots;
}

function renderLayer(
  files: Map<string, string>,
  layer: string,
  templates: readonly TemplateFile[],
  context: Record<string, unknown>,
): void {
  for (const template of templates) {
    if (template.path.startsWith(SLOT_DIR)) continue;
    files.set(renderPath(template.path, context), renderTemplate(layer, template, context));
  }
}

/**
 * The layer rendered once for each resource, with `resource` in its context; the ORM's resource
 * folders (`resourceTemplates` in features.ts) follow it, with the same context.
 */
export const RESOURCE_LAYER = 'resource';
/** Rendered once per custom endpoint (`endpoint`): its service function's module and its test. */
export const ENDPOINT_LAYER = 'endpoint';
/** Rendered once per module package (`module`), then the layer named after each kind it has. */
export const MODULE_LAYER = 'module';
/** The template of one revision, in the migration tool's layer (`templates/migration/` for Alembic). */
export const MIGRATION_TEMPLATE = 'revision.py.hbs';

/** What each migration tool's revision template sees, by its layer. */
const REVISION_CONTEXT: Readonly<
  Record<string, (migration: MigrationSpec, spec: ProjectSpec) => Record<string, unknown>>
> = { migration: migrationContext, 'migration-aerich': aerichMigrationContext };

/** Where a revision of this project goes. */
export function projectMigrationPath(
  spec: Pick<ProjectSpec, 'options'>,
  migration: Pick<MigrationSpec, 'revision' | 'slug'>,
): string {
  return migrationPath(migration, revisionFiles(spec.options).file);
}

/** Renders one revision file (the generator writes each once; see the plan's create-only rule). */
export function renderMigration(
  spec: ProjectSpec,
  migration: MigrationSpec,
  templates: TemplateSet,
  projectContext: Record<string, unknown> = templateContext(spec),
): [string, string] {
  const { layer } = revisionFiles(spec.options);
  const template = templates.get(layer)?.find((t) => t.path === MIGRATION_TEMPLATE);
  if (!template) throw new Error(`template ${layer}/${MIGRATION_TEMPLATE} is missing`);
  const files = new Map<string, string>();
  // `migration` is what the template uses; `migrationSpec` is the revision as the manifest keeps it.
  const context = {
    ...projectContext,
    migration: (REVISION_CONTEXT[layer] ?? migrationContext)(migration, spec),
    migrationSpec: migration,
  };
  renderLayer(files, layer, [{ ...template, path: MIGRATION_TEMPLATE }], context);
  return [projectMigrationPath(spec, migration), files.get('revision.py') ?? ''];
}

/** The project's title and database name, each with the character that stands for it. */
function nameMarks(spec: ProjectSpec): NameMark[] {
  return [spec.title, spec.databaseName].map((value, i) => ({
    value,
    mark: String.fromCharCode(MARK_BASE + i),
  }));
}

/** The spec with marks for its names: its description names the title by the title's mark. */
function markedSpec(spec: ProjectSpec, marks: readonly NameMark[]): ProjectSpec {
  const [title, database] = marks.map((m) => m.mark) as [string, string];
  return {
    ...spec,
    title,
    description: spec.description.split(spec.title).join(title),
    databaseName: database,
  };
}

/**
 * Renders the whole project in memory. Pure: same spec and templates, same tree.
 * Throws on a template error (a bug in the generator, not the user's input), naming the template.
 */
export function renderProject(
  spec: ProjectSpec,
  templates: TemplateSet,
  python: PythonFormatter,
): FileTree {
  checkTemplateSet(templates);
  const layers = projectLayers(spec);
  // Rendered with marks for the project's names, so that its Python is the same for every
  // project until the names go back in (canonicalPython).
  const marks = nameMarks(spec);
  const context = templateContext(markedSpec(spec, marks));
  context.slots = renderSlots(layers, templates, context);
  const files = new Map<string, string>();
  for (const layer of layers) renderLayer(files, layer, templates.get(layer) ?? [], context);
  const perResource = [RESOURCE_LAYER, ...resourceLayers(spec.options)];
  spec.resources.forEach((resourceSpec, i) => {
    // `resource` is what templates use; `resourceSpec` is the manifest's declaration as it is.
    const resourceContext = { ...context, resource: context.resources[i], resourceSpec };
    for (const layer of perResource) {
      renderLayer(files, layer, templates.get(layer) ?? [], resourceContext);
    }
  });
  context.modules.forEach((module) => {
    const moduleContext = { ...context, module };
    renderLayer(files, MODULE_LAYER, templates.get(MODULE_LAYER) ?? [], moduleContext);
    for (const kind of MODULE_KINDS) {
      if (module[kind]) renderLayer(files, kind, templates.get(kind) ?? [], moduleContext);
    }
  });
  const project = projectOf(spec);
  for (const endpoint of spec.endpoints) {
    const siblings = spec.endpoints.filter(
      (e) => e.target.kind === endpoint.target.kind && e.target.name === endpoint.target.name,
    );
    const endpointContextOf = {
      ...context,
      endpoint: endpointContext(project, endpoint, siblings),
    };
    renderLayer(files, ENDPOINT_LAYER, templates.get(ENDPOINT_LAYER) ?? [], endpointContextOf);
  }
  for (const migration of spec.migrations) {
    const [path, content] = renderMigration(spec, migration, templates, context);
    files.set(path, content);
  }
  const canonical = canonicalPython(files, python, marks);
  canonical.set(AGENTS_MD, agentsMarkdown(spec));
  for (const [path, content] of claudeFiles(spec)) canonical.set(path, content);
  return new Map([...canonical.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
