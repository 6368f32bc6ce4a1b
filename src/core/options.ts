import { UserError } from './errors.js';
/**
 * The project options, declared once. The same declaration gives the CLI flag (`--db`), the
 * `scaffold:` front matter key, the practices vocabulary, the prompt and the spec's validation.
 */
export type OptionKind = 'choice' | 'multi' | 'boolean';

export interface OptionChoice {
  value: string;
  label: string;
}

export interface OptionDeclaration {
  id: string;
  kind: OptionKind;
  /** Prompt and help text. */
  message: string;
  /** The vocabulary; the first value is the default when nothing else decides. */
  choices: readonly OptionChoice[];
  /** For a value not rendered yet (no entry in features.ts), the rendered value closest to it. */
  nearest?: Readonly<Record<string, string>>;
  /** Asked in an interactive session (the others come from flags, scaffold: or the file). */
  ask?: boolean;
}

const yesNo = (yes: string, no: string): OptionChoice[] => [
  { value: 'true', label: yes },
  { value: 'false', label: no },
];

export const OPTIONS = [
  {
    id: 'db',
    kind: 'choice',
    message: 'Database',
    choices: [
      { value: 'sqlite', label: 'SQLite (aiosqlite): runs with no server' },
      { value: 'postgresql', label: 'PostgreSQL (asyncpg)' },
      { value: 'mysql', label: 'MySQL or MariaDB (aiomysql)' },
    ],
    ask: true,
  },
  {
    id: 'orm',
    kind: 'choice',
    message: 'ORM',
    choices: [
      { value: 'sqlalchemy', label: 'SQLAlchemy 2 (async)' },
      { value: 'sqlmodel', label: 'SQLModel' },
      { value: 'tortoise', label: 'Tortoise ORM' },
    ],
  },
  {
    id: 'migrations',
    kind: 'choice',
    message: 'Migrations',
    choices: [
      { value: 'alembic', label: 'Alembic' },
      { value: 'aerich', label: 'Aerich' },
    ],
  },
  {
    id: 'auth',
    kind: 'multi',
    message: 'Authentication',
    choices: [
      { value: 'jwt', label: 'OAuth2 password flow with JWT access tokens, users and roles' },
      { value: 'api-key', label: 'API keys' },
      { value: 'none', label: 'None' },
    ],
    nearest: { 'api-key': 'jwt' },
    ask: true,
  },
  {
    id: 'roles',
    kind: 'boolean',
    message: 'Role-based access control',
    choices: yesNo('admin and user roles', 'no roles'),
    nearest: { false: 'true' },
  },
  {
    id: 'websocket',
    kind: 'boolean',
    message: 'WebSocket endpoints',
    choices: yesNo('a WebSocket endpoint', 'none'),
    nearest: { true: 'false' },
  },
  {
    id: 'cors',
    kind: 'boolean',
    message: 'CORS',
    choices: yesNo('CORS middleware, origins from settings', 'none'),
  },
  {
    id: 'security-headers',
    kind: 'boolean',
    message: 'Security headers',
    choices: yesNo('security headers middleware', 'none'),
    nearest: { true: 'false' },
  },
  {
    id: 'metrics',
    kind: 'boolean',
    message: 'Metrics',
    choices: yesNo('Prometheus metrics', 'none'),
    nearest: { true: 'false' },
  },
  {
    id: 'docker',
    kind: 'boolean',
    message: 'Docker',
    choices: yesNo('Dockerfile', 'none'),
  },
  {
    id: 'cache',
    kind: 'choice',
    message: 'Caching',
    choices: [
      { value: 'none', label: 'None' },
      { value: 'memory', label: 'In-memory' },
      { value: 'redis', label: 'Redis' },
    ],
    nearest: { memory: 'none', redis: 'none' },
  },
  {
    id: 'rate-limit',
    kind: 'choice',
    message: 'Rate limiting',
    choices: [
      { value: 'off', label: 'Off' },
      { value: 'memory', label: 'In-memory' },
      { value: 'redis', label: 'Redis' },
    ],
    nearest: { memory: 'off', redis: 'off' },
  },
  {
    id: 'tasks',
    kind: 'choice',
    message: 'Background work',
    choices: [
      { value: 'background', label: "FastAPI's BackgroundTasks" },
      { value: 'celery', label: 'Celery workers' },
    ],
    nearest: { celery: 'background' },
  },
  {
    id: 'broker',
    kind: 'choice',
    message: 'Task broker',
    choices: [
      { value: 'redis', label: 'Redis' },
      { value: 'rabbitmq', label: 'RabbitMQ' },
    ],
  },
  {
    id: 'logging',
    kind: 'choice',
    message: 'Logging',
    choices: [
      { value: 'text', label: 'Plain text' },
      { value: 'json', label: 'JSON (structured)' },
    ],
    nearest: { json: 'text' },
  },
  {
    id: 'versioning',
    kind: 'choice',
    message: 'API versioning',
    choices: [
      { value: 'none', label: 'None' },
      { value: 'path', label: 'Path prefix (/api/v1)' },
    ],
    nearest: { none: 'path' },
  },
  {
    id: 'python-tool',
    kind: 'choice',
    message: 'Python tool',
    choices: [
      { value: 'uv', label: 'uv' },
      { value: 'poetry', label: 'Poetry' },
      { value: 'pip', label: 'pip and venv' },
    ],
    nearest: { poetry: 'uv' },
  },
  {
    id: 'ci',
    kind: 'choice',
    message: 'Continuous integration',
    choices: [
      { value: 'github', label: 'GitHub Actions' },
      { value: 'none', label: 'None' },
    ],
    nearest: { github: 'none' },
  },
] as const satisfies readonly OptionDeclaration[];

export type OptionId = (typeof OPTIONS)[number]['id'];
type ValueOf<K extends OptionId> = Extract<
  (typeof OPTIONS)[number],
  { id: K }
>['choices'][number]['value'];

/** One value per option; `auth` can hold several kinds. */
export type OptionValues = {
  [K in OptionId]: K extends 'auth' ? ValueOf<K>[] : ValueOf<K>;
};

export const OPTION_IDS: readonly OptionId[] = OPTIONS.map((o) => o.id);

export function optionDeclaration(id: OptionId): OptionDeclaration {
  const found = (OPTIONS as readonly OptionDeclaration[]).find((o) => o.id === id);
  if (!found) throw new Error(`unknown option ${id}`);
  return found;
}

export function isOptionId(id: string): id is OptionId {
  return (OPTION_IDS as readonly string[]).includes(id);
}

export function optionValues(id: OptionId): string[] {
  return optionDeclaration(id).choices.map((c) => c.value);
}

export function defaultValue(id: OptionId): string {
  return optionValues(id)[0] ?? '';
}

/** Where a value came from, naming its key, for messages: `--auth`, `agent.md:4: scaffold: auth`. */
export interface ValueSource {
  where: string;
  /** Flags: `jwt,api-key` is a list. Other sources give lists as lists. */
  commaList?: boolean;
  /** Manifests: a multi option must be a list and any other a string; nothing is coerced. */
  strictTypes?: boolean;
}

function describeRaw(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'a mapping';
  return JSON.stringify(raw);
}

/**
 * The one check of an option's value, wherever it comes from (flags, prompts, `scaffold:` blocks,
 * manifests): the values it holds, in the option's vocabulary, or a UserError in one style,
 * `<where>: <what is wrong>`.
 */
export function checkOptionValue(id: string, raw: unknown, source: ValueSource): string[] {
  const { where } = source;
  if (!isOptionId(id)) {
    throw new UserError(`${where}: unknown option; options are ${OPTION_IDS.join(', ')}`);
  }
  const declaration = optionDeclaration(id);
  const multi = declaration.kind === 'multi';
  const vocabulary = optionValues(id);
  const expected = `${multi ? 'a list of ' : ''}one of ${vocabulary.join(', ')}`;
  if (source.strictTypes && (multi ? !Array.isArray(raw) : typeof raw !== 'string')) {
    throw new UserError(`${where}: must be ${expected}, not ${describeRaw(raw)}`);
  }
  const items: unknown[] = Array.isArray(raw) ? raw : [raw];
  const values: string[] = [];
  for (const item of items) {
    if (typeof item === 'boolean' && declaration.kind === 'boolean') {
      values.push(String(item));
      continue;
    }
    if (typeof item !== 'string') {
      throw new UserError(`${where}: must be ${expected}, not ${describeRaw(item)}`);
    }
    const parts = source.commaList ? item.split(',').map((v) => v.trim()) : [item.trim()];
    if (parts.some((p) => p === '')) {
      throw new UserError(`${where}: an empty value; expected ${expected}`);
    }
    values.push(...parts);
  }
  if (values.length === 0) throw new UserError(`${where}: no value; expected ${expected}`);
  for (const value of values) {
    if (!vocabulary.includes(value)) {
      throw new UserError(
        `${where}: ${JSON.stringify(value)} is not ${expected.replace(/^a list of /, '')}`,
      );
    }
  }
  const unique = [...new Set(values)];
  if (!multi && unique.length > 1) {
    throw new UserError(`${where}: takes one value, not ${unique.join(' and ')}`);
  }
  if (unique.length > 1 && unique.includes('none')) {
    throw new UserError(
      `${where}: "none" cannot be combined with ${unique.filter((v) => v !== 'none').join(', ')}`,
    );
  }
  return unique;
}
