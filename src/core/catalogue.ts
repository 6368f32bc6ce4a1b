import type { OptionId } from './options.js';

/**
 * Practices a generated project always applies: they have no option, but a guidance file can
 * state them, and the project's README says where each one lives.
 */
export const FIXED_PRACTICES = [
  { id: 'routers', label: 'Router modules', where: 'app/<domain>/router.py, app/api/router.py' },
  { id: 'schemas', label: 'Pydantic schemas', where: 'app/<domain>/schemas.py' },
  { id: 'services', label: 'Service layer', where: 'app/<domain>/service.py' },
  {
    id: 'dependency-injection',
    label: 'Dependency injection',
    where: 'app/<domain>/dependencies.py, app/db/session.py',
  },
  { id: 'settings', label: 'Settings from the environment', where: 'app/core/config.py, .env' },
  {
    id: 'password-hashing',
    label: 'Password hashing (Argon2)',
    where: 'app/core/security.py',
  },
  { id: 'health-checks', label: 'Health checks', where: 'app/api/health.py' },
  { id: 'tests', label: 'pytest with async tests', where: 'tests/' },
] as const;

export type FixedPracticeId = (typeof FIXED_PRACTICES)[number]['id'];

/** Anything that tells whether a text matches: a RegExp, or a rule made of several. */
export interface TextTest {
  test(text: string): boolean;
}

const LINE_BREAKS = /[\n\r\u2028\u2029]/g;

/**
 * A match of `first`, then one of `then` later on the same line: what `/first.*then/` matches,
 * read in one pass. That regex runs `.*` to the end of the line from every match of `first`, so on
 * a long line with many of them it costs the square of the line's length. Exact when `first`
 * matches whole words (it ends with `\b`) and holds no line break.
 */
export function followedBy(first: RegExp, then: RegExp): TextTest {
  const global = (r: RegExp): RegExp => new RegExp(r.source, `${r.flags.replace('g', '')}g`);
  const a = global(first);
  const b = global(then);
  const lineBreaks = new RegExp(LINE_BREAKS.source, 'g');
  return {
    test(text) {
      for (let from = 0; from <= text.length;) {
        a.lastIndex = from;
        const lead = a.exec(text);
        if (!lead) return false;
        const after = lead.index + lead[0].length;
        lineBreaks.lastIndex = after;
        const lineEnd = lineBreaks.exec(text)?.index ?? text.length;
        b.lastIndex = after;
        const next = b.exec(text);
        if (!next) return false;
        if (next.index < lineEnd) return true;
        from = lineEnd + 1;
      }
      return false;
    },
  };
}

/** A text matching any of `tests`. */
export function anyOf(...tests: TextTest[]): TextTest {
  return { test: (text) => tests.some((t) => t.test(text)) };
}

/**
 * How one practice is recognised in a guidance file.
 * - `value`: the option value a positive statement sets (none: the statement only names the topic).
 * - `negatedValue`: the value a negative statement sets ("No WebSockets" -> false, "no caching" -> none).
 * - `weak`: its values count only when nothing more specific is stated for the option.
 * - `context`: the sentence (or its heading) must also match: Redis is a cache only near "cache".
 * - `exclude`: a sentence matching this is not evidence.
 */
export interface Practice {
  id: string;
  label: string;
  option: OptionId | FixedPracticeId;
  value?: string;
  negatedValue?: string;
  weak?: boolean;
  patterns: readonly RegExp[];
  context?: RegExp;
  exclude?: TextTest;
}

const CACHE = /\bcach(?:e|es|ed|ing)\b/i;
const RATE_LIMIT = /\brate[- ]?limit\w*|\blimiter\b|\bthrottl\w*/i;
const BROKER = /\bbroker\b|\bcelery\b|\b(?:task|job|message) queues?\b/i;
const LOGS = /\blog(?:s|ging|ger|gers)?\b/i;

/** Every practice the generator knows, in one place. Patterns are matched case-insensitively. */
export const PRACTICES: readonly Practice[] = [
  // Database
  {
    id: 'sqlite',
    label: 'SQLite',
    option: 'db',
    value: 'sqlite',
    patterns: [/\bsqlite\d?\b/i, /\baiosqlite\b/i],
  },
  {
    id: 'postgresql',
    label: 'PostgreSQL',
    option: 'db',
    value: 'postgresql',
    patterns: [/\bpostgres(?:ql)?\b/i, /\basyncpg\b/i, /\bpsycopg\d?\b/i],
  },
  {
    id: 'mysql',
    label: 'MySQL / MariaDB',
    option: 'db',
    value: 'mysql',
    patterns: [/\bmysql\b/i, /\bmariadb\b/i, /\baiomysql\b/i, /\basyncmy\b/i],
  },
  // ORM and migrations
  {
    id: 'sqlalchemy',
    label: 'SQLAlchemy',
    option: 'orm',
    value: 'sqlalchemy',
    patterns: [/\bsqlalchemy\b/i],
  },
  {
    id: 'sqlmodel',
    label: 'SQLModel',
    option: 'orm',
    value: 'sqlmodel',
    patterns: [/\bsqlmodel\b/i],
  },
  {
    id: 'tortoise',
    label: 'Tortoise ORM',
    option: 'orm',
    value: 'tortoise',
    patterns: [/\btortoise\b/i],
  },
  {
    id: 'alembic',
    label: 'Alembic migrations',
    option: 'migrations',
    value: 'alembic',
    patterns: [/\balembic\b/i],
  },
  {
    id: 'aerich',
    label: 'Aerich migrations',
    option: 'migrations',
    value: 'aerich',
    patterns: [/\baerich\b/i],
  },
  // Authentication and authorisation
  {
    id: 'jwt',
    label: 'OAuth2 password flow with JWT',
    option: 'auth',
    value: 'jwt',
    patterns: [/\bjwts?\b/i, /\bjson web tokens?\b/i, /\boauth ?2\b/i, /\bbearer\b/i],
  },
  {
    id: 'api-key',
    label: 'API keys',
    option: 'auth',
    value: 'api-key',
    patterns: [/\bapi[- ]?keys?\b/i],
  },
  {
    id: 'authentication',
    label: 'Authentication',
    option: 'auth',
    negatedValue: 'none',
    weak: true,
    patterns: [/\bauth(?:entication|enticated)?\b/i],
  },
  {
    id: 'roles',
    label: 'Role-based access control',
    option: 'roles',
    value: 'true',
    negatedValue: 'false',
    patterns: [
      /\brbac\b/i,
      /\brole[- ]based\b/i,
      /\broles\b/i,
      /\badmin[- ]only\b/i,
      /\b(?:permissions?|access) by role\b/i,
      /\brequire_roles?\b/i,
    ],
  },
  // HTTP surface
  {
    id: 'websocket',
    label: 'WebSockets',
    option: 'websocket',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bweb ?sockets?\b/i],
  },
  {
    id: 'cors',
    label: 'CORS',
    option: 'cors',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bcors(?:middleware)?\b/i, /\bcross[- ]origin\b/i],
  },
  {
    id: 'security-headers',
    label: 'Security headers',
    option: 'security-headers',
    value: 'true',
    negatedValue: 'false',
    patterns: [
      /\bsecurity[- ]headers?\b/i,
      /\bsecure headers\b/i,
      /\bstrict-transport-security\b/i,
      /\bhsts\b/i,
      /\bx-frame-options\b/i,
      /\bcontent-security-policy\b/i,
    ],
  },
  {
    id: 'rate-limiting',
    label: 'Rate limiting',
    option: 'rate-limit',
    value: 'memory',
    negatedValue: 'off',
    weak: true,
    patterns: [/\brate[- ]?limit\w*/i, /\bthrottl\w*/i, /\bslowapi\b/i],
  },
  {
    id: 'rate-limiting-redis',
    label: 'Rate limiting in Redis',
    option: 'rate-limit',
    value: 'redis',
    patterns: [/\bredis\b/i],
    context: RATE_LIMIT,
  },
  {
    id: 'rate-limiting-memory',
    label: 'In-memory rate limiting',
    option: 'rate-limit',
    value: 'memory',
    patterns: [/\bin[- ](?:memory|process)\b/i, /\bper[- ]process\b/i],
    context: RATE_LIMIT,
  },
  {
    id: 'versioning',
    label: 'API versioning',
    option: 'versioning',
    value: 'path',
    negatedValue: 'none',
    patterns: [
      /\/api\/v\d+\b/i,
      /\bapi versioning\b/i,
      /\bversioned (?:api|routes|endpoints|urls?)\b/i,
      /\bversioning\b/i,
    ],
    exclude: /\b(?:data|model|dataset|schema|package|dependency|semantic) versioning\b/i,
  },
  // Caching
  {
    id: 'redis-cache',
    label: 'Redis caching',
    option: 'cache',
    value: 'redis',
    patterns: [/\bredis\b/i],
    context: CACHE,
  },
  {
    id: 'memory-cache',
    label: 'In-memory caching',
    option: 'cache',
    value: 'memory',
    patterns: [
      /\bin[- ](?:memory|process)(?: [\w-]+)? cach\w*/i,
      /\blru cache\b/i,
      /\bmemory cache\b/i,
      /\blru_cache\b/i,
      /\bcachetools\b/i,
      /\bttlcache\b/i,
    ],
  },
  {
    id: 'caching',
    label: 'Caching',
    option: 'cache',
    negatedValue: 'none',
    weak: true,
    patterns: [CACHE],
  },
  // Background work
  {
    id: 'background-tasks',
    label: 'Background tasks',
    option: 'tasks',
    value: 'background',
    patterns: [/\bbackground[- ]?tasks?\b/i],
  },
  { id: 'celery', label: 'Celery', option: 'tasks', value: 'celery', patterns: [/\bcelery\b/i] },
  {
    id: 'redis-broker',
    label: 'Redis as the broker',
    option: 'broker',
    value: 'redis',
    patterns: [/\bredis\b/i],
    context: BROKER,
  },
  {
    id: 'rabbitmq',
    label: 'RabbitMQ',
    option: 'broker',
    value: 'rabbitmq',
    patterns: [/\brabbit ?mq\b/i, /\bamqp\b/i],
  },
  // Operations
  {
    id: 'json-logging',
    label: 'Structured (JSON) logging',
    option: 'logging',
    value: 'json',
    patterns: [/\bstructured log\w*/i, /\bstructlog\b/i, /\bjson\b/i],
    context: LOGS,
  },
  {
    id: 'text-logging',
    label: 'Plain text logging',
    option: 'logging',
    value: 'text',
    patterns: [/\bplain[- ]text\b/i, /\btext logs?\b/i],
    context: LOGS,
  },
  {
    id: 'logging',
    label: 'Logging',
    option: 'logging',
    value: 'text',
    weak: true,
    patterns: [/\blogging\b/i],
  },
  {
    id: 'metrics',
    label: 'Metrics and monitoring',
    option: 'metrics',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bprometheus\b/i, /\bopentelemetry\b/i, /\bmonitoring\b/i, /\bgrafana\b/i],
  },
  {
    // "metrics" alone is often domain data ("vital-sign metrics"): only about the service itself.
    id: 'service-metrics',
    label: 'Metrics',
    option: 'metrics',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bmetrics\b/i],
    context:
      /\b(?:expose[sd]?|export(?:s|ed)?|emit(?:s|ted)?|collect(?:s|ed)?|scrape[sd]?|endpoint|dashboards?|observability|telemetry|latency|requests?|\/metrics)\b/i,
  },
  {
    id: 'docker',
    label: 'Docker',
    option: 'docker',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bdocker\w*\b/i, /\bcontaineri[sz]\w*/i, /\bcontainer images?\b/i],
  },
  // Tooling
  { id: 'uv', label: 'uv', option: 'python-tool', value: 'uv', patterns: [/\buv\b/i] },
  {
    id: 'poetry',
    label: 'Poetry',
    option: 'python-tool',
    value: 'poetry',
    patterns: [/\bpoetry\b/i],
  },
  {
    id: 'pip',
    label: 'pip',
    option: 'python-tool',
    value: 'pip',
    patterns: [/(?<!\buv )\bpip\b/i, /\brequirements\.txt\b/i, /\bpip-tools\b/i],
  },
  {
    id: 'github-actions',
    label: 'GitHub Actions',
    option: 'ci',
    value: 'github',
    patterns: [/\bgithub actions\b/i, /\.github\/workflows\b/i],
  },
  {
    id: 'ci',
    label: 'Continuous integration',
    option: 'ci',
    negatedValue: 'none',
    weak: true,
    patterns: [/\bci\b/i, /\bcontinuous integration\b/i],
  },
  // Always applied
  {
    id: 'routers',
    label: 'Router modules',
    option: 'routers',
    patterns: [/\brouters?\b/i, /\bapirouter\b/i],
  },
  {
    id: 'schemas',
    label: 'Pydantic schemas',
    option: 'schemas',
    patterns: [/\bpydantic\b/i, /\bschemas\b/i],
  },
  {
    id: 'services',
    label: 'Service layer',
    option: 'services',
    patterns: [
      /\bservice layer\b/i,
      /\bservices?\b(?= (?:module|class|function)s?\b)/i,
      /\bbusiness logic\b/i,
    ],
  },
  {
    id: 'dependency-injection',
    label: 'Dependency injection',
    option: 'dependency-injection',
    patterns: [/\bdependency injection\b/i, /\bdepends\(/i, /\bdependencies\b/i],
    // "install ... dependencies", "dependencies ... pyproject": packages, not injection.
    exclude: anyOf(
      followedBy(/\b(?:install|pin|lock|upgrade)\w*\b/i, /\bdependencies\b/i),
      followedBy(/\bdependencies\b/i, /\b(?:requirements|pyproject|lock)/i),
    ),
  },
  {
    id: 'settings',
    label: 'Settings from the environment',
    option: 'settings',
    patterns: [
      /\bpydantic-settings\b/i,
      /\benvironment variables\b/i,
      /\bconfiguration management\b/i,
      /\bbasesettings\b/i,
    ],
  },
  {
    id: 'password-hashing',
    label: 'Password hashing',
    option: 'password-hashing',
    patterns: [
      /\bpassword hashing\b/i,
      /\bhash(?:es|ed|ing)? (?:the )?passwords?\b/i,
      /\bargon2\b/i,
      /\bbcrypt\b/i,
      /\bpasslib\b/i,
      /\bpwdlib\b/i,
    ],
  },
  {
    id: 'health-checks',
    label: 'Health checks',
    option: 'health-checks',
    // "readiness" alone is often "production readiness": only a readiness probe, check or endpoint.
    patterns: [
      /\bhealth[- ]?checks?\b/i,
      /\/health\b/i,
      /\bliveness\b/i,
      /\breadiness (?:probes?|checks?|endpoints?)\b/i,
    ],
  },
  {
    id: 'tests',
    label: 'pytest with async tests',
    option: 'tests',
    patterns: [/\bpytest\b/i, /\btestclient\b/i, /\basync tests?\b/i, /\basyncclient\b/i],
  },
];
