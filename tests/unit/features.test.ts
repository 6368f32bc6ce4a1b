/** The feature registry: every option value it renders is declared once, and nothing is dropped. */
import { describe, expect, test } from '@jest/globals';
import { FIXED_PRACTICES, PRACTICES } from '../../src/core/catalogue.js';
import {
  FEATURES,
  STRUCTURAL_LAYERS,
  activeFeatures,
  claimedLayers,
  featureLayers,
  isRendered,
  resourceLayers,
  renderedValue,
  renderedValues,
} from '../../src/core/features.js';
import { UserError } from '../../src/core/errors.js';
import {
  OPTIONS,
  OPTION_IDS,
  checkOptionValue,
  defaultValue,
  optionValues,
  type OptionId,
} from '../../src/core/options.js';
import { checkTemplateSet, renderProject, SLOTS } from '../../src/core/render.js';
import { pythonDependencies } from '../../src/core/versions.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';
import { compileTemplates, loadTemplateSources, loadTemplates } from '../../src/io/templates.js';
import { testSpec } from '../helpers/spec.js';

const templates = await loadTemplates(TEMPLATES_DIR);
const sources = await loadTemplateSources(TEMPLATES_DIR);
const python = await loadPythonFormatter();

describe('the registry', () => {
  test('each entry is a value of its option, once', () => {
    const keys = FEATURES.map((f) => `${f.option}=${f.value}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of FEATURES) expect(optionValues(f.option)).toContain(f.value);
  });

  test('every option renders at least one value, and its default renders (itself or its nearest)', () => {
    const lacking = OPTION_IDS.filter(
      (id) =>
        renderedValues(id).length === 0 || !isRendered(id, renderedValue(id, defaultValue(id))),
    );
    expect(lacking).toEqual([]);
  });

  test('every entry has a README row, or says why not (only an absence or a tool choice may)', () => {
    for (const f of FEATURES) {
      if ('none' in f.practice) {
        expect([f.option, f.value, f.practice.none]).toEqual([
          f.option,
          f.value,
          expect.stringMatching(/\S/),
        ]);
        expect(['false', 'none', 'off', 'uv', 'pip']).toContain(f.value);
      } else {
        expect(f.practice.label).toMatch(/\S/);
        expect(f.practice.where).toMatch(/\S/);
      }
    }
  });

  test('onlyWith and excludes name real options and values', () => {
    for (const f of FEATURES) {
      for (const [id, values] of Object.entries({ ...f.onlyWith, ...f.excludes })) {
        expect(OPTION_IDS).toContain(id);
        for (const v of values ?? []) expect(optionValues(id as OptionId)).toContain(v);
      }
    }
  });

  test('every value the catalogue detects is in its option’s vocabulary', () => {
    const fixed = new Set<string>(FIXED_PRACTICES.map((p) => p.id));
    for (const practice of PRACTICES) {
      if (fixed.has(practice.option)) continue;
      const vocabulary = optionValues(practice.option as OptionId);
      for (const value of [practice.value, practice.negatedValue]) {
        if (value !== undefined)
          expect([practice.id, vocabulary.includes(value)]).toEqual([practice.id, true]);
      }
    }
  });

  test('a value not rendered yet names a nearest value that is rendered', () => {
    for (const option of OPTIONS) {
      for (const [value, nearest] of Object.entries(
        (option as { nearest?: Record<string, string> }).nearest ?? {},
      )) {
        expect([option.id, value, renderedValues(option.id)]).toEqual([
          option.id,
          value,
          expect.arrayContaining([nearest]),
        ]);
        expect(renderedValues(option.id)).not.toContain(value);
      }
    }
  });

  test('roles take effect only with JWT users', () => {
    const jwt = testSpec({ auth: ['jwt'] }).options;
    const none = testSpec({ auth: ['none'] }).options;
    expect(activeFeatures(jwt).map((f) => `${f.option}=${f.value}`)).toContain('roles=true');
    expect(activeFeatures(none).map((f) => `${f.option}=${f.value}`)).not.toContain('roles=true');
  });

  test('layers and requirements are derived from the active entries', () => {
    expect(featureLayers(testSpec({ auth: ['jwt'] }).options)).toEqual([
      'orm-sqlalchemy',
      'auth-jwt-sqlalchemy',
      'migrations-alembic',
      'auth-jwt',
      'cors',
      'docker',
    ]);
    expect(featureLayers(testSpec({ auth: ['none'], docker: 'false' }).options)).toEqual([
      'orm-sqlalchemy',
      'migrations-alembic',
      'cors',
    ]);
    expect(
      featureLayers(testSpec({ auth: ['none'], docker: 'false', cors: 'false' }).options),
    ).toEqual(['orm-sqlalchemy', 'migrations-alembic']);
    expect(resourceLayers(testSpec().options)).toEqual(['resource-sqlalchemy']);
    const pg = pythonDependencies(testSpec({ db: 'postgresql', auth: ['none'] }).options);
    expect(pg.dependencies.join(' ')).toMatch(/asyncpg/);
    expect(pg.dependencies.join(' ')).not.toMatch(/aiosqlite|pyjwt|email-validator/);
  });
});

describe('the templates and the registry agree', () => {
  test('every folder of templates/ is claimed, and every claimed folder exists', () => {
    const claimed = claimedLayers();
    for (const structural of Object.keys(STRUCTURAL_LAYERS)) expect(claimed).toContain(structural);
    expect([...sources.keys()].filter((l) => !claimed.has(l))).toEqual([]);
    expect([...claimed].filter((l) => !sources.has(l))).toEqual([]);
  });

  test('a folder no entry claims is an error, not silently ignored', async () => {
    const extra = await compileTemplates(
      new Map([...sources, ['celery', [{ path: 'app/worker.py.hbs', source: 'x = 1\n' }]]]),
    );
    expect(() => checkTemplateSet(extra)).toThrow(
      /templates\/celery\/: no entry of src\/core\/features\.ts claims/,
    );
    expect(() => renderProject(testSpec(), extra, python)).toThrow(/templates\/celery\//);
  });

  test('a slot file must name a declared slot', async () => {
    const extra = await compileTemplates(
      new Map([...sources, ['docker', [{ path: '_slots/readmee.hbs', source: 'x\n' }]]]),
    );
    expect(() => checkTemplateSet(extra)).toThrow(/unknown slot "readmee"; slots: readme/);
    expect(Object.keys(SLOTS)).toContain('readme');
  });

  test('a feature fills its slots: the Docker section of the README comes with docker=true only', () => {
    const withDocker = renderProject(testSpec({ docker: 'true' }), templates, python);
    const without = renderProject(testSpec({ docker: 'false' }), templates, python);
    expect(withDocker.get('README.md')).toMatch(/## Docker\n/);
    expect(withDocker.has('Dockerfile')).toBe(true);
    expect(without.get('README.md')).not.toMatch(/Docker/);
    expect(without.has('Dockerfile')).toBe(false);
    expect(without.has('.dockerignore')).toBe(false);
  });
});

describe('one validator for option values', () => {
  const flag = (id: string, raw: unknown): string[] =>
    checkOptionValue(id, raw, { where: `--${id}`, commaList: true });
  const manifest = (id: string, raw: unknown): string[] =>
    checkOptionValue(id, raw, { where: `manifest.json: options.${id}`, strictTypes: true });

  test.each([
    ['auth', 'jwt,api-key', ['jwt', 'api-key']],
    ['auth', ' jwt , jwt ', ['jwt']],
    ['db', 'postgresql', ['postgresql']],
    ['docker', 'false', ['false']],
  ])('flag --%s %j is %j', (id, raw, values) => {
    expect(flag(id, raw)).toEqual(values);
  });

  test.each([
    ['auth', '', /--auth: an empty value; expected a list of one of jwt, api-key, none/],
    ['auth', ',,', /--auth: an empty value/],
    ['auth', 'jwt,', /--auth: an empty value/],
    ['auth', 'none,jwt', /--auth: "none" cannot be combined with jwt/],
    ['auth', 'jwt,saml', /--auth: "saml" is not one of jwt, api-key, none/],
    ['db', 'sqlite,postgresql', /--db: takes one value, not sqlite and postgresql/],
    ['db', 'SQLite', /--db: "SQLite" is not one of sqlite, postgresql, mysql/],
    ['db', 'sql ite', /--db: "sql ite" is not one of/],
    ['databse', 'sqlite', /--databse: unknown option; options are db, orm/],
    ['__proto__', 'x', /unknown option/],
  ])('flag --%s %j is refused: %s', (id, raw, message) => {
    expect(() => flag(id, raw)).toThrow(UserError);
    expect(() => flag(id, raw)).toThrow(message);
  });

  test.each([
    ['auth', 'jwt', /options\.auth: must be a list of one of jwt, api-key, none, not "jwt"/],
    ['db', ['sqlite'], /options\.db: must be one of sqlite, postgresql, mysql, not a list/],
    ['db', { a: 1 }, /options\.db: must be one of .*, not a mapping/],
    ['db', null, /options\.db: must be one of .*, not null/],
    ['docker', true, /options\.docker: must be one of true, false, not true/],
    ['auth', [], /options\.auth: no value/],
    ['auth', [1], /options\.auth: must be a list of .*, not 1/],
    ['auth', [{}], /not a mapping/],
  ])('manifest %s = %j is refused: %s', (id, raw, message) => {
    expect(() => manifest(id, raw)).toThrow(UserError);
    expect(() => manifest(id, raw)).toThrow(message);
  });

  test('a scaffold: mapping is named as one, never [object Object]', () => {
    expect(() =>
      checkOptionValue('db', { postgresql: true }, { where: 'a.md:3: scaffold: db' }),
    ).toThrow('a.md:3: scaffold: db: must be one of sqlite, postgresql, mysql, not a mapping');
    expect(checkOptionValue('docker', false, { where: 'scaffold: docker' })).toEqual(['false']);
  });
});

test('the README’s option table says what each option renders, as the registry does', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('| option'), readme.indexOf('### Practices from'));
  const seen = new Set<string>();
  for (const row of table.split('\n').slice(2)) {
    const cells = row.split('|').map((c) => c.trim());
    if (cells.length < 4) continue;
    const ids = [...(cells[1] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => m[1] as OptionId);
    const rendered = (cells[3] ?? '').split('(')[0]?.trim() ?? '';
    for (const id of ids) {
      seen.add(id);
      // broker: "(with Celery only)", nothing before the parenthesis.
      if (rendered !== '') expect([id, rendered]).toEqual([id, renderedValues(id).join(', ')]);
    }
  }
  expect([...seen].sort()).toEqual([...OPTION_IDS].sort());
});

test('what the guidance file asked for and was not rendered is listed in the generated README', async () => {
  const { parseAgentFile } = await import('../../src/core/agent.js');
  const { detectPractices } = await import('../../src/core/practices.js');
  const { buildSpec } = await import('../../src/core/spec.js');
  const agent = parseAgentFile('---\nname: a\n---\nBackground jobs run on Celery.\n', 'a.md');
  const spec = buildSpec({
    answers: { name: 'shop' },
    practices: detectPractices(agent),
    agent: { path: 'a.md', name: 'a', description: '', text: agent.text },
    secretKey: 'ab'.repeat(32),
    generatorVersion: '0.0.0',
  });
  const readme = renderProject(spec, templates, python).get('README.md') ?? '';
  expect(readme).toMatch(
    /Asked for and not rendered[^\n]*\n\n- tasks=celery \(AGENTS\.md line 4\) is not rendered yet: using tasks=background\n/,
  );
  const agents = renderProject(spec, templates, python).get('AGENTS.md') ?? '';
  expect(agents.startsWith(agent.text)).toBe(true);
  expect(agents).toMatch(
    /Asked for and not rendered[^\n]*\n\n- tasks=celery \(AGENTS\.md line 4\) is not rendered yet: using tasks=background\n/,
  );
  expect(agents).toMatch(
    /^\| Background work with FastAPI's BackgroundTasks \| app\/<domain>\/tasks\.py/m,
  );
  expect(renderProject(testSpec(), templates, python).get('README.md')).not.toMatch(
    /Asked for and not/,
  );
});
