/**
 * The catalogue of hostile input, through the CLI as a user runs it: each case exits 2 with one
 * line on stderr and no stack trace, and leaves every file as it was (the project, and the folder
 * around it). Classes: flags, project names, targets, guidance files, resource and module names,
 * field declarations, manifests, command arguments. (Signals: tests/e2e/interrupt.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../../src/cli/main.js';
import { MANIFEST_PATH } from '../../src/core/manifest.js';
import { fakeIo } from '../helpers/cli.js';
import { snapshot } from '../helpers/snapshot.js';

const FIXTURE = path.resolve('tests/fixtures/projects/shop-0.1.0');
let root: string;
let project: string;
let manifest: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-hostile-'));
  project = path.join(root, 'shop');
  await fs.cp(FIXTURE, project, { recursive: true });
  expect(await runCli(['regenerate', '--project', project], fakeIo())).toBe(0);
  manifest = await fs.readFile(path.join(project, MANIFEST_PATH), 'utf8');
  await fs.writeFile(path.join(root, 'file.txt'), 'a file');
  await fs.mkdir(path.join(root, 'full'));
  await fs.writeFile(path.join(root, 'full', 'notes.txt'), 'mine');
  await fs.symlink(path.join(root, 'nowhere'), path.join(root, 'dangling'));
  execFileSync('mkfifo', [path.join(root, 'fifo.md')]);
  const agent = (name: string, text: string | Buffer) => fs.writeFile(path.join(root, name), text);
  await agent('binary.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
  await agent('latin1.md', Buffer.from('---\nname: caf\xe9\n---\nUse SQLite.\n', 'latin1'));
  await agent('bad-yaml.md', '---\nname: x\n{{{ not yaml\n---\nbody\n');
  await agent('scaffold-key.md', '---\nname: x\nscaffold:\n  databse: sqlite\n---\nbody\n');
  await agent('scaffold-value.md', '---\nname: x\nscaffold:\n  db: oracle\n---\nbody\n');
  await agent('scaffold-map.md', '---\nname: x\nscaffold:\n  db: {a: 1}\n---\nbody\n');
  await agent('scaffold-list.md', '---\nname: x\nscaffold:\n  db: [sqlite, mysql]\n---\nbody\n');
  await agent('scaffold-not-map.md', '---\nname: x\nscaffold: [db]\n---\nbody\n');
  await fs.writeFile(path.join(root, 'huge.md'), '');
  await fs.truncate(path.join(root, 'huge.md'), 9 * 1024 * 1024);
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Runs the CLI; the whole folder around the project must be the same afterwards. */
async function refused(args: string[], message: RegExp): Promise<void> {
  const before = await snapshot(root);
  const io = fakeIo();
  const code = await runCli(args, io);
  const err = io.err.join('');
  const lines = err.trim().split('\n');
  expect([args.join(' '), code]).toEqual([args.join(' '), 2]);
  expect(lines.filter((l) => !l.startsWith('warning: '))).toEqual([expect.stringMatching(message)]);
  expect(err).not.toMatch(/\n\s+at |Error: |node:internal/);
  expect(await snapshot(root)).toEqual(before);
}

const create = (...args: string[]): string[] => [
  path.join(root, 'new'),
  '--yes',
  '--no-install',
  '--no-git',
  ...args,
];
const grow = (...args: string[]): string[] => [...args, '--project', project];

describe('flags of create', () => {
  test.each<[string[], RegExp]>([
    [['--db', 'oracle'], /--db: "oracle" is not one of sqlite, postgresql, mysql/],
    [['--db', ''], /--db: an empty value/],
    [['--db', 'sqlite,mysql'], /--db: takes one value/],
    [['--db', 'SQLite'], /--db: "SQLite" is not one of/],
    [['--db', 'sqlite', '--db', 'mysql'], /--db is given more than once/],
    [['--orm', 'django'], /--orm: "django" is not one of/],
    [['--tasks', 'celery'], /--tasks: "celery" is not rendered by this version yet/],
    [['--logging', 'json'], /--logging: "json" is not rendered by this version yet/],
    [['--migrations', 'aerich'], /migrations=aerich cannot be used: orm=sqlalchemy goes with/],
    [['--auth', ''], /--auth: an empty value/],
    [['--auth', ',,'], /--auth: an empty value/],
    [['--auth', 'jwt,'], /--auth: an empty value/],
    [['--auth', 'none,jwt'], /--auth: "none" cannot be combined with jwt/],
    [['--auth', 'saml'], /--auth: "saml" is not one of jwt, api-key, none/],
    [['--auth', 'api-key'], /--auth: "api-key" is not rendered by this version yet/],
    [['--roles', 'yes'], /--roles: "yes" is not one of true, false/],
    [['--docker', 'TRUE'], /--docker: "TRUE" is not one of true, false/],
    [['--cache', 'memcached'], /--cache: "memcached" is not one of none, memory, redis/],
    [['--rate-limit', 'on'], /--rate-limit: "on" is not one of off, memory, redis/],
    [['--tasks', 'rq'], /--tasks: "rq" is not one of background, celery/],
    [['--logging', 'xml'], /--logging: "xml" is not one of text, json/],
    [['--versioning', 'header'], /--versioning: "header" is not one of none, path/],
    [['--python-tool', 'conda'], /--python-tool: "conda" is not one of uv, poetry, pip/],
    [['--ci', 'jenkins'], /--ci: "jenkins" is not one of github, none/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['--name', 'a', '--name', 'b'], /--name is given more than once/],
    [['--agent', 'a.md', '--agent', 'b.md'], /--agent is given more than once/],
  ])('%j', async (flags, message) => {
    await refused(create(...flags), message);
  });
});

describe('project names', () => {
  test.each<[string, RegExp]>([
    ['', /cannot make a project name/],
    ['   ', /cannot make a project name/],
    ['.', /cannot make a project name/],
    ['..', /cannot make a project name/],
    ['!!!', /cannot make a project name/],
    ['---', /cannot make a project name/],
    ['名前', /cannot make a project name/],
    ['a'.repeat(41), /at most 40 characters \(41 given\)/],
    ['a'.repeat(300), /at most 40 characters \(300 given\)/],
    ['fastapi', /is the name of a package the project depends on/],
    ['sqlalchemy', /is the name of a package the project depends on/],
    ['pytest', /is the name of a package the project depends on/],
    ['pydantic-settings', /is the name of a package the project depends on/],
    ['uvicorn', /is the name of a package the project depends on/],
    ['aiosqlite', /is the name of a package the project depends on/],
  ])('--name %j', async (name, message) => {
    await refused(create('--name', name), message);
  });
});

describe('targets', () => {
  test.each<[string, RegExp]>([
    ['file.txt', /exists and is not a folder/],
    ['file.txt/inside', /is not a folder/],
    ['dangling', /is a symbolic link to .*nowhere, which does not exist/],
    ['full', /is not empty \(1 entries\).*--force/],
    ['fifo.md', /exists and is not a folder/],
  ])('%s', async (target, message) => {
    await refused([path.join(root, target), '--yes', '--no-install', '--no-git'], message);
  });

  test('--force once into a folder that is not a git work tree', async () => {
    await refused(
      [path.join(root, 'full'), '--yes', '--no-install', '--no-git', '--force'],
      /is not in a git work tree: .*pass --force twice/,
    );
  });
});

describe('guidance files', () => {
  test.each<[string, RegExp]>([
    ['missing.md', /no such file/],
    ['.', /is a folder|not a regular file/],
    ['/dev/zero', /is a character device, not a file/],
    ['/dev/null', /is a character device, not a file/],
    ['fifo.md', /not a regular file|a FIFO|named pipe/],
    ['dangling', /symbolic link|no such file/],
    ['binary.md', /is a binary file/],
    ['latin1.md', /UTF-8/],
    ['bad-yaml.md', /bad-yaml\.md:3: front matter cannot be read/],
    ['scaffold-key.md', /scaffold: databse: unknown option/],
    ['scaffold-value.md', /scaffold: db: "oracle" is not one of/],
    ['scaffold-map.md', /scaffold: db: must be one of .*, not a mapping/],
    ['scaffold-list.md', /scaffold: db: takes one value/],
    ['scaffold-not-map.md', /scaffold: must be a map/],
    ['huge.md', /8 MiB|too large|larger than/],
  ])('--agent %s', async (file, message) => {
    await refused(create('--agent', path.isAbsolute(file) ? file : path.join(root, file)), message);
    await refused(
      ['practices', '--agent', path.isAbsolute(file) ? file : path.join(root, file)],
      message,
    );
  });
});

describe('resource and module names', () => {
  test.each<[string, RegExp]>([
    ['../../victim', /a name, not a path/],
    ['a/b', /a name, not a path/],
    ['/etc', /a name, not a path/],
    ['..', /a name, not a path/],
    ['', /use letters, digits/],
    ['1order', /use letters, digits/],
    ['ord er!', /use letters, digits/],
    ['class', /Python keyword/],
    ['import', /Python keyword/],
    ['a', /its plural "as"/],
    ['user', /name the project uses|already has/],
    ['item', /already has "item"/],
    ['customers', /already has "customer"/],
    ['annotated', /fail ruff check: .*F811/],
    ['query', /fail ruff check: .*F811/],
    ['not_found_error', /fail ruff check/],
    ['list', /fail ruff check: .*A00/],
    ['dict', /fail ruff check/],
    ['x'.repeat(41), /not a usable Python name/],
  ])('add resource %j', async (name, message) => {
    await refused(grow('add', 'resource', name, '--fields', 'title:str'), message);
  });

  test.each<[string[], RegExp]>([
    [['add', 'router', '../x'], /a name, not a path/],
    [['add', 'router', 'items'], /app\/items is the package of the resource item/],
    [['add', 'router', 'reports'], /already has router reports/],
    [['add', 'service', 'class'], /"class" is a Python keyword/],
    [['add', 'websocket', 'a/b'], /a name, not a path/],
    [['add', 'task', ''], /use letters, digits/],
    [['remove', 'router', 'nosuch'], /no router "nosuch" in this project/],
    [['remove', 'resource', 'nosuch'], /no resource "nosuch"/],
    [['remove', 'field', 'order', 'nosuch'], /order has no field "nosuch"; fields: number/],
    [['add', 'field', 'nosuch', 'x:str'], /no resource "nosuch"/],
  ])('%j', async (args, message) => {
    await refused(grow(...args), message);
  });
});

describe('field declarations', () => {
  test.each<[string, RegExp]>([
    ['total', /expected name:type/],
    ['total:money', /unknown type "money"/],
    ['class:str', /"class" is reserved/],
    ['id:int', /"id" is reserved/],
    ['owner_id:int', /"owner_id" is reserved/],
    ['created_at:datetime', /reserved/],
    ['s:enum()', /enum needs values/],
    ['s:enum(a,a)', /enum needs distinct values/],
    ['s:enum(ä,ö)', /enum value "ä" cannot name a Python enum member/],
    ['s:enum(1,2)', /enum value "1" cannot name/],
    ['c:ref', /ref needs a resource/],
    ['c:ref(nosuch)', /names no resource of this project/],
    ['n:int:min=x', /min=x is not a number/],
    ['n:int:min=5:max=1', /min is greater than max/],
    ['n:int:max=2147483648', /an int column holds/],
    ['b:bool:unique', /cannot be unique/],
    ['n:int:default=abc', /default=abc does not fit type int/],
    ['n:int:default=99999999999', /does not fit type int/],
    ['n:int:shiny', /unknown modifier "shiny"/],
    ['d:date:min=1', /min\/max apply to/],
    ['s:enum(a,b):unique', /an enum field cannot be unique/],
    ['m:json:default={"a":1}', /a json field takes no default=/],
    ['u:url:default=https://x.org', /a default= value cannot hold ":"/],
    ['u:url:default=notaurl', /does not fit type url/],
    ['e:email:default=nope', /does not fit type email/],
    ['s:str:default="x', /does not fit type str/],
    ['m:json:index', /a json field cannot be indexed/],
    ['s:str:max=0', /max for str is a length/],
    ['x'.repeat(39) + ':str', /at most 38 characters/],
    ['name:str', /already has a field name/],
    ['c:ref(customer):reverse', /reverse on a reference to itself is not supported/],
    ['r:int:reverse', /reverse applies to ref fields only/],
  ])('add field customer %j', async (field, message) => {
    await refused(grow('add', 'field', 'customer', field), message);
  });
});

describe('manifests', () => {
  const edits: Array<[string, (m: Record<string, unknown>) => void, RegExp]> = [
    ['a resource named like a path', (m) => (res(m).name = '../../victim'), /a name, not a path/],
    ['a field that runs code', (m) => (fld(m).name = '__import__("os")'), /usable Python name/],
    ['an enum value with a quote', (m) => (status(m).values = ['a"b']), /values\[0\]/],
    ['a default that closes a string', (m) => (fld(m).default = 'x"; import os; "'), /fields\[0\]/],
    ['owned as a string', (m) => (res(m).owned = 'yes'), /owned: must be true or false/],
    ['auth as a string', (m) => (opts(m).auth = 'jwt'), /options\.auth: must be a list/],
    ['value not rendered', (m) => (opts(m).tasks = 'celery'), /not rendered by this version/],
    ['an unknown option', (m) => (opts(m).graphql = 'true'), /options\.graphql: unknown option/],
    ['a duplicated resource', (m) => resources(m).push(res(m)), /already has/],
    ['a migration slug path', (m) => (migration(m).slug = '../x'), /slug: use a-z/],
    ['a title closing a docstring', (m) => (meta(m).title = 'a"""b'), /project\.title/],
    ['a newer manifest', (m) => (m.manifestVersion = 99), /made by a newer create-fastapi-agent/],
    ['an unknown top-level key', (m) => (m.extra = true), /unknown key "extra"/],
    [
      'a module named like a path',
      (m) => (m.modules = [{ kind: 'router', name: '../x' }]),
      /modules\[0\]\.name/,
    ],
    ['uniqueness flipped', (m) => (res(m, 0).uniqueness = 'owner'), /"uniqueness" cannot change/],
    ['owned flipped', (m) => (res(m).owned = true), /"owned" cannot change/],
  ];
  const resources = (m: Record<string, unknown>) => m.resources as Array<Record<string, unknown>>;
  const res = (m: Record<string, unknown>, i = 1) => resources(m)[i] as Record<string, unknown>;
  const fields = (m: Record<string, unknown>) => res(m).fields as Array<Record<string, unknown>>;
  const fld = (m: Record<string, unknown>) => fields(m)[0] as Record<string, unknown>;
  const status = (m: Record<string, unknown>) =>
    (resources(m)[2]?.fields as Array<Record<string, unknown>>).find((f) => f.type === 'enum') ??
    {};
  const opts = (m: Record<string, unknown>) => m.options as Record<string, unknown>;
  const meta = (m: Record<string, unknown>) => m.project as Record<string, unknown>;
  const migration = (m: Record<string, unknown>) =>
    (m.migrations as Array<Record<string, unknown>>)[0] as Record<string, unknown>;

  test.each(edits)('%s', async (_, edit, message) => {
    const edited = JSON.parse(manifest) as Record<string, unknown>;
    edit(edited);
    await fs.writeFile(path.join(project, MANIFEST_PATH), JSON.stringify(edited));
    try {
      await refused(grow('regenerate'), message);
      await refused(grow('add', 'field', 'customer', 'note:text:optional'), message);
    } finally {
      await fs.writeFile(path.join(project, MANIFEST_PATH), manifest);
    }
  });

  test.each<[string, string | null, RegExp]>([
    ['not JSON', '{', /not valid JSON/],
    ['empty', '', /is empty/],
    ['a list', '[]', /not a create-fastapi-agent manifest/],
    ['null', 'null', /not a create-fastapi-agent manifest/],
    ['a folder', null, /manifest/],
  ])('a manifest that is %s', async (_, text, message) => {
    const file = path.join(project, MANIFEST_PATH);
    await fs.rm(file);
    if (text === null) await fs.mkdir(file);
    else await fs.writeFile(file, text);
    try {
      await refused(grow('regenerate'), message);
    } finally {
      await fs.rm(file, { recursive: true, force: true });
      await fs.writeFile(file, manifest);
    }
  });
});

describe('command arguments', () => {
  test.each<[string[], RegExp]>([
    [['regenerate', 'nosuch'], /no resource or module "nosuch"/],
    [['regenerate', '../../etc'], /no resource or module "\.\.\/\.\.\/etc"/],
    [['regenerate', '/etc/passwd'], /no resource or module/],
    [
      ['add', 'resource', 'coupon', '--fields', 'a:str', '--fields', 'b:str'],
      /--fields is given more than once/,
    ],
    [['add', 'resource', 'coupon'], /--fields is required without a terminal/],
  ])('%j', async (args, message) => {
    await refused(grow(...args), message);
  });

  test('a command outside any project', async () => {
    await refused(['regenerate', '--project', path.join(root, 'full')], /not inside a project/);
  });
});
