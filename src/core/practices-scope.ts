/**
 * The file-level judgement read before any option: is this guidance for building a Python
 * backend at all? A frontend, mobile, infrastructure or data guide often names the backend's
 * framework, database, tokens and roles in passing, as someone else's system; none of that is a
 * practice for this project. The judgement weighs what the file is about (its description, its
 * title and introduction, its headings), what it says it does not do ("you do not build web
 * services", "the backend is in another repository") and the bulk of what it names. Pure and
 * linear: each marker list is one pattern run once over the file (or over its introduction).
 */
import type { AgentFile } from './agent.js';

/** Names of what Python backends are built with: the frameworks, ORMs and servers. */
const BACKEND =
  /\b(?:fastapi|flask|django|litestar|starlette|quart|sanic|aiohttp|falcon|tornado|uvicorn|gunicorn|hypercorn|sqlalchemy|sqlmodel|tortoise|pydantic|alembic|aerich|celery|apirouter|asgi|wsgi|backgroundtasks)\b/i;

/** A backend developer's role, in each language: "You are a backend engineer". */
const BACKEND_ROLE =
  /\bbackend[- ](?:engineer|developer|agent|entwickler\w*|agent\w*)|\b(?:développeu\w+|ingénieu\w+|desarrollador\w*|ingenier\w+|desenvolvedor\w*|engenheir\w+) (?:backend|back-end)|后端(?:工程师|开发)|バックエンド(?:エンジニア|開発者)|백엔드 (?:개발자|엔지니어)/i;

/** Other kinds of work, each with the names that mark it. */
const OTHER: Array<{ kind: string; names: RegExp }> = [
  {
    kind: 'frontend',
    names:
      /\b(?:react|vue|angular|svelte|next\.js|nuxt|vite|tailwind|css|pinia|zustand|redux|storybook|vitest|jest|jsx|tsx|localstorage|single-file components?|components?|composants?|componentes?|komponenten|hooks?|browser|frontend|front-end|front-office)\b|前端|フロントエンド|프론트엔드|组件|コンポーネント|컴포넌트/i,
  },
  {
    kind: 'mobile',
    names:
      /\b(?:ios|android|swift|swiftui|uikit|kotlin|jetpack compose|flutter|react native|xcode|xctest|testflight|keychain|swiftdata)\b/i,
  },
  {
    kind: 'infrastructure',
    names:
      /\b(?:terraform|tfvars|tflint|helm|atlantis|pulumi|cloudformation|ansible|eks|ecr|terragrunt)\b/i,
  },
  {
    kind: 'data science',
    names:
      /\b(?:jupyter|notebooks?|pandas|numpy|scikit-learn|sklearn|matplotlib|seaborn|dataframes?)\b/i,
  },
  {
    kind: 'data engineering',
    names:
      /\b(?:airflow|dags?|dbt|data engineering|data pipelines?|etl|elt|data warehouse|warehouse|snowflake|bigquery|redshift|dagster|prefect|pyspark|databricks|ingestion|lakehouse)\b|数据仓库|データウェアハウス|데이터 웨어하우스/i,
  },
];

/**
 * The file says the backend is not its work, in each language: "You do not build web services",
 * "the backend is in another repository", "another team handles it", "this repository holds only
 * the frontend".
 */
const NOT_OURS = new RegExp(
  [
    // English
    "\\b(?:you|we) (?:do not|don['’]t|never|will not|won['’]t) (?:build|write|change|touch|work on|maintain|own|develop)\\b[\\w ,]{0,30}?\\b(?:web services?|backends?|back-end|server code|server-side code)\\b",
    '\\b(?:the )?(?:backend|back-end|api|server)(?: code)? (?:is|lives) in (?:a |an )?(?:another|other|separate|different) (?:repo|repository|codebase)\\b',
    '\\b(?:another|a separate|a different|the backend) team (?:owns|maintains|handles|builds|runs) (?:the )?(?:backend|back-end|api|server)\\b',
    '\\b(?:this )?(?:repo|repository|project) (?:contains|holds|is) only (?:the )?(?:frontend|front-end|web app|mobile app|ui|client)\\b',
    // Spanish
    '\\bel (?:backend|servidor|api) (?:está|vive) en otro repositorio\\b',
    '\\botro equipo (?:se encarga|lo mantiene|mantiene)\\b',
    '\\bno (?:construyes|desarrollas|tocas|modificas|mantienes)\\b[\\p{L} ,]{0,30}?\\b(?:backend|servicios web|servidor)\\b',
    '\\b(?:contiene|tiene) (?:solo|solamente|únicamente) el (?:frontend|front-end|front)\\b',
    // Portuguese
    '\\bo (?:backend|servidor|api) (?:está|fica|vive) (?:em|num) outro repositório\\b',
    '\\boutra equipe (?:cuida|mantém|é responsável)\\b',
    '\\bvocê não (?:constrói|desenvolve|altera|mexe|mantém)\\b[\\p{L} ,]{0,30}?\\b(?:backend|serviços web|servidor)\\b',
    '\\bcontém (?:apenas|somente|só) o (?:frontend|front-end|front)\\b',
    // French
    "\\b(?:le )?(?:backend|back-end|serveur|l['’]api) (?:est|se trouve|vit) dans un autre (?:dépôt|repo|référentiel)\\b",
    "\\bune autre équipe (?:s['’]en occupe|le maintient|en est responsable)\\b",
    '\\b(?:tu ne|vous ne|nous ne|on ne) (?:construis|construisez|construit|développes|développez|modifies|modifiez|touches|touchez)\\w* (?:pas|jamais)\\b[\\p{L} ,]{0,30}?\\b(?:backend|services web|serveur)\\b',
    '\\bcontient (?:uniquement|seulement) le (?:front-office|frontend|front-end|front)\\b',
    // German
    '\\b(?:das )?(?:backend|api) (?:liegt|ist|lebt) in einem anderen (?:repo|repository)\\b',
    '\\bein anderes team (?:betreut|pflegt|verantwortet|entwickelt) (?:das )?(?:backend|api)\\b',
    '\\b(?:du|wir) (?:baust|bauen|entwickelst|entwickeln|änderst|ändern) keine?n? (?:web-?services?|backends?|server)\\b',
    '\\benthält nur das (?:frontend|front-end)\\b',
    // Chinese, Japanese, Korean
    '后端(?:代码)?(?:在|位于)(?:另一个|其他|单独的)(?:仓库|代码库)|(?:另一个|其他)团队负责(?:后端|API)|不(?:负责|开发|编写|修改)(?:后端|Web ?服务)|(?:只|仅)包含前端',
    'バックエンドは(?:別の?|他の)(?:リポジトリ|チーム)|(?:Web ?サービス|バックエンド)(?:を|は)(?:作り|構築し|開発し|変更し)ません|フロントエンドのみ',
    '백엔드는 다른 (?:저장소|레포|팀)|(?:웹 서비스|백엔드)(?:를|은|는) (?:만들지|개발하지|수정하지) 않|프론트엔드만',
  ].join('|'),
  'iu',
);

/**
 * The backend named as someone else's system, in each language: "the API handles auth", "côté
 * API", "la API devuelve un JWT", "由后端负责". Weaker than a disclaimer: a backend guide can say
 * it too, so it counts only in a file about another kind of work.
 */
const ELSEWHERE = new RegExp(
  [
    '\\bthe (?:api|backend|server) (?:handles|returns|issues|decides|enforces|manages|owns|sends|checks)\\b',
    '\\bla api (?:gestiona|devuelve|emite|decide|controla|se encarga)\\b|\\bel backend (?:gestiona|devuelve|decide|se encarga)\\b|\\blado del (?:servidor|backend|api)\\b',
    '\\ba api (?:cuida|retorna|devolve|emite|decide|controla)\\b|\\bo backend (?:cuida|retorna|decide)\\b|\\blado do (?:servidor|backend)\\b',
    "\\bl['’]api (?:gère|renvoie|émet|décide|contrôle|s['’]occupe)|\\ble backend (?:gère|renvoie|décide|s['’]occupe)|\\bcôté (?:api|serveur|backend)\\b",
    '\\bdie api (?:übernimmt|liefert|prüft|entscheidet|verwaltet)\\b|\\bdas backend (?:übernimmt|liefert|prüft|entscheidet)\\b|\\bserverseitig\\b',
    '由(?:后端|API|服务端)(?:负责|处理|决定|返回)|后端(?:负责|处理|返回)',
    '(?:API|バックエンド|サーバー)(?:側|がわ)で|(?:API|バックエンド)が(?:返|発行|管理|判定)',
    '(?:API|백엔드|서버) (?:측|쪽)에서|(?:API|백엔드)가 (?:처리|반환|발급|관리)',
  ].join('|'),
  'iu',
);

/** Distinct names a pattern finds, lower-cased, in file order. */
function distinct(text: string, pattern: RegExp): string[] {
  const names = new Set<string>();
  // A global copy: the shared patterns stay stateless (`test` on a global one moves lastIndex).
  for (const match of text.matchAll(new RegExp(pattern.source, `${pattern.flags}g`))) {
    names.add(match[0].toLowerCase());
  }
  return [...names];
}

/** Every other kind's names as one pattern, group k + 1 for OTHER[k]: one pass for all kinds. */
const OTHER_NAMES = new RegExp(OTHER.map((o) => `(${o.names.source})`).join('|'), 'gi');

/** The kind of other work `text` names the most distinct things of, and those names. */
function otherWork(text: string): { kind: string; names: string[]; pattern: RegExp } {
  const sets = OTHER.map(() => new Set<string>());
  for (const match of text.matchAll(OTHER_NAMES)) {
    const group = match.findIndex((g, i) => i > 0 && g !== undefined);
    sets[group - 1]?.add(match[0].toLowerCase());
  }
  let best = 0;
  sets.forEach((set, k) => {
    if (set.size > (sets[best]?.size ?? 0)) best = k;
  });
  const { kind, names } = OTHER[best] as (typeof OTHER)[number];
  return { kind, names: [...(sets[best] ?? [])], pattern: names };
}

/** How much of a file is read for a disclaimer: a file says early what it is about. */
const DISCLAIMER_SAMPLE = 20000;

export interface FileJudgement {
  backend: boolean;
  /** When it is not: the kind of work it is about, and the names that say so. */
  kind?: string;
  names?: string[];
}

/** Globs that name Python files: a rule applied to them is about Python code. */
const PYTHON_GLOB = /\.py\b/;

/** How much of the body's start is its introduction, at most. */
const INTRO_MAX = 1500;
const HEADING_LINE = /^\s{0,3}#{1,6}\s+(.*)$/gm;

/**
 * What the file says it is about: its description, its headings, and its introduction (the body
 * before its first second-level heading, or its first paragraph, at most INTRO_MAX characters).
 */
function aboutText(agent: AgentFile): string {
  const body = agent.body;
  const section = body
    .slice(0, INTRO_MAX)
    .search(/^\s{0,3}(?:#{2,6}\s|[-*+]\s|\d+[.)]\s|\||```|~~~)/m);
  let intro = body.slice(0, Math.min(section < 0 ? body.length : section, INTRO_MAX));
  if (intro.replace(/^\s{0,3}#.*$/gm, '').trim() === '') {
    const paragraph = /(?:^|\n)\s*(?!#|\||```)(\S[^\n]*(?:\n(?!\s*\n)[^\n]*)*)/.exec(body);
    intro = (paragraph?.[1] ?? '').slice(0, INTRO_MAX);
  }
  const headings = [...body.matchAll(HEADING_LINE)].map((m) => m[1] ?? '').join('\n');
  return `${agent.description}\n${headings}\n${intro}`;
}

/**
 * Whether the file is guidance for building a Python backend. It is not when
 * - it names no backend framework, ORM or server at all and at least three distinct things of one
 *   other kind of work (a file that only lists practices, "Use PostgreSQL and JWT", is a backend
 *   guide); or
 * - what it is about (description, headings, introduction) names no backend framework and no
 *   backend role, and either it says the backend is not its work ("you do not build web
 *   services", "the backend is in another repository"), or it is about another kind of work that
 *   the file names more of than of backend things (at least three).
 * A rule applied to Python files (`globs`, `applyTo`) is always about Python code.
 */
export function judgeFile(agent: AgentFile): FileJudgement {
  const { globs = [], applyTo = '' } = agent.metadata;
  if ([...globs, applyTo].some((g) => PYTHON_GLOB.test(g))) return { backend: true };
  const backend = distinct(agent.text, BACKEND);
  // Each of these is read only when it can change the judgement: they cost a pass over the file.
  let work: ReturnType<typeof otherWork> | undefined;
  const other = (): ReturnType<typeof otherWork> => (work ??= otherWork(agent.text));
  const disclaims = (): boolean => NOT_OURS.test(agent.text.slice(0, DISCLAIMER_SAMPLE));
  const notBackend = (): FileJudgement => {
    const { kind, names } = other();
    return names.length > 0
      ? { backend: false, kind, names: names.slice(0, 4) }
      : { backend: false, kind: 'other', names: ['not a backend'] };
  };
  if (backend.length === 0) {
    return other().names.length >= 3 || disclaims() ? notBackend() : { backend: true };
  }
  const about = aboutText(agent);
  if (BACKEND_ROLE.test(about)) return { backend: true };
  const aboutBackend = BACKEND.test(about);
  const outnumbered = (): boolean => other().names.length > backend.length;
  // "You do not build web services", "the backend is in another repository": unless the file
  // is about a backend and names more backend things than of any other kind.
  if (aboutBackend) return disclaims() && outnumbered() ? notBackend() : { backend: true };
  if (disclaims()) return notBackend();
  // About another kind of work, naming the backend as someone else's ("côté API").
  const aboutOther = other().names.length > 0 && other().pattern.test(about);
  if (aboutOther && ELSEWHERE.test(agent.text.slice(0, DISCLAIMER_SAMPLE))) return notBackend();
  if (other().names.length < 3 || !outnumbered()) return { backend: true };
  return aboutOther ? notBackend() : { backend: true };
}
