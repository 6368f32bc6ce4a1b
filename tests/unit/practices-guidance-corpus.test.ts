/**
 * Detection scored on a corpus of guidance files written for it (tests/fixtures/guidance), one
 * folder per file: the file under its real name (CLAUDE.md, AGENTS.md, *.mdc, *.instructions.md,
 * .windsurfrules...) and expected.json with what a careful reader finds in it (`expected`, the
 * first value of each option being the preferred one), what it must never give (`mustNot`), its
 * format and metadata. Scored by precision and recall per option; printed, and held to recall >=
 * 0.95, precision >= 0.97 and no wrong pick on the negation, scope and non-backend files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@jest/globals';
import { decodeAgentBytes, parseAgentFile, type AgentFile } from '../../src/core/agent.js';
import { OPTION_IDS } from '../../src/core/options.js';
import { detectPractices, type PracticeSet } from '../../src/core/practices.js';
import { PACKAGE_ROOT } from '../../src/io/paths.js';

const CORPUS = path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'guidance');

interface Expected {
  description: string;
  language: string;
  format: string;
  classes: string[];
  metadata?: Record<string, unknown>;
  backend?: boolean;
  expected: Record<string, string[]>;
  mustNot?: Record<string, string[]>;
  warns?: string[];
}

interface Case {
  name: string;
  agent: AgentFile;
  set: PracticeSet;
  expected: Expected;
}

function loadCase(name: string): Case {
  const dir = path.join(CORPUS, name);
  const file = readdirSync(dir).find((f) => f !== 'expected.json') as string;
  const agent = parseAgentFile(
    decodeAgentBytes(readFileSync(path.join(dir, file)), `${name}/${file}`),
    `${name}/${file}`,
  );
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
  return { name, agent, set: detectPractices(agent), expected };
}

const cases = readdirSync(CORPUS)
  .filter((f) => !f.startsWith('.'))
  .sort()
  .map(loadCase);

/** option=value pairs the file was found to state: chosen values and offered alternatives. */
function detectedPairs(set: PracticeSet): string[] {
  return OPTION_IDS.flatMap((id) => {
    const r = set.options[id];
    return r.source === 'default' ? [] : [...r.values, ...r.alternatives].map((v) => `${id}=${v}`);
  });
}

const pairs = (values: Record<string, string[]> = {}): string[] =>
  Object.entries(values).flatMap(([option, list]) => list.map((v) => `${option}=${v}`));

/** Files where any pick the reader does not expect is a wrong pick. */
const STRICT = new Set(['negation', 'scope', 'non-backend']);

function score(): {
  perOption: Map<string, { tp: number; fp: number; fn: number }>;
  wrong: string[];
  misses: string[];
  preferred: string[];
} {
  const perOption = new Map(OPTION_IDS.map((id) => [id as string, { tp: 0, fp: 0, fn: 0 }]));
  const wrong: string[] = [];
  const misses: string[] = [];
  const preferred: string[] = [];
  for (const { name, set, expected } of cases) {
    const found = detectedPairs(set);
    const wanted = new Set(pairs(expected.expected));
    const forbidden = new Set(pairs(expected.mustNot));
    const strict = expected.classes.some((c) => STRICT.has(c));
    for (const pair of found) {
      const counts = perOption.get(pair.split('=')[0] as string);
      if (!counts) continue;
      if (wanted.has(pair)) counts.tp += 1;
      else {
        counts.fp += 1;
        misses.push(`${name}: false positive ${pair}`);
        if (strict || forbidden.has(pair)) wrong.push(`${name}: ${pair}`);
      }
    }
    for (const pair of wanted) {
      if (found.includes(pair)) continue;
      (perOption.get(pair.split('=')[0] as string) as { fn: number }).fn += 1;
      misses.push(`${name}: missed ${pair}`);
    }
    for (const [option, values] of Object.entries(expected.expected)) {
      const r = set.options[option as keyof PracticeSet['options']];
      if (r.source !== 'default' && r.values[0] !== values[0]) {
        preferred.push(`${name}: ${option}=${r.values[0]} chosen, ${values[0]} stated first`);
      }
    }
  }
  return { perOption, wrong, misses, preferred };
}

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
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const ratio = (a: number, b: number): string => (b === 0 ? '  -  ' : (a / b).toFixed(3));
  const rows = ['| option | stated | found | precision | recall |', '|---|---|---|---|---|'];
  for (const [option, c] of perOption) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    rows.push(
      `| ${option} | ${c.tp + c.fn} | ${c.tp + c.fp} | ${ratio(c.tp, c.tp + c.fp)} | ${ratio(c.tp, c.tp + c.fn)} |`,
    );
  }
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  rows.push(`| all | ${tp + fn} | ${tp + fp} | ${precision.toFixed(3)} | ${recall.toFixed(3)} |`);
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
