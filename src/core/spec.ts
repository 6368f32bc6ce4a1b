import { FIXED_PRACTICES } from './catalogue.js';
import { REQUIRED_DISTRIBUTIONS, normalDistribution } from './versions.js';
import { FEATURES, activeFeatures, broughtValues, exclusions, renderedValue } from './features.js';
import { UserError } from './errors.js';
import { normaliseProjectName, projectTitle, snake } from './names.js';
import { OPTIONS, checkOptionValue, type OptionId, type OptionValues } from './options.js';
import type { AskedValue } from './manifest.js';
import type { Evidence, PracticeSet } from './practices.js';
import { orderByReferences, type MigrationSpec } from './migrations.js';
import { checkModules, type ModuleSpec } from './modules.js';
import { checkEndpoints, type EndpointSpec } from './endpoints.js';
import { checkReverseLists } from './resource/index.js';
import { checkReferences, type ResourceSpec } from './resources.js';

/** What the user chose, from flags or prompts; anything missing falls back to the practices. */
export interface Answers {
  /** Name as typed (or the target folder's base name). */
  name: string;
  /** The title when known (a regenerated project keeps its own); else made from the name. */
  title?: string;
  options?: Partial<Record<OptionId, string | string[]>>;
  /** How each answered option was given; a flag when absent. */
  sources?: Partial<Record<OptionId, 'flag' | 'prompt'>>;
}

/** One row of the generated README's "Practices applied" table. */
export interface AppliedPractice {
  practice: string;
  where: string;
  /** Why it is there: the guidance line, the scaffold: block, an answer, or the generator's default. */
  reason: string;
}

/** The validated description of one project: everything rendering needs, and nothing else. */
export interface ProjectSpec {
  /** Python distribution name, e.g. `my-api`. */
  name: string;
  title: string;
  description: string;
  /** Database name for server databases and the SQLite file name, e.g. `my_api`. */
  databaseName: string;
  /** The values rendered: each one the generator can render today. */
  options: OptionValues;
  /** What was asked for, option by option, and how (the manifest keeps it apart from `options`). */
  asked: Partial<Record<OptionId, AskedValue>>;
  applied: AppliedPractice[];
  /** The resources (tables with CRUD endpoints), the example `item` first in a new project. */
  resources: ResourceSpec[];
  /** Every Alembic revision the generator has written, oldest first. */
  migrations: MigrationSpec[];
  /** The smaller modules (`add router|service|task|websocket`), none in a new project. */
  modules: ModuleSpec[];
  /** Custom endpoints (`add endpoint`), none in a new project. */
  endpoints: EndpointSpec[];
  /** Values asked for that are not rendered yet, with the value used instead: shown as warnings. */
  fallbacks: string[];
  /** The same, citing the project's AGENTS.md (the README lists them). */
  notRendered: string[];
  /** 32 random bytes as hex, written only to the project's `.env`. */
  secretKey: string;
  generatorVersion: string;
  agent: { path: string; name: string; description: string; text: string };
}

export interface SpecInputs {
  answers: Answers;
  practices: PracticeSet;
  agent: ProjectSpec['agent'];
  /** Injected so the core stays pure: 32 random bytes as hex, from the edge. */
  secretKey: string;
  generatorVersion: string;
  /** The resources and revisions so far (from the manifest); a new project gets the example. */
  resources?: ResourceSpec[];
  migrations?: MigrationSpec[];
  modules?: ModuleSpec[];
  endpoints?: EndpointSpec[];
}

/** The example resource of a new project: an item with a unique name and a description. */
export function exampleResources(jwt: boolean): ResourceSpec[] {
  return [
    {
      name: 'item',
      owned: jwt,
      ...(jwt ? { uniqueness: 'owner' as const } : {}),
      fields: [
        { name: 'name', type: 'str', required: true, unique: true, index: false, min: 1, max: 100 },
        { name: 'description', type: 'text', required: false, unique: false, index: false },
      ],
    },
  ];
}

/** The first revision: the users table (JWT) and a table for each resource. */
export function initialMigration(resources: readonly ResourceSpec[], jwt: boolean): MigrationSpec {
  return {
    revision: '0001',
    downRevision: null,
    slug: 'initial',
    message: 'initial schema',
    createsUsers: jwt,
    ops: orderByReferences(resources).map((resource) => ({ kind: 'create_table', resource })),
  };
}

/** The name of the guidance file inside a generated project. */
export const AGENTS_MD = 'AGENTS.md';

function describeEvidence(agentPath: string, evidence: Evidence | undefined): string {
  if (!evidence) return 'default';
  return `${agentPath} line ${evidence.line}`;
}

function requestedValues(
  id: OptionId,
  answers: Answers,
  practices: PracticeSet,
): { values: string[]; from: 'answer' | 'practices' } {
  const answered = answers.options?.[id];
  if (answered !== undefined) {
    return { values: Array.isArray(answered) ? answered : [answered], from: 'answer' };
  }
  return { values: practices.options[id].values, from: 'practices' };
}

/** Answers win over practices, practices over the option defaults. Throws a one-line UserError. */
export function buildSpec(inputs: SpecInputs): ProjectSpec {
  const { answers, practices, agent } = inputs;
  const name = normaliseProjectName(answers.name);
  if (REQUIRED_DISTRIBUTIONS.has(normalDistribution(name))) {
    throw new UserError(
      `project name "${name}" is the name of a package the project depends on (pip cannot install a project that requires itself): choose another, e.g. "${name}-service"`,
    );
  }
  if (!/^[0-9a-f]{64}$/.test(inputs.secretKey)) {
    throw new UserError('secretKey: must be 32 random bytes written as 64 hex characters');
  }
  const options: Record<string, string | string[]> = {};
  const reasons: Record<string, string> = {};
  const fallbacks: string[] = [];
  const notRendered: string[] = [];
  const asked: Partial<Record<OptionId, AskedValue>> = {};
  const answered = new Set<OptionId>();
  for (const option of OPTIONS) {
    const id = option.id as OptionId;
    const requested = requestedValues(id, answers, practices);
    // Practices hold catalogue values only (a unit test checks them against the vocabulary).
    if (requested.from === 'answer')
      checkOptionValue(id, requested.values, { where: `answers: ${id}` });
    const resolution = practices.options[id];
    if (requested.from === 'answer') {
      answered.add(id);
      asked[id] = { values: requested.values, from: answers.sources?.[id] ?? 'flag' };
    } else if (resolution.source !== 'default') {
      const line = resolution.evidence[resolution.values[0] ?? '']?.line;
      asked[id] = {
        values: resolution.values,
        from: resolution.source === 'frontmatter' ? 'scaffold' : 'guidance',
        ...(line === undefined ? {} : { line }),
      };
    }
    let rendered = [...new Set(requested.values.map((v) => renderedValue(id, v)))];
    if (rendered.length > 1) rendered = rendered.filter((v) => v !== 'none');
    for (const value of requested.values) {
      const used = renderedValue(id, value);
      const evidence = resolution.evidence[value];
      if (used === value) {
        // The project carries the guidance as AGENTS.md, with the same line numbers.
        reasons[`${id}=${value}`] =
          requested.from === 'answer'
            ? 'asked for when generating'
            : describeEvidence(AGENTS_MD, evidence);
      } else if (requested.from === 'answer' || resolution.source !== 'default') {
        const why = (file: string): string =>
          requested.from === 'answer'
            ? 'asked for'
            : `${resolution.source === 'frontmatter' ? 'scaffold: in ' : ''}${describeEvidence(file, evidence)}`;
        const message = (file: string): string =>
          `${id}=${value} (${why(file)}) is not rendered yet: using ${id}=${used}`;
        fallbacks.push(message(agent.path));
        notRendered.push(message(AGENTS_MD));
      }
    }
    options[id] = option.kind === 'multi' ? rendered : (rendered[0] ?? '');
  }
  const typed = options as OptionValues;
  for (const [id, { value, by }] of broughtValues(typed)) {
    const current = options[id];
    if (current === value) continue;
    const why = `${by} goes with ${id}=${value}`;
    if (answered.has(id)) {
      const goesWith = FEATURES.filter((f) => f.brings?.[id] === current).map(
        (f) => `${f.option}=${f.value}`,
      );
      throw new UserError(
        `${id}=${String(current)} cannot be used: ${why}${goesWith.length ? ` (${id}=${String(current)} goes with ${goesWith.join(', ')})` : ''}`,
      );
    }
    if (asked[id] !== undefined) {
      fallbacks.push(
        `${id}=${String(current)} (${describeEvidence(agent.path, practices.options[id].evidence[String(current)])}) is not used: ${why}`,
      );
      notRendered.push(`${id}=${String(current)} is not used: ${why}`);
    }
    options[id] = value;
    reasons[`${id}=${value}`] = `goes with ${by}`;
  }
  const excluded = exclusions(typed);
  if (excluded.length > 0) throw new UserError(`${excluded.join('; ')}: cannot be combined`);
  const title = answers.title ?? projectTitle(answers.name, name);
  const jwt = typed.auth.includes('jwt');
  const resources = inputs.resources ?? exampleResources(jwt);
  checkReferences(resources, jwt);
  checkReverseLists(resources, jwt);
  const modules = inputs.modules ?? [];
  checkModules(modules, resources, jwt);
  const endpoints = inputs.endpoints ?? [];
  checkEndpoints(endpoints, { resources, modules, jwt });
  return {
    name,
    title,
    description: `${title}: a FastAPI service`,
    databaseName: snake(name),
    options: typed,
    asked,
    applied: appliedPractices(typed, reasons, practices),
    resources,
    migrations: inputs.migrations ?? [initialMigration(resources, jwt)],
    modules,
    endpoints,
    fallbacks,
    notRendered,
    secretKey: inputs.secretKey,
    generatorVersion: inputs.generatorVersion,
    agent,
  };
}

function appliedPractices(
  options: OptionValues,
  reasons: Record<string, string>,
  practices: PracticeSet,
): AppliedPractice[] {
  const jwt = options.auth.includes('jwt');
  const rows: AppliedPractice[] = [];
  for (const fixed of FIXED_PRACTICES) {
    if (fixed.id === 'password-hashing' && !jwt) continue;
    rows.push({
      practice: fixed.label,
      where: fixed.where,
      reason: describeEvidence(AGENTS_MD, practices.fixed[fixed.id]),
    });
  }
  for (const f of activeFeatures(options)) {
    if ('none' in f.practice) continue;
    rows.push({
      practice: f.practice.label,
      where: f.practice.where,
      reason: reasons[`${f.option}=${f.value}`] ?? 'default',
    });
  }
  return rows;
}
