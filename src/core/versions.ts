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
  alembic: 'alembic>=1.20,<2',
  uvicorn: 'uvicorn[standard]>=0.54,<1',
  aiosqlite: 'aiosqlite>=0.22,<1',
  asyncpg: 'asyncpg>=0.32,<1',
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

type Requirement = keyof typeof PYTHON_REQUIREMENTS;

export function pythonDependencies(
  options: Pick<OptionValues, 'db' | 'auth'>,
  resources: readonly ResourceSpec[] = [],
  modules: readonly ModuleSpec[] = [],
): {
  dependencies: string[];
  devDependencies: string[];
} {
  const runtime: Requirement[] = [
    'fastapi',
    'pydantic',
    'pydanticSettings',
    'sqlalchemy',
    'alembic',
    'uvicorn',
  ];
  runtime.push(options.db === 'postgresql' ? 'asyncpg' : 'aiosqlite');
  const jwt = options.auth.includes('jwt');
  if (jwt) runtime.push('pyjwt', 'pwdlib', 'multipart');
  // Users have email addresses, and so may resources: pydantic's EmailStr needs email-validator.
  if (jwt || resources.some((r) => r.fields.some((f) => f.type === 'email'))) {
    runtime.push('emailValidator');
  }
  const dev: Requirement[] = ['pytest', 'pytestAsyncio', 'pytestCov', 'httpx', 'ruff', 'mypy'];
  // Tests speak WebSocket to the app in their own event loop through httpx-ws's ASGI transport.
  if (modules.some((m) => m.kind === 'websocket')) dev.push('httpxWs');
  const toSpecs = (keys: Requirement[]): string[] =>
    // Plain code-unit order: localeCompare would load ICU collation data at start-up.
    keys.map((k) => PYTHON_REQUIREMENTS[k]).sort();
  return { dependencies: toSpecs(runtime), devDependencies: toSpecs(dev) };
}
