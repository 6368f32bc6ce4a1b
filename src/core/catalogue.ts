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

export { anyOf, followedBy, type TextTest } from './text-tests.js';
import { anyOf, followedBy, type TextTest } from './text-tests.js';

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

// Words for a topic in the languages detection reads (see practices-cues.ts): context for names
// such as Redis or JSON, whose meaning depends on what is said around them.
const CACHE =
  /\bcach(?:e|es|ed|ing)\b|\bcach[ée](?![a-z])|\bcache(?:an|ar|ados?)\b|缓存|快取|キャッシュ|캐시/i;
const RATE_LIMIT = new RegExp(
  [
    '\\brate[- ]?limit\\w*|\\blimiter\\b|\\bthrottl\\w*|\\bratenlimit\\w*|\\bratenbegrenzung\\b|\\blimitation de débit|\\btasa de peticiones\\b|\\blimite de requisições|限流|速率限制|レート制限|レートリミット|레이트 리밋|속도 제한|요청 제한',
    // A rate stated as one: "60 requests per minute", "60 peticiones por minuto", "분당 120회".
    '\\b(?:requests?|calls?|req)\\s*(?:per|an?|/)\\s*(?:second|minute|hour|day|sec|min|s)\\b|\\b(?:rps|rpm)\\b',
    '\\b(?:peticiones|solicitudes|llamadas|requisições|pedidos|chamadas) por (?:segundo|minuto|hora|día|dia)\\b',
    '\\b(?:requêtes|appels) par (?:seconde|minute|heure|jour)\\b|\\b(?:anfragen|requests|aufrufe) pro (?:sekunde|minute|stunde|tag)\\b',
    '每(?:秒|分钟|小时)|次/(?:秒|分钟)|(?:秒|分)(?:あたり|間に|ごと)|毎(?:秒|分)|초당|분당|시간당',
  ].join('|'),
  'i',
);
const BROKER = /\bbroker\b|\bcelery\b|\b(?:task|job|message) queues?\b|ブローカー|브로커|消息代理/i;
const LOGS =
  /\blog(?:s|ging|ger|gers)?\b|\bjournaux\b|\bjournalisation\b|\bregistros\b|\bprotokoll\w*|日志|ログ|로그/i;
/** Access and who has it: context for "profiles" that are roles. */
const ACCESS =
  /\b(?:acceso|acesso|accès|permisos|permissões|permissions|autorizaci[oó]n|autoriza[çc][ãa]o|autorisation|droits|admin\w*|usuarios?|usuários?|utilisateurs?|endpoints?|rutas|rotas|routes|rol|roles|papel|papéis|rôles?)\b/i;
/** "Redis ... (it is not used as a cache)": about Redis being something else, not about caching. */
const NOT_A_CACHE = /\bnot (?:used )?as an? cache\b|\bnot an? cache\b/i;

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
  {
    // "Migrations are required" names no tool: the practice is stated, the tool is the default.
    id: 'migrations',
    label: 'Migrations',
    option: 'migrations',
    value: 'alembic',
    weak: true,
    patterns: [
      /\bmigrations?\b/i,
      /\bmigraciones\b/i,
      /\bmigrações/i,
      /\bmigrationen\b/i,
      /迁移/,
      /マイグレーション/,
      /마이그레이션/,
    ],
    exclude: /\bdata migrations?\b/i,
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
    patterns: [
      /\bapi[- ]?keys?\b/i,
      /\bclaves? de api\b/i,
      /\bchaves? de api\b/i,
      /\bclés? d['’]api\b/i,
      /\bapi-schlüssel/i,
      /\bapi ?키/i,
      /\bapi ?キー/i,
      /\bapi ?密钥/i,
    ],
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
      // Role checks named in code, in each language: `requiere_rol(...)`, `@requer_perfil("admin")`.
      /\broles?_required\b/i,
      /\brequiere_(?:rol|roles|perfil|perfiles)\b/i,
      /\brequer_(?:papel|papeis|perfil|perfis)\b/i,
      /\brequiert_(?:r[oô]les?|profils?)\b/i,
      /\berfordert_rollen?\b/i,
      // "Access is split by role: `clerk` ...", "carry the `agent` role", and other languages.
      /\b(?:split|grouped|separated|checked|scoped|restricted) by role\b/i,
      /`[\w-]+` role\b/i,
      /\brollen\b/i,
      /\brôles\b/i,
      /\bpapéis\b/i,
      /角色/,
      /(?<!ント)ロール(?!バック)/,
      /역할/,
    ],
  },
  {
    // "Profiles" as roles, in the languages that name them so ("tres perfiles de usuario", "perfis
    // de acesso"): only near access, permissions or users, as a profile is often a user's page.
    id: 'roles-profiles',
    label: 'Role-based access control',
    option: 'roles',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bperfiles\b/i, /\bperfis\b/i, /\bprofils\b/i],
    context: ACCESS,
  },
  // HTTP surface
  {
    id: 'websocket',
    label: 'WebSockets',
    option: 'websocket',
    value: 'true',
    negatedValue: 'false',
    patterns: [/\bweb ?sockets?\b/i, /\bsocket\.?io\b/i, /웹소켓/, /ウェブソケット/],
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
      /\bcabeçalhos de segurança/i,
      /\bcabeceras de seguridad\b/i,
      /\ben-têtes de sécurité/i,
      /\bsicherheits-?header\b/i,
      /安全头/,
      /セキュリティヘッダ/,
      /보안 헤더/,
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
    patterns: [
      /\brate[- ]?limit\w*/i,
      /\bthrottl\w*/i,
      /\bslowapi\b/i,
      /\bratenlimit\w*/i,
      /\bratenbegrenzung\b/i,
      /\blimitation de débit/i,
      /\btasa de peticiones\b/i,
      /\blimite de requisições/i,
      /限流/,
      /速率限制/,
      /レート制限/,
      /レートリミット/,
      /레이트 리밋/,
      /속도 제한/,
    ],
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
    patterns: [
      /\bin[- ](?:memory|process)\b/i,
      /\bper[- ]process\b/i,
      /\ben mémoire/i,
      /\bem memória/i,
      /\ben memoria\b/i,
      /\bim speicher\b/i,
      /内存/,
      /メモリ/,
      /메모리/,
    ],
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
    exclude: NOT_A_CACHE,
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
      /\bcache en mémoire/i,
      /\bcache em memória/i,
      /\bcaché en memoria\b/i,
      /内存缓存/,
      /メモリキャッシュ/,
      /메모리 캐시/,
    ],
  },
  {
    id: 'caching',
    label: 'Caching',
    option: 'cache',
    negatedValue: 'none',
    weak: true,
    patterns: [
      /\bcach(?:e|es|ed|ing)\b/i,
      /\bcach[ée](?![a-z])/i,
      /\bcache(?:an|ar|ados?)\b/i,
      /缓存/,
      /快取/,
      /キャッシュ/,
      /캐시/,
    ],
    exclude: NOT_A_CACHE,
  },
  // Background work
  {
    id: 'background-tasks',
    label: 'Background tasks',
    option: 'tasks',
    value: 'background',
    patterns: [/\bbackground[- ]?tasks?\b/i],
  },
  {
    // "Background work" in other languages names the kind of work, not FastAPI's BackgroundTasks:
    // it counts when no tool (Celery) is named.
    id: 'background-work',
    label: 'Background work',
    option: 'tasks',
    value: 'background',
    weak: true,
    patterns: [
      /\btâches de fond\b/i,
      /\btareas en segundo plano\b/i,
      /\btarefas em segundo plano\b/i,
      /\bhintergrund(?:aufgaben|jobs|tasks)\b/i,
      /后台任务/,
      /バックグラウンドタスク/,
      /백그라운드 작업/,
    ],
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
    patterns: [
      /\bplain[- ]text\b/i,
      /\btext logs?\b/i,
      /\btexto simples\b/i,
      /\btexto plano\b/i,
      /\btexte brut\b/i,
      /\bklartext\b/i,
      /纯文本/,
      /プレーンテキスト/,
      /일반 텍스트/,
    ],
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
