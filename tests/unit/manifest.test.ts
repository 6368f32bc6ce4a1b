/**
 * A manifest comes from a project's folder: a clone, a hand edit. Every value in it passes the
 * checks the CLI's own input passes, and a bad one is one clear line naming its key.
 */
import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import {
  MANIFEST_PATH,
  MANIFEST_VERSION,
  manifestFor,
  parseManifest,
  serialiseManifest,
} from '../../src/core/manifest.js';
import { parseFields } from '../../src/core/resources.js';
import { testSpec } from '../helpers/spec.js';

type Json = Record<string, unknown>;

function good(): Json {
  const spec = testSpec();
  const order = {
    name: 'order',
    owned: true,
    fields: parseFields('number:str:unique,status:enum(new,paid):default=new,item:ref(item)'),
  };
  const resources = [...spec.resources, order];
  return JSON.parse(
    serialiseManifest({
      ...manifestFor({ ...spec, resources }, 'create-fastapi-agent'),
      modules: [{ kind: 'router', name: 'reports' }],
    }),
  ) as Json;
}

/** `good()` changed by `edit`, which may mutate it. */
function variant(edit: (m: Json) => void): string {
  const m = good();
  edit(m);
  return JSON.stringify(m);
}

const resource = (m: Json, i = 1): Json => (m.resources as Json[])[i] as Json;
const field = (m: Json, j = 0, i = 1): Json => (resource(m, i).fields as Json[])[j] as Json;

test('a manifest the generator wrote reads back as it was', () => {
  const text = JSON.stringify(good());
  const { manifest, upgradedFrom } = parseManifest(text, MANIFEST_PATH);
  expect(upgradedFrom).toBeNull();
  expect(JSON.parse(serialiseManifest(manifest))).toEqual(good());
});

describe('refused, one line naming the key', () => {
  test.each<[string, (m: Json) => void, RegExp]>([
    // Paths and code where a name belongs.
    [
      'a resource name that is a path',
      (m) => (resource(m).name = '../../victim'),
      /resources\[1\]\.name: .*a name, not a path/,
    ],
    ['a resource name with a slash', (m) => (resource(m).name = 'a/b'), /resources\[1\]\.name/],
    [
      'an absolute resource name',
      (m) => (resource(m).name = '/etc/passwd'),
      /resources\[1\]\.name/,
    ],
    [
      'a resource name in capitals',
      (m) => (resource(m).name = 'Order'),
      /resources\[1\]\.name: must be written "order"/,
    ],
    [
      'a plural resource name',
      (m) => (resource(m).name = 'orders'),
      /resources\[1\]\.name: must be written "order"/,
    ],
    [
      'a keyword as resource name',
      (m) => (resource(m).name = 'class'),
      /resources\[1\]\.name: .*keyword/,
    ],
    [
      'a resource twice',
      (m) => (m.resources as Json[]).push(resource(m)),
      /resources\[2\]\.name: .*already has "order"/,
    ],
    [
      'a field name that runs code',
      (m) => (field(m).name = 'x = __import__("os").system("id")'),
      /resources\[1\]\.fields\[0\]/,
    ],
    ['a field name with a newline', (m) => (field(m).name = 'a\nb'), /resources\[1\]\.fields\[0\]/],
    [
      'a field name that is a keyword',
      (m) => (field(m).name = 'class'),
      /resources\[1\]\.fields\[0\]/,
    ],
    [
      'a field twice',
      (m) => (resource(m).fields as Json[]).push(field(m)),
      /resources\[1\]\.fields\[3\]: "number" is declared twice/,
    ],
    [
      'an enum value with a quote',
      (m) => (field(m, 1).values = ['new', 'pa"id']),
      /resources\[1\]\.fields\[1\]/,
    ],
    [
      'an enum value that is code',
      (m) => (field(m, 1).values = ['new', "x'); import os; ('"]),
      /resources\[1\]\.fields\[1\]/,
    ],
    [
      'a default that breaks a string',
      (m) => (field(m, 0).default = 'a"; import os; "'),
      /resources\[1\]\.fields\[0\]/,
    ],
    [
      'a default outside the enum',
      (m) => (field(m, 1).default = 'shipped'),
      /resources\[1\]\.fields\[1\]: field status: default=shipped does not fit/,
    ],
    [
      'a reference that is a path',
      (m) => (field(m, 2).ref = '../item'),
      /resources\[1\]\.fields\[2\]/,
    ],
    [
      'an unknown field type',
      (m) => (field(m).type = 'blob'),
      /resources\[1\]\.fields\[0\]\.type: "blob" is not one of str, text/,
    ],
    [
      'a field type that is a list',
      (m) => (field(m).type = ['str']),
      /fields\[0\]\.type: must be a string, not a list/,
    ],
    // Types.
    [
      'uniqueness of another kind',
      (m) => (resource(m).uniqueness = 'team'),
      /resources\[1\]\.uniqueness: must be "owner" or "global", not "team"/,
    ],
    [
      'owned as a string',
      (m) => (resource(m).owned = 'yes'),
      /resources\[1\]\.owned: must be true or false, not "yes"/,
    ],
    [
      'required as a number',
      (m) => (field(m).required = 1),
      /fields\[0\]\.required: must be true or false, not 1/,
    ],
    [
      'max as a string',
      (m) => (field(m).max = '10'),
      /fields\[0\]\.max: must be a number, not "10"/,
    ],
    ['max as infinity', (m) => (field(m).max = Number.POSITIVE_INFINITY), /fields\[0\]\.max/],
    [
      'fields as a mapping',
      (m) => (resource(m).fields = {}),
      /resources\[1\]\.fields: must be a list, not a mapping/,
    ],
    ['resources as null', (m) => (m.resources = null), /resources: must be a list, not null/],
    [
      'a field as a string',
      (m) => ((resource(m).fields as unknown[])[0] = 'number:str'),
      /fields\[0\]: must be a field \(a mapping\), not "number:str"/,
    ],
    [
      'an unknown key on a field',
      (m) => (field(m).onDelete = 'cascade'),
      /fields\[0\]: unknown key "onDelete"/,
    ],
    ['an unknown key at the top', (m) => (m.extra = 1), /manifest\.json: unknown key "extra"/],
    // Options.
    [
      'auth as a string',
      (m) => ((m.options as Json).auth = 'jwt'),
      /options\.auth: must be a list of one of jwt, api-key, none, not "jwt"/,
    ],
    [
      'db as a list',
      (m) => ((m.options as Json).db = ['sqlite']),
      /options\.db: must be one of sqlite, postgresql, mysql, not a list/,
    ],
    [
      'db outside the vocabulary',
      (m) => ((m.options as Json).db = 'oracle'),
      /options\.db: "oracle" is not one of/,
    ],
    [
      'an orm not rendered yet',
      (m) => ((m.options as Json).tasks = 'celery'),
      /options\.tasks: "celery" is not rendered by this version yet; it renders background/,
    ],
    [
      'auth none with jwt',
      (m) => ((m.options as Json).auth = ['none', 'jwt']),
      /options\.auth: "none" cannot be combined with jwt/,
    ],
    [
      'an unknown option',
      (m) => ((m.options as Json).graphql = 'true'),
      /options\.graphql: unknown option/,
    ],
    [
      'asked with a bad source',
      (m) => ((m.asked as Json).db = { values: ['sqlite'], from: 'rumour' }),
      /asked\.db\.from: must be one of flag, prompt, scaffold, guidance/,
    ],
    // Project, agent, migrations, modules.
    ['a project name that is a path', (m) => ((m.project as Json).name = '../x'), /project\.name/],
    [
      'a project name not normalised',
      (m) => ((m.project as Json).name = 'My API'),
      /project\.name: must be written "my-api"/,
    ],
    [
      'a title that closes a docstring',
      (m) => ((m.project as Json).title = 'x"""; import os; """'),
      /project\.title/,
    ],
    ['a title with a newline', (m) => ((m.project as Json).title = 'a\nb'), /project\.title/],
    [
      'an agent path outside the project',
      (m) => ((m.agent as Json).path = '/etc/passwd'),
      /agent\.path: must be "AGENTS\.md"/,
    ],
    [
      'a migration slug that is a path',
      (m) => (((m.migrations as Json[])[0] as Json).slug = '../../x'),
      /migrations\[0\]\.slug: use a-z, 0-9 and _/,
    ],
    [
      'a migration out of sequence',
      (m) => (((m.migrations as Json[])[0] as Json).revision = '0002'),
      /migrations\[0\]\.revision: must be "0001"/,
    ],
    [
      'a migration message that is code',
      (m) => (((m.migrations as Json[])[0] as Json).message = '"""\nimport os'),
      /migrations\[0\]\.message/,
    ],
    [
      'a migration op of another kind',
      (m) => ((((m.migrations as Json[])[0] as Json).ops as Json[])[0] = { kind: 'rm_rf' }),
      /migrations\[0\]\.ops\[0\]: needs a "kind"/,
    ],
    [
      'a module name that is a path',
      (m) => ((m.modules as Json[])[0] = { kind: 'router', name: '../x' }),
      /modules\[0\]\.name: "\.\.\/x" is not a usable Python name/,
    ],
    [
      'a module of another kind',
      (m) => ((m.modules as Json[])[0] = { kind: 'controller', name: 'x' }),
      /modules\[0\]: needs "name" and a "kind"/,
    ],
    [
      'a newer manifest',
      (m) => (m.manifestVersion = MANIFEST_VERSION + 1),
      /made by a newer create-fastapi-agent/,
    ],
    ['no version', (m) => delete m.manifestVersion, /not a create-fastapi-agent manifest/],
  ])('%s', (_, edit, message) => {
    const text = variant(edit);
    expect(() => parseManifest(text, MANIFEST_PATH)).toThrow(UserError);
    expect(() => parseManifest(text, MANIFEST_PATH)).toThrow(message);
    try {
      parseManifest(text, MANIFEST_PATH);
    } catch (error) {
      expect((error as Error).message).not.toMatch(/\n/);
      expect((error as Error).message.startsWith(MANIFEST_PATH)).toBe(true);
    }
  });

  test.each([
    '',
    'null',
    '[]',
    '"manifest"',
    '{',
    '{"manifestVersion": "2"}',
    '{"manifestVersion": 0}',
  ])('not a manifest at all: %j', (text) => {
    expect(() => parseManifest(text, MANIFEST_PATH)).toThrow(UserError);
  });
});

describe('upgrades', () => {
  test('a version 1 manifest gets a relative guidance path, no answers, and its modules list', () => {
    const m = good();
    const v1 = {
      ...m,
      manifestVersion: 1,
      agent: { name: 'backend', path: '/home/someone/agents/backend.md' },
    } as Json;
    delete v1.asked;
    delete v1.modules;
    const { manifest, upgradedFrom } = parseManifest(JSON.stringify(v1), MANIFEST_PATH);
    expect(upgradedFrom).toBe(1);
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(manifest.agent).toEqual({ name: 'backend', path: 'AGENTS.md', source: 'backend.md' });
    expect(manifest.asked).toEqual({});
    expect(manifest.modules).toEqual([]);
  });

  test('an option a project’s generator did not have takes the value rendered by default', () => {
    const text = variant((m) => {
      delete (m.options as Json).docker;
      delete (m.options as Json).ci;
    });
    const { manifest } = parseManifest(text, MANIFEST_PATH);
    expect(manifest.options.docker).toBe('true');
    expect(manifest.options.ci).toBe('none');
  });

  test('history keeps fields that rules made stricter since, but not unsafe ones', () => {
    const status = {
      name: 'status',
      type: 'enum',
      values: ['a', 'b'],
      required: true,
      unique: true,
      index: false,
    };
    const ok = variant((m) => (resource(m).fields as Json[]).push(status));
    expect(() => parseManifest(ok, MANIFEST_PATH)).toThrow(/an enum field cannot be unique/);
    const history = variant(
      (m) => (((m.migratedResources as Json[])[0] as Json).fields = [status]),
    );
    expect(() => parseManifest(history, MANIFEST_PATH)).not.toThrow();
    const unsafe = variant(
      (m) =>
        (((m.migratedResources as Json[])[0] as Json).fields = [{ ...status, values: ['a"b'] }]),
    );
    expect(() => parseManifest(unsafe, MANIFEST_PATH)).toThrow(
      /migratedResources\[0\]\.fields\[0\]\.values\[0\]/,
    );
  });
});
