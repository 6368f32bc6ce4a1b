/**
 * A corpus of guidance files for scoring detection: one folder per file, the file under its real
 * name beside expected.json (what a careful reader finds, the first value of each option being
 * the preferred one; what it must never give; its format and metadata). Shared by the tuned
 * corpus's test and the held-out one's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decodeAgentBytes, parseAgentFile, type AgentFile } from '../../src/core/agent.js';
import { OPTION_IDS } from '../../src/core/options.js';
import { detectPractices, type PracticeSet } from '../../src/core/practices.js';

export interface Expected {
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

export interface Case {
  name: string;
  agent: AgentFile;
  set: PracticeSet;
  expected: Expected;
}

export function loadCorpus(dir: string): Case[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((name) => {
      const folder = path.join(dir, name);
      const file = readdirSync(folder).find((f) => f !== 'expected.json') as string;
      const agent = parseAgentFile(
        decodeAgentBytes(readFileSync(path.join(folder, file)), `${name}/${file}`),
        `${name}/${file}`,
      );
      const expected = JSON.parse(
        readFileSync(path.join(folder, 'expected.json'), 'utf8'),
      ) as Expected;
      return { name, agent, set: detectPractices(agent), expected };
    });
}

/** option=value pairs the file was found to state: chosen values and offered alternatives. */
export function detectedPairs(set: PracticeSet): string[] {
  return OPTION_IDS.flatMap((id) => {
    const r = set.options[id];
    return r.source === 'default' ? [] : [...r.values, ...r.alternatives].map((v) => `${id}=${v}`);
  });
}

export const pairs = (values: Record<string, string[]> = {}): string[] =>
  Object.entries(values).flatMap(([option, list]) => list.map((v) => `${option}=${v}`));

/** Files where any pick the reader does not expect is a wrong pick. */
const STRICT = new Set(['negation', 'scope', 'non-backend']);

export interface Score {
  perOption: Map<string, { tp: number; fp: number; fn: number }>;
  /** Unexpected picks on negation, scope and non-backend files, or ones listed in `mustNot`. */
  wrong: string[];
  falsePositives: string[];
  misses: string[];
  /** Files whose chosen value is not the one stated first. */
  preferred: string[];
}

export function scoreCorpus(cases: readonly Case[]): Score {
  const perOption = new Map(OPTION_IDS.map((id) => [id as string, { tp: 0, fp: 0, fn: 0 }]));
  const result: Score = { perOption, wrong: [], falsePositives: [], misses: [], preferred: [] };
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
        const note = forbidden.has(pair) ? ' (mustNot)' : '';
        result.falsePositives.push(`${name}: false positive ${pair}${note}`);
        if (strict || forbidden.has(pair)) result.wrong.push(`${name}: ${pair}${note}`);
      }
    }
    for (const pair of wanted) {
      if (found.includes(pair)) continue;
      (perOption.get(pair.split('=')[0] as string) as { fn: number }).fn += 1;
      const r = set.options[pair.split('=')[0] as keyof PracticeSet['options']];
      const got = r.source === 'default' ? 'nothing' : [...r.values, ...r.alternatives].join(',');
      result.misses.push(`${name}: missed ${pair} (got ${got})`);
    }
    for (const [option, values] of Object.entries(expected.expected)) {
      const r = set.options[option as keyof PracticeSet['options']];
      if (r.source !== 'default' && r.values[0] !== values[0]) {
        result.preferred.push(
          `${name}: ${option}=${r.values[0]} chosen, ${values[0]} stated first`,
        );
      }
    }
  }
  return result;
}

/** The per-option table (markdown) and the overall counts and ratios of a score. */
export function scoreTable(perOption: Score['perOption']): {
  rows: string[];
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
} {
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
  return { rows, tp, fp, fn, precision, recall };
}
