/**
 * Detection scored against a corpus of agent guidance files written by hand, each with the
 * practices a careful reader finds in it. Fails below 0.95 precision or recall.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { decodeAgentBytes, parseAgentFile } from '../../src/core/agent.js';
import { OPTION_IDS } from '../../src/core/options.js';
import {
  decidePractices,
  detectPractices,
  findMentions,
  type PracticeSet,
} from '../../src/core/practices.js';
import { PACKAGE_ROOT } from '../../src/io/paths.js';

const CORPUS = path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'agents');

interface Expected {
  description: string;
  expected: Record<string, string[]>;
  rejected?: Record<string, string[]>;
  warns?: string[];
}

const files = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.md'))
  .sort();

function load(file: string): { set: PracticeSet; warnings: string[]; expected: Expected } {
  const full = path.join(CORPUS, file);
  const agent = parseAgentFile(decodeAgentBytes(readFileSync(full), file), file);
  const set = detectPractices(agent);
  const expected = JSON.parse(
    readFileSync(full.replace(/\.md$/, '.expected.json'), 'utf8'),
  ) as Expected;
  return { set, warnings: [...agent.warnings, ...set.warnings], expected };
}

/** (option, value) pairs the file was found to state: chosen values and offered alternatives. */
function detectedPairs(set: PracticeSet): Set<string> {
  const pairs = new Set<string>();
  for (const id of OPTION_IDS) {
    const resolution = set.options[id];
    if (resolution.source === 'default') continue;
    for (const value of [...resolution.values, ...resolution.alternatives])
      pairs.add(`${id}=${value}`);
  }
  return pairs;
}

function expectedPairs(expected: Record<string, string[]>): Set<string> {
  return new Set(
    Object.entries(expected).flatMap(([option, values]) => values.map((v) => `${option}=${v}`)),
  );
}

test('the corpus has at least 12 files, each with its expectations', () => {
  expect(files.length).toBeGreaterThanOrEqual(12);
});

test('precision and recall over the corpus are at least 0.95', () => {
  let truePositives = 0;
  let detectedCount = 0;
  let expectedCount = 0;
  const misses: string[] = [];
  for (const file of files) {
    const { set, expected } = load(file);
    const found = detectedPairs(set);
    const wanted = expectedPairs(expected.expected);
    for (const pair of found) {
      if (wanted.has(pair)) truePositives += 1;
      else misses.push(`${file}: false positive ${pair}`);
    }
    for (const pair of wanted) if (!found.has(pair)) misses.push(`${file}: missed ${pair}`);
    detectedCount += found.size;
    expectedCount += wanted.size;
  }
  const precision = truePositives / detectedCount;
  const recall = truePositives / expectedCount;
  console.log(
    `practice detection over ${files.length} files: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}` +
      (misses.length ? `\n${misses.join('\n')}` : ''),
  );
  expect(precision).toBeGreaterThanOrEqual(0.95);
  expect(recall).toBeGreaterThanOrEqual(0.95);
});

describe.each(files)('%s', (file) => {
  test('the preferred value is the default, and rejected values are never chosen', () => {
    const { set, expected } = load(file);
    for (const [option, values] of Object.entries(expected.expected)) {
      if (option === 'auth') continue; // several kinds at once: covered by the pairs above
      const resolution = set.options[option as keyof PracticeSet['options']];
      expect(`${option}=${resolution.values[0]}`).toBe(`${option}=${values[0]}`);
    }
    for (const [option, values] of Object.entries(expected.rejected ?? {})) {
      const resolution = set.options[option as keyof PracticeSet['options']];
      for (const value of values) {
        expect(resolution.source === 'default' ? [] : resolution.values).not.toContain(value);
      }
    }
  });

  test('reading only the decisive statements decides as reading them all', () => {
    const full = path.join(CORPUS, file);
    const agent = parseAgentFile(decodeAgentBytes(readFileSync(full), file), file);
    expect(detectPractices(agent)).toEqual(decidePractices(agent, findMentions(agent)));
  });

  test('warns as expected', () => {
    const { warnings, expected } = load(file);
    const tags = expected.warns ?? [];
    expect(warnings.some((w) => /not strict YAML/.test(w))).toBe(
      tags.includes('lenient front matter'),
    );
    expect(warnings.some((w) => /states no backend practice/.test(w))).toBe(
      tags.includes('no practices'),
    );
  });
});
