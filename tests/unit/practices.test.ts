import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseAgentFile } from '../../src/core/agent.js';
import { UserError } from '../../src/core/errors.js';
import { OPTION_IDS } from '../../src/core/options.js';
import { PRACTICES } from '../../src/core/catalogue.js';
import {
  detectPractices,
  requiredLiteral,
  triggerWord,
  type PracticeSet,
} from '../../src/core/practices.js';
import { BUNDLED_AGENT, PACKAGE_ROOT } from '../../src/io/paths.js';

const SEED = path.resolve(PACKAGE_ROOT, '..', 'shared', 'seed', 'fastapi-backend-developer.md');
const detect = (body: string, frontMatter = 'name: a') =>
  detectPractices(parseAgentFile(`---\n${frontMatter}\n---\n${body}\n`, 'agent.md'));

/** option -> [chosen..., alternatives...] for what the file states (defaults left out). */
function stated(set: PracticeSet): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of OPTION_IDS) {
    const r = set.options[id];
    if (r.source !== 'default') out[id] = [...r.values, ...r.alternatives];
  }
  return out;
}

describe('detectPractices', () => {
  test('the first database the file names is the default, with its line as evidence', () => {
    const set = detect('# Data\nWe use PostgreSQL with asyncpg.\nSQLite in tests.');
    expect(set.options.db).toMatchObject({
      values: ['postgresql'],
      alternatives: ['sqlite'],
      source: 'detected',
    });
    expect(set.options.db.evidence.postgresql).toEqual({
      line: 5,
      text: 'We use PostgreSQL with asyncpg.',
    });
  });

  test.each([
    ['Avoid Celery, use FastAPI BackgroundTasks.', 'tasks', ['background'], ['celery']],
    ['Prefer SQLAlchemy over Tortoise.', 'orm', ['sqlalchemy'], ['tortoise']],
    ['Use Tortoise ORM instead of SQLAlchemy.', 'orm', ['tortoise'], ['sqlalchemy']],
    ['Do not use SQLite, even in tests: PostgreSQL only.', 'db', ['postgresql'], ['sqlite']],
    ['MySQL is not supported; run PostgreSQL.', 'db', ['postgresql'], ['mysql']],
  ])('negation and preference: %s', (body, option, values, rejected) => {
    const r = detectPractices(parseAgentFile(`${body}\n`, 'a.md')).options[option as 'db'];
    expect([...r.values, ...r.alternatives]).toEqual(values);
    expect(r.rejected).toEqual(rejected);
  });

  test('a negation runs through a bare list: "Skip caching, rate limiting and API versioning"', () => {
    const set = detect(
      'Skip caching, rate limiting and API versioning.\nNo WebSockets, no Docker.',
    );
    expect(stated(set)).toEqual({
      cache: ['none'],
      'rate-limit': ['off'],
      versioning: ['none'],
      websocket: ['false'],
      docker: ['false'],
    });
  });

  test('on one line, the value named first comes first', () => {
    const set = detect('Run PostgreSQL in production and SQLite in tests.');
    expect(set.options.db).toMatchObject({ values: ['postgresql'], alternatives: ['sqlite'] });
  });

  test('a "Don\'t" table column and a "Don\'t" section turn down what they name', () => {
    const table = [
      "| Area | Do | Don't |",
      '|---|---|---|',
      '| Data | Keep rules in PostgreSQL. | Keep rules in SQLite files. |',
      '| Jobs | Run reindexes as Celery tasks. | Start them from BackgroundTasks. |',
    ].join('\n');
    const set = detect(`${table}\n\n## Don'ts\n\n- Tortoise ORM for side tables.\n`);
    expect(set.options.db).toMatchObject({ values: ['postgresql'], rejected: ['sqlite'] });
    expect(set.options.tasks).toMatchObject({ values: ['celery'], rejected: ['background'] });
    expect(set.options.orm.rejected).toEqual(['tortoise']);
    expect(set.options.db.evidence.postgresql).toEqual({ line: 6, text: table.split('\n')[2] });
  });

  test('a question states nothing; its answer does', () => {
    const set = detect(
      '### Do I need to set up CORS?\n\nNo need for CORS: the frontend shares our origin.',
    );
    expect(stated(set)).toEqual({ cors: ['false'] });
  });

  test.each([
    ['We moved off Celery to RQ last year.', 'tasks', 'celery'],
    ['API keys SHALL NOT be issued to any caller.', 'auth', 'api-key'],
    ['SQLite used to be our database; PostgreSQL now.', 'db', 'sqlite'],
  ])('%s turns the value down', (body, option, value) => {
    expect(detect(body).options[option as 'db'].rejected).toContain(value);
  });

  test('"metrics" about the domain is not about monitoring the service', () => {
    expect(stated(detect('Patients have vital-sign metrics such as heart rate.'))).toEqual({});
    expect(stated(detect('Expose request latency metrics.'))).toEqual({ metrics: ['true'] });
  });

  test('Redis takes its meaning from its own clause, not the whole sentence', () => {
    const set = detect(
      'The catalogue is cached in Redis (it rarely changes), and requests are rate limited in-process.',
    );
    expect(stated(set)).toEqual({ cache: ['redis'], 'rate-limit': ['memory'] });
  });

  test('alternatives without a preference are offered, the first being the default', () => {
    const set = detect('Database access goes through SQLAlchemy/Tortoise ORM.');
    expect(set.options.orm).toMatchObject({ values: ['sqlalchemy'], alternatives: ['tortoise'] });
  });

  test('Redis is a cache, a broker or a rate limiter store by what the sentence says', () => {
    expect(stated(detect('Cache hot reads in Redis.'))).toEqual({ cache: ['redis'] });
    expect(stated(detect('Celery uses Redis as its broker.'))).toEqual({
      tasks: ['celery'],
      broker: ['redis'],
    });
    expect(stated(detect('Keep rate limit counters in Redis.'))).toEqual({
      'rate-limit': ['redis'],
    });
  });

  test('an import in a code block is evidence', () => {
    const set = detect('Models:\n\n```python\nfrom tortoise import fields\n```');
    expect(set.options.orm).toMatchObject({ values: ['tortoise'], source: 'detected' });
    expect(set.options.orm.evidence.tortoise?.line).toBe(7);
  });

  test('look-alikes are not evidence: uvicorn, Idempotency-Key, JSON APIs, data versioning', () => {
    const set = detect(
      'Run uvicorn behind nginx.\nAccept an Idempotency-Key header.\nWe build a JSON API.\nUse data versioning for datasets.',
    );
    expect(stated(set)).toEqual({});
  });

  test('mixed case, Windows line endings and a BOM read the same', () => {
    const text = '\uFEFF---\r\nname: a\r\n---\r\nUse POSTGRESQL and jwt.\r\n';
    const set = detectPractices(parseAgentFile(text, 'a.md'));
    expect(stated(set)).toEqual({ db: ['postgresql'], auth: ['jwt'] });
    expect(set.options.db.evidence.postgresql?.line).toBe(4);
  });

  test('the description in the front matter counts, with its own line', () => {
    const set = detect('', 'name: a\ndescription: Builds Celery workers on Redis brokers.');
    expect(set.options.tasks.evidence.celery?.line).toBe(3);
  });

  test('a description running on over lines, with examples, counts up to the next key', () => {
    const set = detect(
      '',
      'name: a\ndescription: Backend helper.\n<example>\nuser: "Add Celery jobs"\n</example>\nmodel: opus\ntools: Redis-cli',
    );
    expect(set.options.tasks.evidence.celery?.line).toBe(5);
    expect(stated(set)).toEqual({ tasks: ['celery'] });
  });

  test('a file that states nothing usable gives the defaults and says so', () => {
    const set = detect('Build React components with hooks and Tailwind.');
    expect(set.options.db).toMatchObject({ values: ['sqlite'], source: 'default' });
    expect(set.options.auth).toMatchObject({ values: ['jwt'], source: 'default' });
    expect(set.warnings[0]).toMatch(/states no backend practice/);
  });

  test('a 5 MB guidance file is read without error', () => {
    const paragraph =
      'Use PostgreSQL with SQLAlchemy. Avoid Celery, use BackgroundTasks. Cache in Redis.\n\n';
    const body = paragraph.repeat(Math.ceil((5 * 1024 * 1024) / paragraph.length));
    const set = detect(body);
    expect(set.options.db.values).toEqual(['postgresql']);
    expect(set.options.tasks.rejected).toEqual(['celery']);
  });
});

describe('the scaffold: block', () => {
  test('sets options exactly and wins over the text', () => {
    const set = detect(
      'We use SQLite and Celery.',
      'name: a\nscaffold:\n  db: postgresql\n  auth: [jwt, api-key]\n  tasks: background',
    );
    expect(set.options.db).toMatchObject({ values: ['postgresql'], source: 'frontmatter' });
    expect(set.options.auth).toMatchObject({ values: ['jwt', 'api-key'], source: 'frontmatter' });
    expect(set.options.tasks.values).toEqual(['background']);
    expect(set.options.db.evidence.postgresql?.line).toBe(4);
  });

  test('accepts YAML booleans for yes/no options', () => {
    const set = detect('', 'name: a\nscaffold:\n  docker: false\n  websocket: true');
    expect(set.options.docker.values).toEqual(['false']);
    expect(set.options.websocket.values).toEqual(['true']);
  });

  test.each([
    [
      '  databse: postgresql',
      /agent\.md:4: scaffold: databse: unknown option; options are db, orm, migrations, auth, /,
    ],
    ['  db: oracle', /agent\.md:4: scaffold: db: "oracle" is not one of sqlite, postgresql, mysql/],
    ['  auth: [jwt, saml]', /scaffold: auth: "saml" is not one of jwt, api-key, none/],
    ['  db: [sqlite, postgresql]', /scaffold: db: takes one value, not sqlite and postgresql/],
  ])('%s is a clear error', (line, message) => {
    expect(() => detect('', `name: a\nscaffold:\n${line}`)).toThrow(UserError);
    expect(() => detect('', `name: a\nscaffold:\n${line}`)).toThrow(message);
  });
});

/** What the issue says the seed states (its database aside). */
const SEED_SET = {
  orm: ['sqlalchemy', 'tortoise'],
  migrations: ['alembic'],
  auth: ['jwt', 'api-key'],
  roles: ['true'],
  tasks: ['background', 'celery'],
  websocket: ['true'],
  cors: ['true'],
  'rate-limit': ['memory'],
  cache: ['redis', 'memory'],
  versioning: ['path'],
  logging: ['text'],
};

function expectSeedSet(set: PracticeSet): void {
  for (const [option, values] of Object.entries(SEED_SET)) {
    const r = set.options[option as keyof typeof set.options];
    expect({ option, values: [...r.values, ...r.alternatives].sort() }).toEqual({
      option,
      values: [...values].sort(),
    });
    expect({ option, first: r.values[0] }).toEqual({ option, first: values[0] });
  }
  for (const fixed of [
    'routers',
    'schemas',
    'services',
    'dependency-injection',
    'health-checks',
    'tests',
  ] as const) {
    expect({ fixed, found: Boolean(set.fixed[fixed]) }).toEqual({ fixed, found: true });
  }
}

test('the bundled agent gives the seed set, with SQLite as its database', () => {
  const set = detectPractices(parseAgentFile(readFileSync(BUNDLED_AGENT, 'utf8'), BUNDLED_AGENT));
  expectSeedSet(set);
  expect(set.options.db.values).toEqual(['sqlite']);
});

const seedExists = existsSync(SEED);
if (!seedExists) console.warn(`skipped: the seed agent file is not at ${SEED}`);
(seedExists ? test : test.skip)('the seed gives its set, with PostgreSQL as its database', () => {
  const set = detectPractices(parseAgentFile(readFileSync(SEED, 'utf8'), SEED));
  expectSeedSet(set);
  expect(set.options.db.values).toEqual(['postgresql']);
});

describe('requiredLiteral', () => {
  test.each([
    [/\bpostgres(?:ql)?\b/i, 'postgres'],
    [/\bweb ?sockets?\b/i, 'socket'],
    [/\bbackground[- ]?tasks?\b/i, 'background'],
    [/\/api\/v\d+\b/i, '/api/v'],
    [/\b(?:permissions?|access) by role\b/i, ' by role'],
    [/(?<!\buv )\bpip\b/i, 'pip'],
    [/a|b/i, ''],
  ])('%s needs %p', (pattern, literal) => expect(requiredLiteral(pattern)).toBe(literal));

  test.each([
    [/\bpostgres(?:ql)?\b/i, 'postgres'],
    [/\/api\/v\d+\b/i, 'api'],
    [/\bx-frame-options\b/i, 'options'],
    [/\blru_cache\b/i, 'lru'],
    [/\b(?:permissions?|access) by role\b/i, 'role'],
    [/(?<!\buv )\bpip\b/i, 'pip'],
  ])('trigger word of %s is %p', (pattern, word) => expect(triggerWord(pattern)).toBe(word));

  test('every catalogue pattern has a trigger word, so no statement is skipped', () => {
    for (const practice of PRACTICES) {
      for (const pattern of practice.patterns) {
        expect({ pattern: pattern.source, trigger: triggerWord(pattern).length >= 2 }).toEqual({
          pattern: pattern.source,
          trigger: true,
        });
      }
    }
  });
});
