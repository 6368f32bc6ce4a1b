/**
 * The feature registry: what each option value brings to a generated project, as data. An option
 * value is rendered exactly when it has an entry here; everything the generator derives from
 * options (template layers, Python requirements, the README's "Practices applied" rows, the
 * values offered in prompts) is read from these entries, and from nowhere else.
 *
 * Adding a value: one entry below, plus its template folder under `templates/` (see
 * templates/README.md for a worked example).
 */
import { UserError } from './errors.js';
import { optionDeclaration, type OptionId, type OptionValues } from './options.js';
import type { Requirement } from './versions.js';

/** A row of the generated README's "Practices applied" table. */
export interface PracticeRow {
  label: string;
  /** The files where it lives in the generated project. */
  where: string;
}

export interface Feature {
  option: OptionId;
  value: string;
  /**
   * Folders under `templates/`, rendered in this order after `base/`; a later folder may replace a
   * file of an earlier one.
   */
  templates: readonly string[];
  /**
   * Folders rendered only when other option values are chosen too, right after `templates`: the
   * ORM's users model exists only with JWT users.
   */
  templatesWith?: readonly ConditionalLayers[];
  /**
   * Folders rendered once per resource, after `resource/` and with the same context: what a
   * resource's model and persistence look like in this ORM.
   */
  resourceTemplates?: readonly string[];
  /** Runtime and development requirements: keys of the one pinned table (versions.ts). */
  requirements?: readonly Requirement[];
  devRequirements?: readonly Requirement[];
  /**
   * Its row in the README's "Practices applied" table; or, for a value that adds nothing a reader
   * would look for (an absence, a tool choice), the reason it has none.
   */
  practice: PracticeRow | { none: string };
  /**
   * The value takes effect only with these other option values (roles need users to hold them);
   * without them it brings nothing. It never changes another option.
   */
  onlyWith?: Readonly<Partial<Record<OptionId, readonly string[]>>>;
  /** Values of other options it cannot be combined with: asking for both is an error. */
  excludes?: Readonly<Partial<Record<OptionId, readonly string[]>>>;
  /**
   * The value it brings for another option (an ORM brings its migration tool): used whenever that
   * option was not asked for exactly; asked for with another value, it is an error.
   */
  brings?: Readonly<Partial<Record<OptionId, string>>>;
  /**
   * A migration tool's revision files: the template that writes one (`<layer>/revision.py.hbs`),
   * where it goes (`{revision}`: `0002`, `{number}`: `2`, `{slug}`), the commands that apply,
   * check and revert them, and the files that are written once and then the user's.
   */
  revisions?: {
    layer: string;
    file: string;
    upgrade: string;
    createOnly: RegExp;
  };
  /** What templates see of it, as `features.<option>` (a database's label, URL, driver...). */
  context?: Readonly<Record<string, string | boolean>>;
}

/** Template folders that apply only with these other option values. */
export interface ConditionalLayers {
  with: Readonly<Partial<Record<OptionId, readonly string[]>>>;
  templates: readonly string[];
}

const absent = (what: string): { none: string } => ({ none: `${what}: nothing is added` });

export const FEATURES: readonly Feature[] = [
  {
    option: 'db',
    value: 'sqlite',
    templates: [],
    requirements: ['aiosqlite'],
    practice: { label: 'SQLite (aiosqlite)', where: 'app/db/session.py, DATABASE_URL in .env' },
    context: {
      label: 'SQLite',
      driver: 'aiosqlite',
      server: false,
      url: 'sqlite+aiosqlite:///./{database}.db',
    },
  },
  {
    option: 'db',
    value: 'postgresql',
    templates: [],
    requirements: ['asyncpg'],
    practice: { label: 'PostgreSQL (asyncpg)', where: 'app/db/session.py, DATABASE_URL in .env' },
    context: {
      label: 'PostgreSQL',
      driver: 'asyncpg',
      server: true,
      url: 'postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/{database}',
      exampleUrl: 'postgresql+asyncpg://USER:PASSWORD@HOST:5432/DATABASE',
      createDatabase: 'createdb -h 127.0.0.1 -U postgres {database}',
    },
  },
  {
    option: 'db',
    value: 'mysql',
    templates: [],
    requirements: ['aiomysql'],
    practice: {
      label: 'MySQL or MariaDB (aiomysql)',
      where: 'app/db/session.py, DATABASE_URL in .env',
    },
    context: {
      label: 'MySQL or MariaDB',
      driver: 'aiomysql',
      server: true,
      // utf8mb4: the whole of Unicode, not MySQL's three-byte "utf8".
      url: 'mysql+aiomysql://root@127.0.0.1:3306/{database}?charset=utf8mb4',
      exampleUrl: 'mysql+aiomysql://USER:PASSWORD@HOST:3306/DATABASE?charset=utf8mb4',
      createDatabase:
        'mysql -h 127.0.0.1 -u root -e "CREATE DATABASE {database} CHARACTER SET utf8mb4"',
    },
  },
  {
    option: 'orm',
    value: 'sqlalchemy',
    templates: ['orm-sqlalchemy'],
    templatesWith: [{ with: { auth: ['jwt'] }, templates: ['auth-jwt-sqlalchemy'] }],
    resourceTemplates: ['resource-sqlalchemy'],
    requirements: ['sqlalchemy'],
    excludes: { migrations: ['aerich'] },
    brings: { migrations: 'alembic' },
    practice: { label: 'SQLAlchemy 2, async', where: 'app/db/base.py, app/<domain>/models.py' },
    context: { label: 'async SQLAlchemy 2', models: 'SQLAlchemy', sqlalchemyEngine: true },
  },
  {
    option: 'orm',
    value: 'sqlmodel',
    templates: ['orm-sqlmodel'],
    templatesWith: [{ with: { auth: ['jwt'] }, templates: ['auth-jwt-sqlmodel'] }],
    resourceTemplates: ['resource-sqlmodel'],
    // SQLModel's table models are SQLAlchemy models: the engine, sessions and queries are its.
    requirements: ['sqlmodel', 'sqlalchemy'],
    excludes: { migrations: ['aerich'] },
    brings: { migrations: 'alembic' },
    practice: {
      label: 'SQLModel table models, async SQLAlchemy sessions',
      where: 'app/db/base.py, app/<domain>/models.py',
    },
    context: {
      label: 'SQLModel and async SQLAlchemy 2',
      models: 'SQLModel',
      sqlalchemyEngine: true,
    },
  },
  {
    option: 'migrations',
    value: 'alembic',
    templates: ['migrations-alembic'],
    context: { label: 'Alembic' },
    requirements: ['alembic'],
    revisions: {
      layer: 'migration',
      file: 'migrations/versions/{revision}_{slug}.py',
      upgrade: 'alembic upgrade head',
      createOnly: /^migrations\/versions\//,
    },
    practice: { label: 'Alembic migrations', where: 'alembic.ini, migrations/' },
  },
  {
    option: 'orm',
    value: 'tortoise',
    templates: ['orm-tortoise'],
    templatesWith: [{ with: { auth: ['jwt'] }, templates: ['auth-jwt-tortoise'] }],
    resourceTemplates: ['resource-tortoise'],
    requirements: ['tortoise'],
    excludes: { migrations: ['alembic'] },
    brings: { migrations: 'aerich' },
    practice: { label: 'Tortoise ORM', where: 'app/db/base.py, app/<domain>/models.py' },
    context: { label: 'Tortoise ORM', models: 'Tortoise ORM', sqlalchemyEngine: false },
  },
  {
    option: 'migrations',
    value: 'aerich',
    templates: [],
    context: { label: 'aerich' },
    requirements: ['aerich'],
    revisions: {
      layer: 'migration-aerich',
      file: 'migrations/models/{number}_{slug}.py',
      upgrade: 'aerich upgrade',
      createOnly: /^migrations\/models\//,
    },
    practice: {
      label: 'Aerich migrations',
      where: 'pyproject.toml [tool.aerich], migrations/models/',
    },
  },
  {
    option: 'auth',
    value: 'jwt',
    templates: ['auth-jwt'],
    // Users have email addresses: pydantic's EmailStr needs email-validator.
    requirements: ['pyjwt', 'pwdlib', 'multipart', 'emailValidator'],
    practice: { label: 'OAuth2 password flow with JWT', where: 'app/auth/, app/core/security.py' },
  },
  {
    option: 'auth',
    value: 'none',
    templates: [],
    practice: absent('no authentication'),
  },
  {
    option: 'roles',
    value: 'true',
    templates: [],
    onlyWith: { auth: ['jwt'] },
    practice: {
      label: 'Role-based access control',
      where: 'app/users/models.py, app/users/dependencies.py',
    },
  },
  {
    option: 'websocket',
    value: 'false',
    templates: [],
    practice: absent('no WebSocket endpoint at first (add one with `add websocket NAME`)'),
  },
  {
    option: 'cors',
    value: 'true',
    templates: ['cors'],
    practice: { label: 'CORS', where: 'app/main.py, CORS_ORIGINS in .env' },
  },
  {
    option: 'cors',
    value: 'false',
    templates: [],
    practice: absent('no CORS middleware: browsers on other origins cannot call the API'),
  },
  {
    option: 'security-headers',
    value: 'false',
    templates: [],
    practice: absent('no security headers middleware'),
  },
  { option: 'metrics', value: 'false', templates: [], practice: absent('no metrics endpoint') },
  {
    option: 'docker',
    value: 'true',
    templates: ['docker'],
    practice: { label: 'Docker', where: 'Dockerfile, .dockerignore' },
  },
  { option: 'docker', value: 'false', templates: [], practice: absent('no Dockerfile') },
  { option: 'cache', value: 'none', templates: [], practice: absent('no cache') },
  { option: 'rate-limit', value: 'off', templates: [], practice: absent('no rate limiting') },
  {
    option: 'tasks',
    value: 'background',
    templates: [],
    practice: {
      label: "Background work with FastAPI's BackgroundTasks",
      where: 'app/<domain>/tasks.py (`add task NAME`)',
    },
  },
  {
    option: 'broker',
    value: 'redis',
    templates: [],
    onlyWith: { tasks: ['celery'] },
    practice: { label: 'Celery broker: Redis', where: 'app/core/config.py' },
  },
  {
    option: 'broker',
    value: 'rabbitmq',
    templates: [],
    onlyWith: { tasks: ['celery'] },
    practice: { label: 'Celery broker: RabbitMQ', where: 'app/core/config.py' },
  },
  {
    option: 'logging',
    value: 'text',
    templates: [],
    practice: { label: 'Logging', where: 'app/core/logging.py' },
  },
  {
    option: 'versioning',
    value: 'path',
    templates: [],
    practice: {
      label: 'API versioning by path',
      where: 'app/api/router.py, app/core/config.py (/api/v1)',
    },
  },
  {
    option: 'python-tool',
    value: 'uv',
    templates: [],
    practice: { none: 'a tool choice: the post-step installs with uv when it is on PATH' },
  },
  {
    option: 'python-tool',
    value: 'pip',
    templates: [],
    practice: { none: 'a tool choice: the post-step installs with pip in a venv' },
  },
  { option: 'ci', value: 'none', templates: [], practice: absent('no CI workflow') },
];

/** Template folders that no option value claims: the structure every project is made of. */
export const STRUCTURAL_LAYERS = {
  base: 'always rendered, first',
  resource: "once per resource, before the ORM's resource folders (`resourceTemplates`)",
  module: 'once per module package, then the folder of each kind it has',
  endpoint: 'once per custom endpoint (`add endpoint`): its service function and its test',
  router: 'module kind',
  service: 'module kind',
  task: 'module kind',
  websocket: 'module kind',
  migration: "one Alembic revision (migrations=alembic's `revisions.layer`)",
} as const;

const BY_KEY = new Map(FEATURES.map((f) => [`${f.option}=${f.value}`, f]));

export function feature(option: OptionId, value: string): Feature | undefined {
  return BY_KEY.get(`${option}=${value}`);
}

export function isRendered(option: OptionId, value: string): boolean {
  return BY_KEY.has(`${option}=${value}`);
}

/** The values of `option` this generator renders, in the option's order. */
export function renderedValues(option: OptionId): string[] {
  return optionDeclaration(option)
    .choices.map((c) => c.value)
    .filter((v) => isRendered(option, v));
}

/** The value the generator will render for `value`: itself, or the nearest it can render. */
export function renderedValue(option: OptionId, value: string): string {
  if (isRendered(option, value)) return value;
  const nearest = optionDeclaration(option).nearest?.[value];
  return nearest ?? renderedValues(option)[0] ?? value;
}

function valuesOf(options: OptionValues, id: OptionId): readonly string[] {
  const value = options[id];
  return Array.isArray(value) ? value : [value as string];
}

/** Whether the options hold one of the allowed values of each option named. */
function holds(
  options: OptionValues,
  wanted: Readonly<Partial<Record<OptionId, readonly string[]>>>,
): boolean {
  return Object.entries(wanted).every(([other, allowed]) =>
    valuesOf(options, other as OptionId).some((v) => allowed.includes(v)),
  );
}

/** The features a project's options bring, in option order; those whose `onlyWith` fails are left out. */
export function activeFeatures(options: OptionValues): Feature[] {
  const active: Feature[] = [];
  for (const id of Object.keys(options) as OptionId[]) {
    for (const value of valuesOf(options, id)) {
      const found = feature(id, value);
      if (found && holds(options, found.onlyWith ?? {})) active.push(found);
    }
  }
  return active;
}

/** The pairs of values asked for together that exclude each other, as `a=x and b=y`. */
export function exclusions(options: OptionValues): string[] {
  const found: string[] = [];
  for (const f of activeFeatures(options)) {
    for (const [other, values] of Object.entries(f.excludes ?? {})) {
      for (const v of valuesOf(options, other as OptionId)) {
        if (values.includes(v)) found.push(`${f.option}=${f.value} and ${other}=${v}`);
      }
    }
  }
  return found;
}

/** What templates see of each option's active feature: `features.db.label`. */
export function featureContext(
  options: OptionValues,
): Record<string, Record<string, string | boolean>> {
  const context: Record<string, Record<string, string | boolean>> = {};
  for (const f of activeFeatures(options)) {
    context[f.option] = {
      ...context[f.option],
      value: f.value,
      ...(f.revisions ? { upgrade: f.revisions.upgrade } : {}),
      ...f.context,
    };
  }
  return context;
}

/** The template folders to render for these options, in order, after `base/`. */
export function featureLayers(options: OptionValues): string[] {
  return [
    ...new Set(
      activeFeatures(options).flatMap((f) => [
        ...f.templates,
        ...(f.templatesWith ?? []).flatMap((c) => (holds(options, c.with) ? c.templates : [])),
      ]),
    ),
  ];
}

/** The folders rendered once per resource after `resource/`, in order. */
export function resourceLayers(options: OptionValues): string[] {
  return [...new Set(activeFeatures(options).flatMap((f) => f.resourceTemplates ?? []))];
}

/** Every folder the registry or the project's structure claims, whatever the options. */
export function claimedLayers(): Set<string> {
  return new Set([
    ...Object.keys(STRUCTURAL_LAYERS),
    ...FEATURES.flatMap((f) => [
      ...f.templates,
      ...(f.templatesWith ?? []).flatMap((c) => c.templates),
      ...(f.resourceTemplates ?? []),
      ...(f.revisions ? [f.revisions.layer] : []),
    ]),
  ]);
}

/**
 * The values other options must take because of the ones chosen (an ORM's migration tool), by
 * option: `orm=tortoise` brings `migrations=aerich`.
 */
export function broughtValues(options: OptionValues): Map<OptionId, { value: string; by: string }> {
  const brought = new Map<OptionId, { value: string; by: string }>();
  for (const f of activeFeatures(options)) {
    for (const [other, value] of Object.entries(f.brings ?? {})) {
      brought.set(other as OptionId, { value, by: `${f.option}=${f.value}` });
    }
  }
  return brought;
}

/** The migration tool's revision files, from the active `migrations` feature. */
export function revisionFiles(options: OptionValues): NonNullable<Feature['revisions']> {
  const found = activeFeatures(options).find((f) => f.revisions)?.revisions;
  if (!found) throw new Error(`no migration tool renders migrations=${String(options.migrations)}`);
  return found;
}

/** Values asked for exactly (a flag, a manifest) must be rendered: a one-line UserError otherwise. */
export function checkRendered(option: OptionId, values: readonly string[], where: string): void {
  const missing = values.filter((v) => !isRendered(option, v));
  if (missing.length === 0) return;
  throw new UserError(
    `${where}: ${missing.map((v) => JSON.stringify(v)).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not rendered by this version yet; it renders ${renderedValues(option).join(', ')}`,
  );
}
