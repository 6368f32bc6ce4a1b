import { describe, expect, test } from '@jest/globals';
import { parseAgentFile } from '../../src/core/agent.js';
import { UserError } from '../../src/core/errors.js';
import { detectPractices } from '../../src/core/practices.js';
import { buildSpec, type Answers } from '../../src/core/spec.js';

const inputs = (answers: Answers, body = 'Use PostgreSQL and JWT.') => {
  const agentFile = parseAgentFile(`---\nname: a\n---\n${body}\n`, 'a.md');
  return {
    answers,
    practices: detectPractices(agentFile),
    agent: { path: 'a.md', name: 'a', description: '', text: agentFile.text },
    secretKey: 'ab'.repeat(32),
    generatorVersion: '0.1.0',
  };
};

describe('buildSpec', () => {
  test('practices fill what the answers leave out', () => {
    const spec = buildSpec(inputs({ name: 'My API' }));
    expect(spec).toMatchObject({ name: 'my-api', title: 'My API', databaseName: 'my_api' });
    expect(spec.options).toMatchObject({ db: 'postgresql', auth: ['jwt'], orm: 'sqlalchemy' });
    expect(spec.fallbacks).toEqual([]);
  });

  test('answers win over practices', () => {
    const spec = buildSpec(inputs({ name: 'x', options: { db: 'sqlite', auth: ['none'] } }));
    expect(spec.options).toMatchObject({ db: 'sqlite', auth: ['none'] });
  });

  test.each(['fastapi', 'sqlalchemy', 'pytest', 'pydantic_settings', 'Email.Validator', 'uvicorn'])(
    'a project named like one of its own dependencies (%s) is refused',
    (name) => {
      expect(() => buildSpec(inputs({ name }))).toThrow(
        /is the name of a package the project depends on/,
      );
    },
  );

  test.each(['fastapi-service', 'pytest-demo', 'shop'])('%s is a fine project name', (name) => {
    expect(buildSpec(inputs({ name })).name).toBe(name);
  });

  test('a value outside the vocabulary is one clear error', () => {
    const bad = inputs({ name: 'x', options: { db: 'oracle' } });
    expect(() => buildSpec(bad)).toThrow(UserError);
    expect(() => buildSpec(bad)).toThrow('db: "oracle" is not one of sqlite, postgresql, mysql');
  });

  test('a stated value the generator cannot render yet falls back to the nearest, with a warning naming the line', () => {
    const spec = buildSpec(inputs({ name: 'x' }, 'We run on MySQL.\nJobs run on Celery.'));
    expect(spec.options).toMatchObject({ db: 'mysql', tasks: 'background' });
    expect(spec.fallbacks).toEqual([
      'tasks=celery (a.md line 5) is not rendered yet: using tasks=background',
    ]);
  });

  test('several auth kinds: the rendered ones are kept, the others warn', () => {
    const spec = buildSpec(inputs({ name: 'x', options: { auth: ['jwt', 'api-key'] } }));
    expect(spec.options.auth).toEqual(['jwt']);
    expect(spec.fallbacks).toEqual([
      'auth=api-key (asked for) is not rendered yet: using auth=jwt',
    ]);
  });

  test('defaults that are not rendered fall back silently: nothing was asked for', () => {
    const spec = buildSpec(inputs({ name: 'x' }, 'Nothing about backends here.'));
    expect(spec.options).toMatchObject({ ci: 'none', versioning: 'path', websocket: 'false' });
    expect(spec.fallbacks).toEqual([]);
  });

  test('the applied practices say where each lives and why', () => {
    const spec = buildSpec(inputs({ name: 'x' }));
    expect(spec.applied).toEqual(
      expect.arrayContaining([
        {
          practice: 'PostgreSQL (asyncpg)',
          where: 'app/db/session.py, DATABASE_URL in .env',
          reason: 'AGENTS.md line 4',
        },
        {
          practice: 'Router modules',
          where: 'app/<domain>/router.py, app/api/router.py',
          reason: 'default',
        },
        { practice: 'Password hashing (Argon2)', where: 'app/core/security.py', reason: 'default' },
      ]),
    );
    const none = buildSpec(inputs({ name: 'x', options: { auth: ['none'] } }));
    expect(none.applied.map((a) => a.practice)).not.toContain('Password hashing (Argon2)');
    expect(none.applied.map((a) => a.practice)).not.toContain('Role-based access control');
  });

  test('a secret key that is not 32 random bytes in hex is refused', () => {
    expect(() => buildSpec({ ...inputs({ name: 'x' }), secretKey: 'changeme' })).toThrow(
      /secretKey/,
    );
  });

  test('a name that cannot be normalised is refused', () => {
    expect(() => buildSpec(inputs({ name: '!!!' }))).toThrow(
      /cannot make a project name from "!!!"/,
    );
  });
});
