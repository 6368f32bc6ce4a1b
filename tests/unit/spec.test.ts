import { describe, expect, test } from '@jest/globals';
import { parseAgentFile } from '../../src/core/agent.js';
import { UserError } from '../../src/core/errors.js';
import { detectPractices } from '../../src/core/practices.js';
import { buildSpec, type Answers } from '../../src/core/spec.js';

const agentFile = parseAgentFile('---\nname: a\n---\nUse PostgreSQL and JWT.\n', 'a.md');
const inputs = (answers: Answers) => ({
  answers,
  practices: detectPractices(agentFile),
  agent: { path: 'a.md', name: 'a', description: '', text: agentFile.text },
  secretKey: 'ab'.repeat(32),
  generatorVersion: '0.1.0',
});

describe('buildSpec', () => {
  test('practices fill what the answers leave out', () => {
    const spec = buildSpec(inputs({ name: 'My API' }));
    expect(spec).toMatchObject({
      name: 'my-api',
      title: 'My API',
      db: 'postgresql',
      auth: 'jwt',
      databaseName: 'my_api',
    });
  });

  test('answers win over practices', () => {
    expect(buildSpec(inputs({ name: 'x', db: 'sqlite', auth: 'none' }))).toMatchObject({
      db: 'sqlite',
      auth: 'none',
    });
  });

  test('a value outside the vocabulary is one clear error', () => {
    expect(() => buildSpec(inputs({ name: 'x', db: 'oracle' }))).toThrow(UserError);
    expect(() => buildSpec(inputs({ name: 'x', db: 'oracle' }))).toThrow(
      'db: "oracle" is not one of sqlite, postgresql',
    );
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
