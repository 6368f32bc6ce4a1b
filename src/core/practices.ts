import type { AgentFile } from './agent.js';
import { OPTIONS, type OptionId, type OptionValues } from './options.js';

/**
 * The practices catalogue: each practice an agent guidance file can state, the option value it
 * implies and how it is recognised. One place; detection and explanations both read it.
 */
export interface Practice {
  id: string;
  option: OptionId;
  value: string;
  /** Case-insensitive patterns; a line matching any is evidence. */
  patterns: readonly RegExp[];
}

export const PRACTICES: readonly Practice[] = [
  { id: 'sqlite', option: 'db', value: 'sqlite', patterns: [/\bsqlite\b/i, /\baiosqlite\b/i] },
  {
    id: 'postgresql',
    option: 'db',
    value: 'postgresql',
    patterns: [/\bpostgres(ql)?\b/i, /\basyncpg\b/i, /\bpsycopg\d?\b/i],
  },
  {
    id: 'jwt',
    option: 'auth',
    value: 'jwt',
    patterns: [/\bjwt\b/i, /\boauth ?2\b/i, /\bbearer tokens?\b/i],
  },
];

export interface Evidence {
  practice: string;
  option: OptionId;
  value: string;
  /** 1-based line in the agent guidance file. */
  line: number;
  text: string;
}

export interface ResolvedOption {
  value: string;
  source: 'detected' | 'default';
  evidence?: Evidence;
}

export interface PracticeSet {
  options: { [K in OptionId]: ResolvedOption & { value: OptionValues[K] } };
  evidence: Evidence[];
  warnings: string[];
}

/** Every line of the file that states a practice, in file order. Pure. */
export function findEvidence(agent: AgentFile): Evidence[] {
  const found: Evidence[] = [];
  agent.text.split('\n').forEach((text, index) => {
    for (const practice of PRACTICES) {
      if (practice.patterns.some((p) => p.test(text))) {
        found.push({
          practice: practice.id,
          option: practice.option,
          value: practice.value,
          line: index + 1,
          text: text.trim(),
        });
      }
    }
  });
  return found;
}

/**
 * Turns an agent file into option defaults: for each option, the value of the first practice the
 * file states; otherwise the option's first choice.
 */
export function detectPractices(agent: AgentFile): PracticeSet {
  const evidence = findEvidence(agent);
  const options = {} as Record<OptionId, ResolvedOption>;
  for (const option of OPTIONS) {
    const first = evidence.find((e) => e.option === option.id);
    options[option.id] = first
      ? { value: first.value, source: 'detected', evidence: first }
      : { value: option.choices[0].value, source: 'default' };
  }
  const warnings =
    evidence.length === 0
      ? [`${agent.path}: states no backend practice this generator knows; using the defaults`]
      : [];
  return { options: options as PracticeSet['options'], evidence, warnings };
}
