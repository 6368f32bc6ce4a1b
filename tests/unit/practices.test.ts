import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseAgentFile } from '../../src/core/agent.js';
import { detectPractices } from '../../src/core/practices.js';
import { BUNDLED_AGENT, PACKAGE_ROOT } from '../../src/io/paths.js';

const SEED = path.resolve(PACKAGE_ROOT, '..', 'shared', 'seed', 'fastapi-backend-developer.md');
const agent = (text: string) => parseAgentFile(text, 'agent.md');

describe('detectPractices', () => {
  test('the first database the file names is the default, with its line as evidence', () => {
    const set = detectPractices(
      agent('---\nname: a\n---\n# Data\nWe use PostgreSQL with asyncpg.\nSQLite in tests.\n'),
    );
    expect(set.options.db).toMatchObject({ value: 'postgresql', source: 'detected' });
    expect(set.options.db.evidence).toMatchObject({
      line: 5,
      text: 'We use PostgreSQL with asyncpg.',
    });
  });

  test('a file that states nothing usable gives the defaults and says so', () => {
    const set = detectPractices(
      agent('---\nname: react-dev\n---\nBuild React components with hooks.\n'),
    );
    expect(set.options.db).toEqual({ value: 'sqlite', source: 'default' });
    expect(set.options.auth).toEqual({ value: 'jwt', source: 'default' });
    expect(set.warnings[0]).toMatch(/states no backend practice/);
  });

  test('the bundled agent keeps SQLite as its database and states JWT', () => {
    const set = detectPractices(parseAgentFile(readFileSync(BUNDLED_AGENT, 'utf8'), BUNDLED_AGENT));
    expect(set.options.db.value).toBe('sqlite');
    expect(set.options.auth).toMatchObject({ value: 'jwt', source: 'detected' });
  });

  (existsSync(SEED) ? test : test.skip)('the seed makes PostgreSQL and JWT the defaults', () => {
    const set = detectPractices(parseAgentFile(readFileSync(SEED, 'utf8'), SEED));
    expect(set.options.db).toMatchObject({ value: 'postgresql', source: 'detected' });
    expect(set.options.auth).toMatchObject({ value: 'jwt', source: 'detected' });
  });
});
