/**
 * The ORM seam: each ORM brings its own models, services and declarative base, and shares the
 * rest (routers, schemas, dependencies, the API tests, the migrations), so that every ORM answers
 * the same HTTP contract on the same schema.
 */
import { describe, expect, test } from '@jest/globals';
import { featureLayers, renderedValues, resourceLayers } from '../../src/core/features.js';
import { renderProject } from '../../src/core/render.js';
import { fieldContext, sqlmodelField } from '../../src/core/resource/index.js';
import { parseFields, type ResourceSpec } from '../../src/core/resources.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';
import { loadTemplates } from '../../src/io/templates.js';
import { testSpec } from '../helpers/spec.js';

const templates = await loadTemplates(TEMPLATES_DIR);
const python = await loadPythonFormatter();

const RESOURCES: ResourceSpec[] = [
  {
    name: 'author',
    owned: false,
    fields: parseFields(
      'name:str:max=80:unique,born:date:optional,seen_at:datetime:optional,kind:enum(a,b):default=a,meta:json:optional',
    ),
  },
  { name: 'book', owned: true, fields: parseFields('title:str,author:ref(author):reverse') },
];

/**
 * The files an ORM's own folders write: models, services, the database seam (app/db/session.py
 * and its test fixtures), the users model and service.
 */
const ORM_FILES =
  /^(app\/(db\/(base|models|session)|users\/(models|service)|\w+\/(models|service))|tests\/(database|test_db))\.py$/;
/** What a migration tool writes: Alembic's environment and revisions, aerich's, their check. */
const MIGRATION_FILES = /^(alembic\.ini|migrations\/.*|tests\/test_migrations\.py)$/;
/**
 * Shared files that differ by ORM, and why: the README, AGENTS.md and pyproject.toml name it; an ORM
 * without SQLAlchemy's engine has its own pool settings (config) and migration command (the
 * Dockerfile, the create_admin hint and its test).
 */
const SHARED_DIFFERENCES: Record<string, string[]> = {
  sqlmodel: ['AGENTS.md', 'README.md', 'pyproject.toml'],
  tortoise: [
    'AGENTS.md',
    'Dockerfile',
    'README.md',
    'app/core/config.py',
    'app/users/create_admin.py',
    'pyproject.toml',
    'tests/test_users.py',
  ],
};

describe('every ORM renders the same project around its own models', () => {
  const render = (orm: string) =>
    renderProject({ ...testSpec({ orm }), resources: RESOURCES }, templates, python);
  const sqlalchemy = render('sqlalchemy');

  test.each(renderedValues('orm').filter((orm) => orm !== 'sqlalchemy'))(
    '%s: the same files, and the same content outside its own folders',
    (orm) => {
      const other = render(orm);
      const files = (tree: ReadonlyMap<string, string>) =>
        [...tree.keys()].filter((file) => !MIGRATION_FILES.test(file));
      expect(files(other)).toEqual(files(sqlalchemy));
      const differing = [...other].filter(([file, text]) => sqlalchemy.get(file) !== text);
      const shared = differing
        .map(([file]) => file)
        .filter((file) => !ORM_FILES.test(file) && !MIGRATION_FILES.test(file));
      expect(shared).toEqual(SHARED_DIFFERENCES[orm]);
      for (const file of ['app/authors/models.py', 'app/books/service.py', 'app/db/base.py'])
        expect(other.get(file)).not.toEqual(sqlalchemy.get(file));
    },
  );

  test('the ORM entry brings its folders: project files, users with JWT, and per resource', () => {
    const options = testSpec({ orm: 'sqlmodel', auth: ['none'] }).options;
    expect(featureLayers(options)).toContain('orm-sqlmodel');
    expect(featureLayers(options)).not.toContain('auth-jwt-sqlmodel');
    expect(featureLayers(testSpec({ orm: 'sqlmodel' }).options)).toContain('auth-jwt-sqlmodel');
    expect(resourceLayers(options)).toEqual(['resource-sqlmodel']);
  });
});

describe('SQLModel fields', () => {
  const project = { jwt: true, resources: RESOURCES };
  const [author] = RESOURCES as [ResourceSpec];
  const args = (i: number): string | undefined =>
    author.fields[i] && sqlmodelField(fieldContext(project, author, author.fields[i])).fieldArgs;

  test('declare the column the SQLAlchemy model declares, in sa_column', () => {
    expect(args(0)).toBe('sa_column=Column(String(80), nullable=False, unique=True)');
    expect(args(1)).toBe('default=None, sa_column=Column(Date)');
    // Timestamps stay UTC-aware, as SQLAlchemy's type_annotation_map makes them.
    expect(args(2)).toBe('default=None, sa_column=Column(UTCDateTime())');
    expect(args(3)).toMatch(
      /^sa_column=Column\(Enum\(AuthorKind, name="kind", .*\), nullable=False, server_default="a"\)$/,
    );
    expect(args(4)).toBe('default=None, sa_column=Column(JSON(none_as_null=True))');
  });

  test('a reference is an INTEGER with its foreign key, indexed', () => {
    const book = RESOURCES[1] as ResourceSpec;
    const [, field] = book.fields;
    const ref = field && sqlmodelField(fieldContext(project, book, field)).fieldArgs;
    expect(ref).toBe(
      'sa_column=Column(Integer, ForeignKey("authors.id", ondelete="RESTRICT"), nullable=False, index=True)',
    );
  });
});
