import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { outputPath, renderProject } from '../../src/core/render.js';
import { parseFields } from '../../src/core/resources.js';
import { compileTemplates, loadTemplates, type TemplateSources } from '../../src/io/templates.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { writePrecompiledTemplates } from '../../src/io/precompile.js';
import { testSpec } from '../helpers/spec.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';

const python = await loadPythonFormatter();

const sources: TemplateSources = new Map([
  [
    'base',
    [
      {
        path: 'pyproject.toml.hbs',
        source: 'name = {{json project.name}}\n{{#each dependencies}}{{this}}\n{{/each}}',
      },
      {
        path: 'app/main.py.hbs',
        source: 'app = "{{project.title}}"  # {{db.kind}} <&>\nd = {"a": {"b": 1} }\n',
      },
      { path: 'dot-gitignore.hbs', source: '.env\n' },
    ],
  ],
  [
    'auth-jwt',
    [{ path: 'app/auth/router.py.hbs', source: 'VERSION = {{json generator.version}}\n' }],
  ],
  [
    'migration',
    [{ path: 'revision.py.hbs', source: 'revision = {{json migrationSpec.revision}}\n' }],
  ],
]);

// Compiled in memory: no disk is read for these.
const templates = await compileTemplates(sources);

describe('renderProject (pure, in memory)', () => {
  test('renders each layer that applies, maps names, sorts paths, adds AGENTS.md and .claude/', () => {
    const tree = renderProject(testSpec(), templates, python);
    expect([...tree.keys()]).toEqual([
      '.claude/agents/test-agent.md',
      '.claude/commands/add-endpoint.md',
      '.claude/commands/add-resource.md',
      '.claude/commands/fill.md',
      '.gitignore',
      'AGENTS.md',
      'app/auth/router.py',
      'app/main.py',
      'migrations/versions/0001_initial.py',
      'pyproject.toml',
    ]);
    expect(tree.get('app/main.py')).toBe('app = "Demo Api"  # sqlite <&>\nd = {"a": {"b": 1}}\n');
    expect(tree.get('pyproject.toml')).toContain('name = "demo-api"\naiosqlite>=');
    // The guidance as it was, line for line, then where the project applies it.
    const agents = tree.get('AGENTS.md') ?? '';
    expect(agents.startsWith('---\nname: test-agent\n---\nUse SQLite and JWT.\n\n<!--')).toBe(true);
    expect(agents).toMatch(
      /^\| SQLite \(aiosqlite\) \| app\/db\/session\.py, DATABASE_URL in \.env \| .+ \|$/m,
    );
  });

  test('layers follow the spec: no auth layer when auth is none', () => {
    const tree = renderProject(testSpec({ auth: ['none'] }), templates, python);
    expect(tree.has('app/auth/router.py')).toBe(false);
  });

  test('email-validator comes with JWT users, or with an email field', () => {
    const noAuth = testSpec({ auth: ['none'] });
    expect(renderProject(noAuth, templates, python).get('pyproject.toml')).not.toMatch(
      /email-validator/,
    );
    const withEmail = {
      ...noAuth,
      resources: [{ name: 'contact', owned: false, fields: parseFields('email:email') }],
    };
    expect(renderProject(withEmail, templates, python).get('pyproject.toml')).toMatch(
      /email-validator/,
    );
  });

  test('the database driver follows the spec', () => {
    const tree = renderProject(testSpec({ db: 'postgresql' }), templates, python);
    expect(tree.get('pyproject.toml')).toMatch(/asyncpg>=/);
    expect(tree.get('pyproject.toml')).not.toMatch(/aiosqlite/);
  });

  test('is deterministic', () => {
    const spec = testSpec();
    expect([...renderProject(spec, templates, python)]).toEqual([
      ...renderProject(spec, templates, python),
    ]);
  });

  test('a missing variable is an error naming the template', async () => {
    const broken = await compileTemplates(
      new Map([['base', [{ path: 'x.py.hbs', source: '{{nope.missing}}' }]]]),
    );
    expect(() => renderProject(testSpec(), broken, python)).toThrow(
      /template base\/x\.py\.hbs: .*not defined/,
    );
  });

  test('a condition on a missing variable is an error too', async () => {
    const broken = await compileTemplates(
      new Map([['base', [{ path: 'x.py.hbs', source: 'a\n{{#if auth.jwtt}}b{{/if}}' }]]]),
    );
    expect(() => renderProject(testSpec(), broken, python)).toThrow(
      /template base\/x\.py\.hbs: \{\{#if\}\} on a missing variable at line 2/,
    );
  });
});

describe('list helpers', () => {
  const render = async (source: string): Promise<string | undefined> => {
    const set = await compileTemplates(new Map([['base', [{ path: 'x.txt.hbs', source }]]]));
    return renderProject({ ...testSpec(), migrations: [] }, set, python).get('x.txt');
  };

  test('join separates the items with commas, without a trailing one', async () => {
    expect(await render('[{{#join auth.kinds}}"{{this}}"{{/join}}]')).toBe('["jwt"]');
    expect(await render('{{#join practicesApplied}}{{@index}}{{/join}}')).toMatch(/^0, 1, 2/);
  });

  test('tuple writes a Python tuple, with the comma a single item needs', async () => {
    expect(await render('{{#tuple auth.kinds}}"{{this}}"{{/tuple}}')).toBe('("jwt",)');
    expect(await render('{{#tuple practicesApplied}}{{@index}}{{/tuple}}')).toMatch(/^\(0, 1, 2/);
  });

  test('on something that is not a list, they are an error', async () => {
    await expect(render('{{#join project.name}}x{{/join}}')).rejects.toThrow(
      /\{\{#join\}\} needs a list at line 1/,
    );
  });
});

test('a template that does not compile is an error naming it', async () => {
  await expect(
    compileTemplates(new Map([['base', [{ path: 'bad.py.hbs', source: '{{#if x}}unclosed' }]]])),
  ).rejects.toThrow(/template base\/bad\.py\.hbs: /);
});

describe('precompiled templates', () => {
  test('the build output is used while it matches the sources, and ignored once they change', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-tpl-'));
    try {
      await fs.mkdir(path.join(dir, 'templates', 'base'), { recursive: true });
      await fs.writeFile(
        path.join(dir, 'templates', 'base', 'a.txt.hbs'),
        'name={{project.name}}\n',
      );
      await fs.mkdir(path.join(dir, 'templates', 'migration'));
      await fs.writeFile(
        path.join(dir, 'templates', 'migration', 'revision.py.hbs'),
        '# {{migrationSpec.slug}}\n',
      );
      const out = path.join(dir, 'templates.js');
      await writePrecompiledTemplates(path.join(dir, 'templates'), out);
      expect(await fs.readFile(out, 'utf8')).toMatch(/^export const hash = "[0-9a-f]{8}";$/m);
      const fromBuild = await loadTemplates(path.join(dir, 'templates'), out);
      expect(renderProject(testSpec(), fromBuild, python).get('a.txt')).toBe('name=demo-api\n');
      // An edited template no longer matches the build: it is compiled from its source.
      await fs.writeFile(
        path.join(dir, 'templates', 'base', 'a.txt.hbs'),
        'title={{project.title}}\n',
      );
      const edited = await loadTemplates(path.join(dir, 'templates'), out);
      expect(renderProject(testSpec(), edited, python).get('a.txt')).toBe('title=Demo Api\n');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

test('outputPath strips .hbs and turns dot- into a leading dot', () => {
  expect(outputPath('dot-env.example.hbs')).toBe('.env.example');
  expect(outputPath('app/dot-dockerignore.hbs')).toBe('app/.dockerignore');
  expect(outputPath('app/core/config.py.hbs')).toBe('app/core/config.py');
});

describe('the real templates', () => {
  test.each([
    ['sqlite', 'jwt'],
    ['postgresql', 'jwt'],
    ['sqlite', 'none'],
    ['postgresql', 'none'],
  ] as const)('render for db=%s auth=%s with the expected layout', async (db, auth) => {
    const tree = renderProject(
      testSpec({ db, auth: [auth] }),
      await loadTemplates(TEMPLATES_DIR),
      python,
    );
    for (const file of [
      'pyproject.toml',
      'alembic.ini',
      'app/main.py',
      'app/core/config.py',
      'app/db/session.py',
      'app/items/router.py',
      'app/items/schemas.py',
      'app/items/models.py',
      'app/items/service.py',
      'app/items/dependencies.py',
      '.env',
      '.env.example',
      '.gitignore',
      'Dockerfile',
      'README.md',
      'AGENTS.md',
    ]) {
      expect(tree.has(file)).toBe(true);
    }
    expect(tree.has('app/auth/router.py')).toBe(auth === 'jwt');
    expect(tree.has('app/users/models.py')).toBe(auth === 'jwt');
    // The secret key signs tokens: only projects with JWT auth have one.
    expect(tree.get('.env')?.includes('0123456789abcdef'.repeat(4))).toBe(auth === 'jwt');
    expect(tree.get('.env.example')).not.toContain('0123456789abcdef');
    expect(tree.get('.gitignore')).toMatch(/^\.env$/m);
    for (const [file, content] of tree) {
      if (file.endsWith('.py')) expect(content).not.toMatch(/\{\{|\}\}\}/);
    }
  });
});
