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
  /** The values the generator can render today; the others fall back to `nearest`. */
  renders: readonly string[];
  /** For a value not rendered yet, the rendered value closest to it. */
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
    renders: ['sqlite', 'postgresql'],
    nearest: { mysql: 'postgresql' },
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
    renders: ['sqlalchemy'],
    nearest: { sqlmodel: 'sqlalchemy', tortoise: 'sqlalchemy' },
  },
  {
    id: 'migrations',
    kind: 'choice',
    message: 'Migrations',
    choices: [
      { value: 'alembic', label: 'Alembic' },
      { value: 'aerich', label: 'Aerich' },
    ],
    renders: ['alembic'],
    nearest: { aerich: 'alembic' },
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
    renders: ['jwt', 'none'],
    nearest: { 'api-key': 'jwt' },
    ask: true,
  },
  {
    id: 'roles',
    kind: 'boolean',
    message: 'Role-based access control',
    choices: yesNo('admin and user roles', 'no roles'),
    renders: ['true'],
    nearest: { false: 'true' },
  },
  {
    id: 'websocket',
    kind: 'boolean',
    message: 'WebSocket endpoints',
    choices: yesNo('a WebSocket endpoint', 'none'),
    renders: ['false'],
    nearest: { true: 'false' },
  },
  {
    id: 'cors',
    kind: 'boolean',
    message: 'CORS',
    choices: yesNo('CORS middleware, origins from settings', 'none'),
    renders: ['true'],
    nearest: { false: 'true' },
  },
  {
    id: 'security-headers',
    kind: 'boolean',
    message: 'Security headers',
    choices: yesNo('security headers middleware', 'none'),
    renders: ['false'],
    nearest: { true: 'false' },
  },
  {
    id: 'metrics',
    kind: 'boolean',
    message: 'Metrics',
    choices: yesNo('Prometheus metrics', 'none'),
    renders: ['false'],
    nearest: { true: 'false' },
  },
  {
    id: 'docker',
    kind: 'boolean',
    message: 'Docker',
    choices: yesNo('Dockerfile', 'none'),
    renders: ['true'],
    nearest: { false: 'true' },
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
    renders: ['none'],
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
    renders: ['off'],
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
    renders: ['background'],
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
    // Only used with Celery, which falls back to BackgroundTasks for now.
    renders: ['redis', 'rabbitmq'],
  },
  {
    id: 'logging',
    kind: 'choice',
    message: 'Logging',
    choices: [
      { value: 'text', label: 'Plain text' },
      { value: 'json', label: 'JSON (structured)' },
    ],
    renders: ['text'],
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
    renders: ['path'],
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
    renders: ['uv', 'pip'],
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
    renders: ['none'],
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

/** The value the generator will render for `value`: itself, or the nearest it can render. */
export function renderedValue(id: OptionId, value: string): string {
  const option = optionDeclaration(id);
  if (option.renders.includes(value)) return value;
  return option.nearest?.[value] ?? option.renders[0] ?? value;
}
