/**
 * Detection scored on a corpus of guidance files written for it (tests/fixtures/guidance), one
 * folder per file: the file under its real name (CLAUDE.md, AGENTS.md, *.mdc, *.instructions.md,
 * .windsurfrules...) and expected.json with what a careful reader finds in it (`expected`, the
 * first value of each option being the preferred one), what it must never give (`mustNot`), its
 * format and metadata. Scored by precision and recall per option; printed, and held to recall >=
 * 0.95, precision >= 0.97 and no wrong pick on the negation, scope and non-backend files.
 */
import path from 'node:path';
import { expect, test } from '@jest/globals';
import { PACKAGE_ROOT } from '../../src/io/paths.js';
import { detectedPairs, loadCorpus, scoreCorpus, scoreTable } from '../helpers/guidance-corpus.js';

const cases = loadCorpus(path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'guidance'));
const score = () => scoreCorpus(cases);

test('the corpus has at least 40 files, every language at least twice', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  const languages = new Map<string, number>();
  for (const c of cases)
    languages.set(c.expected.language, (languages.get(c.expected.language) ?? 0) + 1);
  for (const language of ['en', 'es', 'pt', 'fr', 'de', 'zh', 'ja', 'ko']) {
    expect({ language, files: Math.min(2, languages.get(language) ?? 0) }).toEqual({
      language,
      files: 2,
    });
  }
  const classes = new Set(cases.flatMap((c) => c.expected.classes));
  expect([...classes].sort()).toEqual(
    ['format', 'negation', 'non-backend', 'scope', 'stated-missed', 'table'].sort(),
  );
});

test('precision >= 0.97 and recall >= 0.95, per option and overall; no wrong pick', () => {
  const { perOption, wrong, misses, preferred } = score();
  const { rows, precision, recall } = scoreTable(perOption);
  console.log(
    [
      `practice detection over ${cases.length} guidance files`,
      ...rows,
      `wrong picks on negation, scope and non-backend files: ${wrong.length}`,
      ...(misses.length ? ['', ...misses] : []),
      ...(preferred.length ? ['', ...preferred] : []),
    ].join('\n'),
  );
  expect(wrong).toEqual([]);
  expect(preferred).toEqual([]);
  expect(precision).toBeGreaterThanOrEqual(0.97);
  expect(recall).toBeGreaterThanOrEqual(0.95);
});

test.each(cases.map((c) => [c.name, c] as const))('%s: format, metadata and warnings', (_, c) => {
  const { agent, set, expected } = c;
  expect(agent.format).toBe(expected.format);
  if (expected.metadata) expect(agent.metadata).toEqual(expected.metadata);
  const warnings = [...agent.warnings, ...set.warnings];
  const noBackend = warnings.some((w) =>
    /states no backend practice|not guidance for building/.test(w),
  );
  expect(noBackend).toBe((expected.warns ?? []).includes('no practices'));
  if (expected.backend === false) expect(detectedPairs(set)).toEqual([]);
});
