/**
 * The practices report and the generated README's "Practices applied" table: what each row
 * offers, and the guidance line each row cites.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { practicesReport } from '../../src/commands/practices.js';
import { parseAgentFile } from '../../src/core/agent.js';
import { detectPractices } from '../../src/core/practices.js';
import { buildSpec } from '../../src/core/spec.js';
import { BUNDLED_AGENT } from '../../src/io/paths.js';

const report = (text: string) => {
  const agent = parseAgentFile(text, 'a.md');
  return practicesReport(agent, detectPractices(agent));
};

describe('rows of an option with several values', () => {
  test('no row offers its own value as an alternative', () => {
    const { practices } = report('Use JWT for people and API keys for services.\n');
    const auth = practices.filter((r) => r.option === 'auth');
    expect(auth.map((r) => [r.value, r.alternatives])).toEqual([
      ['jwt', ['api-key']],
      ['api-key', ['jwt']],
    ]);
  });

  test('a one-value option offers the other values the file states', () => {
    const { practices } = report('PostgreSQL or SQLite.\n');
    expect(practices.find((r) => r.option === 'db')).toMatchObject({
      value: 'postgresql',
      alternatives: ['sqlite'],
    });
  });
});

describe('the README cites the line that states each practice', () => {
  const text = readFileSync(BUNDLED_AGENT, 'utf8');
  const agent = parseAgentFile(text, BUNDLED_AGENT);
  const spec = buildSpec({
    answers: { name: 'shop' },
    practices: detectPractices(agent),
    agent: { path: BUNDLED_AGENT, name: agent.name, description: '', text: agent.text },
    secretKey: 'a'.repeat(64),
    generatorVersion: '0.0.0',
  });
  const lines = agent.text.split('\n');
  const cited = (practice: string): string => {
    const row = spec.applied.find((r) => r.practice === practice);
    const line = /AGENTS\.md line (\d+)/.exec(row?.reason ?? '')?.[1];
    return lines[Number(line) - 1] ?? `(no line: ${row?.reason ?? 'no row'})`;
  };

  test('health checks: the line about health checks, not "production readiness" in the description', () => {
    expect(cited('Health checks')).toMatch(/health checks/i);
    expect(cited('Health checks')).not.toMatch(/production readiness/);
  });

  test.each([
    ['Router modules', /router/i],
    ['Service layer', /service|business logic/i],
    ['Dependency injection', /dependenc/i],
    ['pytest with async tests', /pytest|async tests/i],
    ['Logging', /logging/i],
  ])('%s cites a line that names it', (practice, words) => {
    expect(cited(practice)).toMatch(words);
  });

  test('"production readiness" is not a health check; a readiness probe is', () => {
    const stated = (body: string) => detectPractices(parseAgentFile(body, 'a.md')).fixed;
    expect(stated('Review an API for production readiness.\n')['health-checks']).toBeUndefined();
    expect(stated('Expose a readiness probe.\n')['health-checks']).toEqual({
      line: 1,
      text: 'Expose a readiness probe.',
    });
  });
});
