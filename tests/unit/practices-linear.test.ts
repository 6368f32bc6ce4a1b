/**
 * Practice detection reads a long paragraph in time linear in its length: the rules that used to
 * rescan a whole sentence per mention are read another way. These tests hold each new reading to
 * the rule it replaces, on generated text (the timings are in bench/practices-scaling.mjs).
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseAgentFile } from '../../src/core/agent.js';
import { PRACTICES, followedBy } from '../../src/core/catalogue.js';
import { decidePractices, detectPractices, findMentions } from '../../src/core/practices.js';
import { prefersOverAt } from '../../src/core/practices-text.js';

/** Words the rules turn on, and a few others, with the separators between them. */
const WORDS = [
  'prefer',
  'preferred',
  'preferably',
  'over',
  'to',
  'moreover',
  'tomorrow',
  'use',
  'avoid',
  'not',
  'no',
  'never',
  'without',
  'is',
  'supported',
  'but',
  'we',
  'and',
  'the',
  'postgres',
  'postgresql',
  'sqlite',
  'mysql',
  'redis',
  'cache',
  'caching',
  'rate',
  'limit',
  'celery',
  'broker',
  'logging',
  'logs',
  'json',
  'jwt',
  'auth',
  'authentication',
  'docker',
  'uv',
  'pip',
  'ci',
  'versioning',
  'data',
  'dependencies',
  'install',
  'pinned',
  'lock',
  'pyproject',
  'requirements',
  'depends(',
  'metrics',
  'endpoint',
  'websockets',
  'in-memory',
  'pytest',
];
const SEPARATORS = [
  ' ',
  ' ',
  ' ',
  ', ',
  '. ',
  '; ',
  ': ',
  ' (',
  ') ',
  ' - ',
  '? ',
  '  ',
  '\u2028',
  '_',
];
const NEWLINES = ['\n', '\n\n', '\n- ', '\n# ', '\n## Avoid\n', '\n| a | b |\n|---|---|\n| '];

const text = (separators: string[]) =>
  fc
    .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...separators)), {
      minLength: 1,
      maxLength: 60,
    })
    .map((parts) => parts.map(([word, separator]) => word + separator).join(''));

describe('"prefer X over Y" read from the mention backwards', () => {
  const PREFERENCE_OVER = /\bprefer\w*\b.*\b(?:over|to)\s+(?:\w+\W+){0,2}$/i;

  test('agrees with the regex it replaces, at every word start of generated text', () => {
    fc.assert(
      fc.property(text([...SEPARATORS, '\n']), (sentence) => {
        for (const match of sentence.matchAll(/\b\w/g)) {
          const at = match.index;
          expect([sentence, at, prefersOverAt(sentence, at)]).toEqual([
            sentence,
            at,
            PREFERENCE_OVER.test(sentence.slice(0, at)),
          ]);
        }
      }),
      { numRuns: 400 },
    );
  });

  test.each([
    ['prefer PostgreSQL over ', true],
    ['Prefer a managed PostgreSQL over plain ', true],
    ['to prefer B over ', true],
    ['to prefer over ', true],
    ['prefer B over one two three ', false],
    ['prefer B\u2028over ', false],
    ['B over ', false],
    ['prefer B moreover ', false],
  ])('%p before the mention: %p', (before, expected) => {
    expect(prefersOverAt(`${before}X`, before.length)).toBe(expected);
  });
});

describe('followedBy', () => {
  const cases = [
    [/\b(?:install|pin|lock|upgrade)\w*\b/i, /\bdependencies\b/i],
    [/\bdependencies\b/i, /\b(?:requirements|pyproject|lock)/i],
  ] as const;

  test.each(cases)('%s then %s agrees with the regex first.*then', (first, then) => {
    const rule = followedBy(first, then);
    const regex = new RegExp(`${first.source}.*${then.source}`, 'i');
    fc.assert(
      fc.property(text([...SEPARATORS, '\n', '\r']), (sentence) => {
        expect([sentence, rule.test(sentence)]).toEqual([sentence, regex.test(sentence)]);
      }),
      { numRuns: 400 },
    );
  });

  test('the catalogue uses it where a rule would rescan the rest of the line', () => {
    // No context or exclusion may hold `.*`: it retries to the end of the sentence.
    for (const practice of PRACTICES) {
      for (const rule of [practice.context, practice.exclude, ...practice.patterns]) {
        if (rule instanceof RegExp) {
          expect([practice.id, rule.source.includes('.*')]).toEqual([practice.id, false]);
        }
      }
    }
  });
});

test('reading only the decisive statements decides as reading them all, on generated files', () => {
  fc.assert(
    fc.property(
      fc.array(text(SEPARATORS), { minLength: 1, maxLength: 6 }),
      fc.array(fc.constantFrom(...NEWLINES), { minLength: 6, maxLength: 6 }),
      (paragraphs, breaks) => {
        const body = paragraphs.map((p, i) => p + (breaks[i] ?? '\n')).join('');
        const agent = parseAgentFile(`---\nname: a\n---\n${body}\n`, 'a.md');
        expect([body, detectPractices(agent)]).toEqual([
          body,
          decidePractices(agent, findMentions(agent)),
        ]);
      },
    ),
    { numRuns: 600 },
  );
});

test('"Avoid logging. ... Use structured logging": the later positive statement is read', () => {
  const agent = parseAgentFile('---\nname: a\n---\nAvoid logging.\n\nUse logging.\n', 'a.md');
  expect(detectPractices(agent).options.logging).toMatchObject({
    values: ['text'],
    source: 'detected',
    evidence: { text: { line: 6, text: 'Use logging.' } },
  });
});

test.each([
  ['at its start', '', 2000],
  ['in its middle', 'lorem ipsum '.repeat(300), 2000],
  ['at its end', 'lorem ipsum '.repeat(300), 0],
  ['after astral characters', '😀'.repeat(1001), 10],
])('a mention %s of a very long line is quoted with the words around it', (_, before, after) => {
  const line = `${before}We use PostgreSQL. ${'dolor sit amet '.repeat(after / 15)}`;
  const agent = parseAgentFile(`---\nname: a\n---\n${line}\n`, 'a.md');
  const evidence = detectPractices(agent).options.db.evidence.postgresql;
  expect(evidence?.text).toContain('We use PostgreSQL.');
  expect(evidence?.text.length).toBeLessThanOrEqual(410);
  expect(evidence?.text).toMatch(line.length > 1000 ? /…/ : /^We/);
  // No half of a character written as two UTF-16 units:
  expect(evidence?.text).not.toMatch(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
  );
});
