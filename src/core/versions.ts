import type { ProjectSpec } from './spec.js';

/**
 * The one table of Python requirements the generator may write. Ranges start at the versions the
 * generated project is tested with and stop before the next major release.
 */
export const PYTHON_REQUIREMENTS = {
  fastapi: 'fastapi>=0.165,<1',
  pydantic: 'pydantic>=2.12,<3',
  pydanticSettings: 'pydantic-settings>=2.11,<3',
  sqlalchemy: 'sqlalchemy[asyncio]>=2.0.40,<3',
  alembic: 'alembic>=1.16,<2',
  uvicorn: 'uvicorn[standard]>=0.35,<1',
  aiosqlite: 'aiosqlite>=0.21,<1',
  asyncpg: 'asyncpg>=0.30,<1',
  pyjwt: 'pyjwt>=2.10,<3',
  pwdlib: 'pwdlib[argon2]>=0.2.1,<1',
  multipart: 'python-multipart>=0.0.20',
  emailValidator: 'email-validator>=2.2,<3',
  pytest: 'pytest>=8.4,<10',
  pytestAsyncio: 'pytest-asyncio>=1.0,<2',
  pytestCov: 'pytest-cov>=6.2,<8',
  httpx: 'httpx>=0.28,<1',
  ruff: 'ruff>=0.12',
  mypy: 'mypy>=1.17',
} as const;

type Requirement = keyof typeof PYTHON_REQUIREMENTS;

export function pythonDependencies(spec: Pick<ProjectSpec, 'db' | 'auth'>): {
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
  runtime.push(spec.db === 'postgresql' ? 'asyncpg' : 'aiosqlite');
  if (spec.auth === 'jwt') runtime.push('pyjwt', 'pwdlib', 'multipart', 'emailValidator');
  const dev: Requirement[] = ['pytest', 'pytestAsyncio', 'pytestCov', 'httpx', 'ruff', 'mypy'];
  const toSpecs = (keys: Requirement[]): string[] =>
    keys.map((k) => PYTHON_REQUIREMENTS[k]).sort((a, b) => a.localeCompare(b));
  return { dependencies: toSpecs(runtime), devDependencies: toSpecs(dev) };
}
