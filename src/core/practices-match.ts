/**
 * Finding where a pattern may match without running it: each catalogue pattern has a trigger
 * word that every match contains, and a block is scanned once for the words its patterns need.
 */
import { PRACTICES, type Practice } from './catalogue.js';
import { isOptionId, optionDeclaration } from './options.js';

/**
 * The longest run of plain characters a pattern cannot match without, lower-cased: a block that
 * does not contain it (a plain `includes`, much cheaper than running the pattern) cannot match.
 * Conservative: only runs outside groups, and a character made optional by `?` or `*` ends a run.
 */
export function requiredLiteral(pattern: RegExp): string {
  const source = pattern.source;
  const runs: string[] = [];
  let run = '';
  let depth = 0;
  const end = (): void => {
    if (run) runs.push(run);
    run = '';
  };
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i] as string;
    const next = source[i + 1] ?? '';
    if (c === '\\') {
      const escaped = next;
      i += 1;
      const optional = /[?*{]/.test(source[i + 1] ?? '');
      if (depth === 0 && /[^A-Za-z0-9]/.test(escaped) && !optional) run += escaped;
      else end();
      continue;
    }
    if (c === '(' || c === '[') {
      depth += 1;
      end();
      continue;
    }
    if (c === ')' || c === ']') {
      depth -= 1;
      end();
      continue;
    }
    if (depth > 0 || /[|^$.+]/.test(c)) {
      if (c === '|' && depth === 0) return '';
      end();
      continue;
    }
    if (/[?*{]/.test(c)) {
      run = run.slice(0, -1);
      end();
      continue;
    }
    if (/[?*{]/.test(next)) {
      end();
      continue;
    }
    run += c;
  }
  end();
  return runs.reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase();
}

/**
 * A word start every match of `pattern` contains, lower-cased: the letters right after the
 * pattern's leading `\b` (`\bweb ?sockets?` -> "web"), else the longest run of its required
 * literal that follows a non-alphanumeric character (`\/api\/v\d` -> "api"). Empty when none.
 */
export function triggerWord(pattern: RegExp): string {
  const lead = /^(?:\(\?<!.*?\))?\\b([a-z0-9]+)(.?)/i.exec(pattern.source);
  if (lead) {
    const letters = (lead[1] ?? '').toLowerCase();
    const word = /[?*{]/.test(lead[2] ?? '') ? letters.slice(0, -1) : letters;
    if (word.length >= 2) return word;
  }
  const literal = requiredLiteral(pattern);
  let best = '';
  for (const match of literal.matchAll(/[a-z0-9]+/g)) {
    if ((match.index ?? 0) > 0 && match[0].length > best.length) best = match[0];
  }
  if (best.length >= 2) return best;
  // A pattern written in another script ("角色", "역할"): its whole literal, found by `includes`.
  return /[^ -~\s]/.test(literal) && [...literal].length >= 2 ? literal : '';
}

/** A trigger that is not an ASCII word: looked for with `includes` rather than by word starts. */
const isWide = (trigger: string): boolean => /[^a-z0-9]/.test(trigger.slice(0, 2));

export interface Matcher {
  practice: Practice;
  /** For fixed practices: settled by their first positive mention. */
  fixed: boolean;
  /** For a yes/no option: its first statement, of either kind, decides. */
  boolean: boolean;
  patterns: Array<{ id: number; trigger: string; all: RegExp }>;
}

let patternCount = 0;
/** Each practice with its patterns compiled once, and the word each needs. */
const MATCHERS: Matcher[] = PRACTICES.map((practice) => ({
  practice,
  fixed: !isOptionId(practice.option),
  boolean: isOptionId(practice.option) && optionDeclaration(practice.option).kind === 'boolean',
  patterns: practice.patterns.map((p) => ({
    id: patternCount++,
    trigger: triggerWord(p),
    all: new RegExp(p.source, 'gi'),
  })),
}));

/** Every pattern by id, with its practice. */
export const PATTERNS = MATCHERS.flatMap((matcher) =>
  matcher.patterns.map((pattern) => ({ matcher, pattern })),
);

const isWordChar = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57); // a-z, 0-9 (text is lower-cased)
const prefixKey = (a: number, b: number): number => a * 128 + b;

/** Patterns by the first two characters of their trigger word, indexed by `prefixKey`. */
const BY_PREFIX: Array<Array<{ id: number; trigger: string }> | undefined> = [];
const WIDE: Array<{ id: number; trigger: string }> = [];
for (const { pattern } of PATTERNS) {
  if (isWide(pattern.trigger)) {
    WIDE.push({ id: pattern.id, trigger: pattern.trigger });
    continue;
  }
  const key = prefixKey(pattern.trigger.charCodeAt(0), pattern.trigger.charCodeAt(1));
  (BY_PREFIX[key] ??= []).push({ id: pattern.id, trigger: pattern.trigger });
}

/**
 * The ids of the patterns that may match in `lower`: those whose trigger starts one of its words.
 * A plain scan with no allocation per word: this runs on every block of every file.
 */
export function candidates(lower: string): Set<number> {
  const found = new Set<number>();
  let previousIsWord = false;
  for (let i = 0; i < lower.length - 1; i += 1) {
    const code = lower.charCodeAt(i);
    const word = isWordChar(code);
    if (word && !previousIsWord) {
      const bucket = BY_PREFIX[prefixKey(code, lower.charCodeAt(i + 1))];
      if (bucket)
        for (const { id, trigger } of bucket) if (lower.startsWith(trigger, i)) found.add(id);
    }
    previousIsWord = word;
  }
  // Only text outside ASCII can hold a wide trigger: most blocks skip these.
  if (WIDE.length > 0 && /[^ -~\s]/.test(lower)) {
    for (const { id, trigger } of WIDE) if (lower.includes(trigger)) found.add(id);
  }
  return found;
}
