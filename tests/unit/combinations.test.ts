/**
 * Every combination of the option values the generator renders, each with resources of every
 * field type (references included) and a module of every kind, rendered in memory: each emitted
 * Python file passes the generated project's own Ruff rules and is already formatted.
 */
import { expect, test } from '@jest/globals';
import { broughtValues, exclusions, renderedValues } from '../../src/core/features.js';
import {
  OPTION_IDS,
  optionDeclaration,
  type OptionId,
  type OptionValues,
} from '../../src/core/options.js';
import { renderProject } from '../../src/core/render.js';
import { parseFields, type ResourceSpec } from '../../src/core/resources.js';
import type { ModuleSpec } from '../../src/core/modules.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadPythonFormatter, loadPythonLinter } from '../../src/io/ruff.js';
import { loadTemplates } from '../../src/io/templates.js';
import { testSpec } from '../helpers/spec.js';

const templates = await loadTemplates(TEMPLATES_DIR);
const ruff = await loadPythonFormatter();
const linter = await loadPythonLinter();

/**
 * Most files come out the same in many combinations: Ruff formats each distinct text once (the
 * product's own cache is off in unit tests), and the check below runs once per distinct file.
 */
const formatted = new Map<string, string>();
const python = {
  format(source: string, path: string): string {
    const key = `${path}\0${source}`;
    const known = formatted.get(key) ?? ruff.format(source, path);
    formatted.set(key, known);
    return known;
  },
};

/** Each option's rendered values; a multi option also gets its rendered values together. */
function choices(id: OptionId): Array<string | string[]> {
  const values = renderedValues(id);
  if (optionDeclaration(id).kind !== 'multi') return values;
  const combined = values.filter((v) => v !== 'none');
  return [...values.map((v) => [v]), ...(combined.length > 1 ? [combined] : [])];
}

function combinations(): Array<Partial<Record<OptionId, string | string[]>>> {
  let all: Array<Partial<Record<OptionId, string | string[]>>> = [{}];
  for (const id of OPTION_IDS) {
    all = all.flatMap((partial) => choices(id).map((value) => ({ ...partial, [id]: value })));
  }
  // Only what a user can ask for: no values that exclude each other, and an ORM's own migrations.
  return all.filter((options) => {
    const full = options as OptionValues;
    if (exclusions(full).length > 0) return false;
    return [...broughtValues(full)].every(([id, { value }]) => options[id] === value);
  });
}

function resources(jwt: boolean): ResourceSpec[] {
  return [
    {
      name: 'author',
      owned: false,
      fields: parseFields(
        'name:str:max=80:unique,bio:text:optional,age:int:min=0:max=150,rating:float:optional,balance:decimal:default=0,active:bool:default=true,born:date:optional,seen_at:datetime:optional,token:uuid:unique,email:email:unique,site:url:optional,kind:enum(a,b,c):default=a,meta:json:optional',
      ),
    },
    {
      name: 'book',
      owned: jwt,
      fields: parseFields(
        'title:str:index,pages:int:optional,author:ref(author):reverse,editor:ref(author):optional',
      ),
    },
  ];
}

const MODULES: ModuleSpec[] = [
  { kind: 'router', name: 'reports' },
  { kind: 'service', name: 'reports' },
  { kind: 'task', name: 'reports' },
  { kind: 'websocket', name: 'chat' },
];

test('every rendered combination of options emits Python that Ruff accepts as it is', () => {
  const all = combinations();
  let files = 0;
  const checked = new Set<string>();
  const problems: string[] = [];
  for (const options of all) {
    const base = testSpec(options);
    const jwt = base.options.auth.includes('jwt');
    const spec = { ...base, resources: resources(jwt), modules: MODULES };
    for (const [path, content] of renderProject(spec, templates, python)) {
      if (!path.endsWith('.py')) continue;
      files += 1;
      if (checked.has(`${path}\0${content}`)) continue;
      checked.add(`${path}\0${content}`);
      const where = `${JSON.stringify(options)} ${path}`;
      if (ruff.format(content, path) !== content) problems.push(`${where}: not formatted`);
      for (const d of linter.check(content, path)) {
        problems.push(`${where}:${d.start_location.row}: ${d.code} ${d.message}`);
      }
    }
  }
  console.log(
    `${all.length} combinations of rendered option values, ${files} Python files (${checked.size} distinct)`,
  );
  expect(problems.slice(0, 20)).toEqual([]);
  expect(all.length).toBeGreaterThanOrEqual(12);
});
