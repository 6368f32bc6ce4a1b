/**
 * End to end, for every ORM x database pair (SQLAlchemy, SQLModel, Tortoise ORM x SQLite,
 * PostgreSQL, MariaDB): a project grows along one path: two resources with every field type
 * between them, one referring to the other with a reverse list, then `add field`, `remove field`,
 * a resource added and removed, and `regenerate`. The shared API tests, the linters,
 * mypy --strict, the ORM's migrations (up, no drift from the models, down) and a server all pass
 * on the result.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, jest, test } from '@jest/globals';
import {
  expectOk,
  lintAndTypesPass,
  migrationsPass,
  projectForTests,
  pytestPasses,
  servedPaths,
  type ServerDb,
} from '../helpers/generated.js';

jest.setTimeout(900_000);

const AUTHOR =
  'name:str:max=80:unique,bio:text:optional,age:int:min=0:max=150,rating:float:optional,balance:decimal:default=0,active:bool:default=true,born:date:optional,seen_at:datetime:optional,token:uuid:unique,email:email:unique,site:url:optional,kind:enum(draft,live):default=draft,meta:json:optional';
const BOOK =
  'title:str:index,pages:int:optional,author:ref(author):reverse,editor:ref(author):optional,reviewer:ref(user):optional';

/** What each ORM's models look like once grown: a class, an optional column, a reverse list. */
const MODELS = {
  sqlalchemy: {
    book: /^class Book\(Base\):$/m,
    isbn: /^ {4}isbn: Mapped\[str \| None\] = mapped_column\(/m,
    books: /^ {4}books: Mapped\[list\["Book"\]\] = relationship\(/m,
  },
  sqlmodel: {
    book: /^class Book\(Base, table=True\):$/m,
    isbn: /^ {4}isbn: str \| None = Field\(/m,
    books: /^ {4}books: list\["Book"\] = Relationship\(/m,
  },
  tortoise: {
    book: /^class Book\(Model\):$/m,
    isbn: /^ {4}isbn = fields\.CharField\(.*null=True/m,
    books: /^ {4}books: fields\.ReverseRelation\["Book"\]$/m,
  },
} as const;

const REQUIREMENT = {
  sqlalchemy: /"sqlalchemy\[asyncio\]>=/,
  sqlmodel: /"sqlmodel>=/,
  tortoise: /"tortoise-orm>=/,
} as const;

const DATABASES: Array<{ db: string; server: ServerDb | null }> = [
  { db: 'SQLite', server: null },
  { db: 'PostgreSQL', server: 'postgresql' },
  { db: 'MariaDB', server: 'mysql' },
];

describe.each(
  (['sqlalchemy', 'sqlmodel', 'tortoise'] as const).flatMap((orm) =>
    DATABASES.map((d) => ({ orm, ...d })),
  ),
)('a $orm project grows: $db', ({ orm, server }) => {
  const project = projectForTests('library', ['--orm', orm], server);
  const { cli, read, env } = project;

  test('every field type, a reference, add and remove: every check passes', async () => {
    expect(await read('pyproject.toml')).toMatch(REQUIREMENT[orm]);
    expectOk(await cli(['add', 'resource', 'author', '--fields', AUTHOR]));
    expectOk(await cli(['add', 'resource', 'book', '--fields', BOOK]));
    expectOk(await cli(['add', 'field', 'book', 'isbn:str:unique:optional']));
    expectOk(await cli(['remove', 'field', 'author', 'rating']));
    expectOk(await cli(['add', 'resource', 'shelf', '--fields', 'label:str,book:ref(book)']));
    // The generator's plural of "shelf" names the package.
    const shelves = path.join(project.dir, 'app', 'shelfs');
    await expect(fs.access(shelves)).resolves.toBeUndefined();
    expectOk(await cli(['remove', 'resource', 'shelf']));
    await expect(fs.access(shelves)).rejects.toThrow();
    expectOk(await cli(['regenerate']));

    const books = await read('app/books/models.py');
    expect(books).toMatch(MODELS[orm].book);
    expect(books).toMatch(MODELS[orm].isbn);
    expect(await read('app/authors/models.py')).toMatch(MODELS[orm].books);
    expect(await read('app/authors/models.py')).not.toMatch(/\brating\b/);

    expect(await pytestPasses(project.dir, env)).toBeGreaterThanOrEqual(100);
    await lintAndTypesPass(project.dir);
    await migrationsPass(project.dir, env, orm === 'tortoise' ? 'aerich' : 'alembic');
    expect(await servedPaths(project.dir, env)).toEqual(
      expect.arrayContaining(['/api/v1/authors', '/api/v1/books/{book_id}', '/api/v1/items']),
    );
  });
});
