/**
 * The file-level judgement read before any option: is this guidance for building a Python
 * backend at all? A frontend, mobile, infrastructure or data-science guide often names the
 * backend's database, tokens and roles in passing; none of that is a practice for this project.
 * Pure and linear: each marker list is one pattern run once over the file.
 */
import type { AgentFile } from './agent.js';

/** Names of what Python backends are built with: one of them and the file is a backend guide. */
const BACKEND =
  /\b(?:fastapi|flask|django|litestar|starlette|quart|sanic|aiohttp|falcon|tornado|uvicorn|gunicorn|hypercorn|sqlalchemy|sqlmodel|tortoise|pydantic|alembic|aerich|celery|apirouter|asgi|wsgi|backgroundtasks)\b/gi;

/** Other kinds of work, each with the names that mark it. */
const OTHER: Array<{ kind: string; names: RegExp }> = [
  {
    kind: 'frontend',
    names:
      /\b(?:react|vue|angular|svelte|next\.js|nuxt|vite|tailwind|css|pinia|zustand|redux|storybook|vitest|jsx|tsx|single-file components?|components?|hooks?|browser|frontend|front-end)\b|前端|フロントエンド|프론트엔드|组件|コンポーネント|컴포넌트/gi,
  },
  {
    kind: 'mobile',
    names:
      /\b(?:ios|android|swift|swiftui|uikit|kotlin|jetpack compose|flutter|react native|xcode|xctest|testflight|keychain|swiftdata)\b/gi,
  },
  {
    kind: 'infrastructure',
    names:
      /\b(?:terraform|tfvars|tflint|helm|atlantis|pulumi|cloudformation|ansible|eks|ecr|terragrunt)\b/gi,
  },
  {
    kind: 'data science',
    names:
      /\b(?:jupyter|notebooks?|pandas|numpy|scikit-learn|sklearn|matplotlib|seaborn|dataframes?)\b/gi,
  },
];

/** Distinct names a pattern finds, lower-cased, the first few in file order. */
function distinct(text: string, pattern: RegExp): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(pattern)) names.add(match[0].toLowerCase());
  return [...names];
}

export interface FileJudgement {
  backend: boolean;
  /** When it is not: the kind of work it is about, and the names that say so. */
  kind?: string;
  names?: string[];
}

/** Globs that name Python files: a rule applied to them is about Python code. */
const PYTHON_GLOB = /\.py\b/;

/**
 * Whether the file is guidance for building a Python backend: yes, unless it names no backend
 * framework, ORM or server at all and names at least three distinct things of one other kind of
 * work (a file that only lists practices, "Use PostgreSQL and JWT", is a backend guide).
 */
export function judgeFile(agent: AgentFile): FileJudgement {
  const { globs = [], applyTo = '' } = agent.metadata;
  if ([...globs, applyTo].some((g) => PYTHON_GLOB.test(g))) return { backend: true };
  if (distinct(agent.text, BACKEND).length > 0) return { backend: true };
  let best: { kind: string; names: string[] } | null = null;
  for (const { kind, names } of OTHER) {
    const found = distinct(agent.text, names);
    if (!best || found.length > best.names.length) best = { kind, names: found };
  }
  if (!best || best.names.length < 3) return { backend: true };
  return { backend: false, kind: best.kind, names: best.names.slice(0, 4) };
}
