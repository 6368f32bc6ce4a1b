import { activeFeatures } from './features.js';
import type { EndpointSpec } from './endpoints.js';
import type { OptionValues } from './options.js';
import type { ModuleSpec } from './modules.js';
import type { ResourceSpec } from './resources.js';

/**
 * The one table of Python requirements the generator may write. Each range starts at the version
 * the generated project is tested with and stops before the next major release (ruff before the
 * next minor: its rules and formatter style change between minors).
 */
export const PYTHON_REQUIREMENTS = {
  fastapi: 'fastapi>=0.165,<1',
  pydantic: 'pydantic>=2.14,<3',
  pydanticSettings: 'pydantic-settings>=2.16,<3',
  sqlalchemy: 'sqlalchemy[asyncio]>=2.1,<3',
  sqlmodel: 'sqlmodel>=0.0.50,<0.1',
  alembic: 'alembic>=1.20,<2',
  tortoise: 'tortoise-orm>=1.1.9,<2',
  aerich: 'aerich>=0.10.1,<0.11',
  uvicorn: 'uvicorn[standard]>=0.54,<1',
  aiosqlite: 'aiosqlite>=0.22,<1',
  asyncpg: 'asyncpg>=0.32,<1',
  aiomysql: 'aiomysql>=0.3.2,<1',
  pyjwt: 'pyjwt>=2.15,<3',
  pwdlib: 'pwdlib[argon2]>=0.3.1,<1',
  multipart: 'python-multipart>=0.0.34,<1',
  emailValidator: 'email-validator>=2.4,<3',
  pytest: 'pytest>=9.2,<10',
  pytestAsyncio: 'pytest-asyncio>=1.5,<2',
  pytestCov: 'pytest-cov>=7.1,<8',
  httpx: 'httpx>=0.28.1,<1',
  httpxWs: 'httpx-ws>=0.9,<1',
  ruff: 'ruff>=0.17.6,<0.18',
  mypy: 'mypy>=2.4,<3',
} as const;

export type Requirement = keyof typeof PYTHON_REQUIREMENTS;

/** What every project needs, whatever its options. */
const ALWAYS: readonly Requirement[] = ['fastapi', 'pydantic', 'pydanticSettings', 'uvicorn'];
const ALWAYS_DEV: readonly Requirement[] = [
  'pytest',
  'pytestAsyncio',
  'pytestCov',
  'httpx',
  'ruff',
  'mypy',
];

/** The project's requirements: the base, its features' (features.ts), its resources' and modules'. */
export function pythonDependencies(
  options: OptionValues,
  resources: readonly ResourceSpec[] = [],
  modules: readonly ModuleSpec[] = [],
  endpoints: readonly EndpointSpec[] = [],
): {
  dependencies: string[];
  devDependencies: string[];
} {
  const features = activeFeatures(options);
  const runtime = new Set<Requirement>([
    ...ALWAYS,
    ...features.flatMap((f) => f.requirements ?? []),
  ]);
  const dev = new Set<Requirement>([
    ...ALWAYS_DEV,
    ...features.flatMap((f) => f.devRequirements ?? []),
  ]);
  // pydantic's EmailStr needs email-validator.
  const schemaFields = endpoints.flatMap((e) =>
    [e.request, e.response].flatMap((s) => (s && 'fields' in s ? s.fields : [])),
  );
  if (
    resources.some((r) => r.fields.some((f) => f.type === 'email')) ||
    schemaFields.some((f) => f.type === 'email')
  )
    runtime.add('emailValidator');
  // Tests speak WebSocket to the app in their own event loop through httpx-ws's ASGI transport.
  if (modules.some((m) => m.kind === 'websocket')) dev.add('httpxWs');
  const toSpecs = (keys: Iterable<Requirement>): string[] =>
    // Plain code-unit order: localeCompare would load ICU collation data at start-up.
    [...keys].map((k) => PYTHON_REQUIREMENTS[k]).sort();
  return { dependencies: toSpecs(runtime), devDependencies: toSpecs(dev) };
}

/** PEP 503's normal form of a distribution name: `Pydantic_Settings` -> `pydantic-settings`. */
export const normalDistribution = (name: string): string =>
  name.toLowerCase().replace(/[-_.]+/g, '-');

/** The distribution names of every requirement the generator may write. */
export const REQUIRED_DISTRIBUTIONS: ReadonlySet<string> = new Set(
  Object.values(PYTHON_REQUIREMENTS).map((spec) =>
    normalDistribution(/^[A-Za-z0-9._-]+/.exec(spec)?.[0] ?? spec),
  ),
);
