import type { AgentFile } from './agent.js';
export { requiredLiteral, triggerWord } from './practices-match.js';
import { FIXED_PRACTICES, type FixedPracticeId, type Practice } from './catalogue.js';
import { UserError } from './errors.js';
import {
  lineBlocks,
  lastStartingBy,
  lineAt,
  SENTENCE_END,
  spans,
  clauses,
  negation,
  type Block,
  type Clause,
  type Cues,
  type Group,
  type Sentence,
} from './practices-text.js';
import { PATTERNS, candidates, type Matcher } from './practices-match.js';
import { ALL_LANGUAGES, cuesFor, fileLanguages } from './practices-cues.js';
import { memo, outOfScope, type Place } from './practices-mention-scope.js';
import { judgeFile, type FileJudgement } from './practices-scope.js';
import {
  OPTIONS,
  OPTION_IDS,
  defaultValue,
  isOptionId,
  optionDeclaration,
  optionValues,
  checkOptionValue,
  type OptionId,
} from './options.js';

/** One place a guidance file states a practice. */
export interface Mention {
  practice: Practice;
  /** 1-based line of the file. */
  line: number;
  /** The line, trimmed (of a very long line, the part around the mention): quoted as evidence. */
  text: string;
  negated: boolean;
  /** 0-based column of the mention in its line: orders mentions that share a line. */
  column: number;
  /** Its length in the line. */
  width: number;
  /** What turns it down, when it is negated: for `practices --explain`. */
  why?: string;
}

/** A match that is not a statement of the practice, and why: for `practices --explain`. */
export interface Ignored {
  practice: Practice;
  line: number;
  text: string;
  reason: string;
}

export type Source = 'detected' | 'frontmatter' | 'default';

export interface Evidence {
  line: number;
  text: string;
}

/** What the file says about one option. */
export interface OptionResolution {
  option: OptionId;
  /** The chosen value(s): one, except for `auth` which holds every kind stated. */
  values: string[];
  source: Source;
  /** Evidence for each chosen value, by value. */
  evidence: Record<string, Evidence>;
  /** Other values the file states positively, offered as choices (first value stays the default). */
  alternatives: string[];
  /** Values the file turns down ("avoid Celery"). */
  rejected: string[];
}

export interface PracticeSet {
  /** Whether the file is guidance for building a Python backend: when not, nothing is detected. */
  judgement: FileJudgement;
  options: Record<OptionId, OptionResolution>;
  /** Always-applied practices the file states, with their first evidence. */
  fixed: Partial<Record<FixedPracticeId, Evidence>>;
  warnings: string[];
}

/**
 * Practices whose later mentions cannot change the outcome. The decision reads, of each practice:
 * the first positive statement when it sets a value, the first negative one when it sets a
 * negated value, and for a value that a negative statement turns down (not weak, no negated
 * value: "avoid Celery") or a yes/no option the first statement of either kind. An
 * always-applied practice needs only its first positive statement.
 */
class Settled {
  private readonly positive = new Set<Practice>();
  private readonly negative = new Set<Practice>();

  record(mention: Mention): void {
    (mention.negated ? this.negative : this.positive).add(mention.practice);
  }

  has(matcher: Matcher): boolean {
    const { practice } = matcher;
    return Settled.by(matcher, this.positive.has(practice), this.negative.has(practice));
  }

  /** Whether a positive and/or a negative statement settle the matcher's practice. */
  static by({ practice, fixed, boolean }: Matcher, positive: boolean, negative: boolean): boolean {
    if (fixed) return positive;
    // A yes/no option takes its first statement: a later one cannot change it.
    if (boolean) return positive || negative;
    const { value, negatedValue, weak } = practice;
    if (value !== undefined && negatedValue === undefined && !weak) return positive || negative;
    return (value === undefined || positive) && (negatedValue === undefined || negative);
  }
}

/** Lines longer than this are quoted around the mention: a file can be one line of megabytes. */
const QUOTE_MAX = 1000;
const QUOTE_AROUND = 200;

/** The evidence for a mention at `column` of `raw`: the line, trimmed, or a part of it around. */
function quote(raw: string, column: number): string {
  const text = raw.trim();
  if (text.length <= QUOTE_MAX) return text;
  const at = column - (raw.length - raw.trimStart().length);
  let start = Math.max(0, at - QUOTE_AROUND);
  let end = Math.min(text.length, at + QUOTE_AROUND);
  // Never cut a character written as two UTF-16 units in half.
  if (/[\uDC00-\uDFFF]/.test(text.charAt(start))) start += 1;
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  const part = text.slice(start, end).trim();
  return `${start > 0 ? '… ' : ''}${part}${end < text.length ? ' …' : ''}`;
}

/** "As (a)" before a topic word, in each language, or its particle after it (ja, ko). */
const AS_BEFORE =
  /(?<![\p{L}])(?:as an?|as|als|como|comme|en tant que|enquanto)\s+$|(?:作为|当作)\s*$/iu;
const AS_AFTER = /^\s*(?:として|로서|로 )/u;
const AS_REACH = 14;

/** Whether the topic word at `at` names the role something else plays: "Redis as a cache". */
function asRole(text: string, at: number, length: number): boolean {
  return (
    AS_BEFORE.test(text.slice(Math.max(0, at - AS_REACH), at)) ||
    AS_AFTER.test(text.slice(at + length, at + length + AS_REACH))
  );
}

const NO_SENTENCE: Sentence = { start: 0, end: 0 };
const NO_PLACE: Place = {
  option: '',
  isOption: false,
  code: false,
  sentence: NO_SENTENCE,
  text: '',
  clause: undefined,
  near: NO_SENTENCE,
  nearText: '',
};

/**
 * A block read sentence by sentence, each split into clauses only when first needed. Every
 * mention's cost is bounded by the few words around it, never by the length of its sentence: a
 * file can be one paragraph of megabytes, with as many mentions in one sentence.
 */
class BlockReader {
  private sentences: Sentence[] | undefined;
  private place: Place | undefined;

  constructor(
    readonly block: Block,
    private readonly cues: Cues,
    private readonly ignored?: Ignored[],
    /** Only mentions that can change the outcome are wanted (see Settled). */
    private readonly decisive = false,
  ) {}

  private sentenceAt(at: number): Sentence | null {
    const { block } = this;
    this.sentences ??= block.code
      ? [{ start: 0, end: block.text.length }]
      : spans(block.text, SENTENCE_END);
    const sentence = this.sentences[lastStartingBy(this.sentences, at)];
    if (!sentence || at >= sentence.end) return null;
    if (sentence.text === undefined) {
      sentence.text = block.text.slice(sentence.start, sentence.end);
      sentence.question = !block.code && /[?？]\s*$/.test(sentence.text);
    }
    return sentence;
  }

  /** Records, when explaining, a match that is not a statement, and returns null. */
  private ignore(practice: Practice, at: number, reason: string): null {
    if (this.ignored) {
      const { line, raw, offset } = lineAt(this.block, at);
      this.ignored.push({ practice, line, text: quote(raw, at - offset), reason });
    }
    return null;
  }

  /** The mention of `practice` matched at `at`, or null when its context or scope rules it out. */
  mention(practice: Practice, at: number, length: number): Mention | null {
    const { block } = this;
    const sentence = this.sentenceAt(at);
    const text = sentence?.text;
    if (!sentence || text === undefined) return null;
    if (sentence.question) return this.ignore(practice, at, 'in a question: its answer states');
    const { context, exclude } = practice;
    if (exclude && memo(sentence, exclude, text)) {
      return this.ignore(
        practice,
        at,
        `its sentence is about something else (${exclude.toString().slice(0, 50)})`,
      );
    }
    // A heading names a topic; the text under it says what is done about it.
    if (practice.weak && block.title) {
      return this.ignore(practice, at, 'a heading names the topic; the text under it states');
    }
    let why = block.negated ? (block.negatedBy ?? 'its block is turned down') : undefined;
    let near: Sentence | Group = sentence;
    let own: Clause | undefined;
    if (!block.code) {
      const list = (sentence.clauses ??= clauses(text));
      const start = at - sentence.start;
      const clause = list[lastStartingBy(list, start)];
      if (clause && start < clause.end) {
        why ??= negation(sentence, text, clause, start, start + length, this.cues) ?? undefined;
        near = clause.group;
        own = clause;
      }
    }
    // A topic named without a value ("caching", "authentication") only counts turned down.
    if (this.decisive && why === undefined && practice.value === undefined) {
      if (isOptionId(practice.option)) return null;
    }
    // "No Redis as a cache", "weder als Cache": the role something else plays is turned down,
    // not the topic itself.
    if (why !== undefined && practice.weak && asRole(block.text, at, length)) {
      return this.ignore(practice, at, 'names the role something else plays ("as a cache")');
    }
    const nearText = near === sentence ? text : text.slice(near.start, near.end);
    // Context is read near the mention: its clause and the clauses a comma joins to it, its
    // heading, and for a table cell its row label and column header.
    if (
      context &&
      !memo(near, context, nearText) &&
      !memo(block.heading, context, block.heading.text) &&
      !(block.label && memo(block.label, context, block.label.text))
    ) {
      return this.ignore(
        practice,
        at,
        `no ${practice.label.toLowerCase()} context near it (${context.source.slice(0, 30)}...)`,
      );
    }
    // Scope: the tests' practice, another system's or another team's is not the project's.
    // One place object per block, filled in for each mention: a long block has thousands.
    const place = (this.place ??= { ...NO_PLACE, code: block.code });
    place.option = practice.option;
    place.isOption = isOptionId(practice.option);
    place.sentence = sentence;
    place.text = text;
    place.clause = own;
    place.near = near;
    place.nearText = nearText;
    const outside = outOfScope(place);
    if (outside) return this.ignore(practice, at, outside);
    const { line, raw, offset } = lineAt(block, at);
    const mention: Mention = {
      practice,
      line,
      text: quote(raw, at - offset),
      negated: why !== undefined,
      column: at - offset,
      width: length,
    };
    if (why !== undefined) mention.why = why;
    return mention;
  }
}

function mentionsIn(block: Block, cues: Cues, settled?: Settled, ignored?: Ignored[]): Mention[] {
  const possible = candidates(block.text.toLowerCase());
  if (possible.size === 0) return [];
  const reader = new BlockReader(block, cues, ignored, settled !== undefined);
  const found: Mention[] = [];
  for (const id of possible) {
    const { matcher, pattern } = PATTERNS[id] as (typeof PATTERNS)[number];
    if (settled?.has(matcher)) continue;
    // exec() on the shared global pattern: matchAll would clone the RegExp on every call.
    pattern.all.lastIndex = 0;
    let positive = false;
    let negative = false;
    for (let match = pattern.all.exec(block.text); match; match = pattern.all.exec(block.text)) {
      const mention = reader.mention(matcher.practice, match.index, match[0].length);
      if (!mention) continue;
      found.push(mention);
      if (!settled) continue;
      // This pattern's later matches come after its own first statements: they cannot be its
      // practice's first, so they cannot change the outcome (a long paragraph has thousands).
      if (mention.negated) negative = true;
      else positive = true;
      if (Settled.by(matcher, positive, negative)) break;
    }
  }
  // File order: the first statement decides.
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  if (settled) for (const mention of found) settled.record(mention);
  return found;
}

/** The front matter lines holding `description` (its key line and any indented continuation). */
function descriptionLines(agent: AgentFile): { first: number; lines: string[] } | null {
  if (agent.bodyStartLine === 1) return null;
  const all = agent.text.split('\n').slice(1, agent.bodyStartLine - 2);
  const start = all.findIndex((l) => /^description\s*:/.test(l));
  if (start < 0) return null;
  // It runs until the next top-level key, except inside <example> blocks (as the agent reader).
  let end = start + 1;
  let openExamples = ((all[start] ?? '').match(/<example>/gi) ?? []).length;
  for (; end < all.length; end += 1) {
    const text = all[end] ?? '';
    if (openExamples <= 0 && /^[A-Za-z_][\w.-]*[ \t]*:/.test(text)) break;
    openExamples += (text.match(/<example>/gi) ?? []).length;
    openExamples -= (text.match(/<\/example>/gi) ?? []).length;
  }
  const lines = all.slice(start, end).map((l, i) =>
    // The key itself is not text; literal "\n" escapes are line breaks in such descriptions.
    (i === 0 ? l.replace(/^description\s*:\s*[>|]?[-+]?/, '') : l).replace(/\\n/g, '  '),
  );
  return { first: start + 2, lines };
}

/**
 * Every statement of a practice in the file, in file order. Pure. With `decisiveOnly`, mentions
 * that cannot change the outcome (see Settled) may be left out: much faster on long files.
 */
export function findMentions(
  agent: AgentFile,
  decisiveOnly = false,
  ignored?: Ignored[],
): Mention[] {
  const settled = decisiveOnly ? new Settled() : undefined;
  const languages = fileLanguages(agent.text);
  // Every row of the cue table is read (its words are not English ones); the guess of the file's
  // languages only decides whether "no" is a negation (not in Portuguese, where it is "in the").
  const cues: Cues = { ...cuesFor(ALL_LANGUAGES), noIsNotNegation: languages.has('pt') };
  const blocks: Block[] = [];
  const description = descriptionLines(agent);
  if (description) {
    // Each description line is read on its own: folded descriptions rarely hold a list.
    description.lines.forEach((raw, i) => {
      blocks.push(...lineBlocks([raw], description.first + i));
    });
  }
  const body = agent.text.split('\n').slice(agent.bodyStartLine - 1);
  blocks.push(...lineBlocks(body, agent.bodyStartLine));
  return blocks.flatMap((block) => mentionsIn(block, cues, settled, ignored));
}

// ---------------------------------------------------------------------------------------------
// Deciding: from mentions to one resolution per option.

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function resolveOption(option: OptionId, mentions: Mention[]): OptionResolution {
  const declaration = optionDeclaration(option);
  const own = mentions.filter((m) => m.practice.option === option);
  const evidence: Record<string, Evidence> = {};
  const note = (value: string, m: Mention): void => {
    evidence[value] ??= { line: m.line, text: m.text };
  };
  // A value is turned down when the file's first statement about it is negative ("Do not use
  // SQLite, even in tests"); a later passing mention ("SQLite's locking hides bugs") does not undo it.
  const firstStatement = new Map<string, Mention>();
  for (const m of own) {
    if (m.practice.value && !m.practice.weak && !firstStatement.has(m.practice.value)) {
      firstStatement.set(m.practice.value, m);
    }
  }
  const rejected = [...firstStatement]
    .filter(([, m]) => m.negated && !m.practice.negatedValue)
    .map(([value]) => value);
  // A general mention inside or right beside a specific one is read with it: "cache" in "No
  // in-memory cache", "N'ajoute pas de cache Redis", "no Redis cache" turn down a kind of cache.
  const inside = (m: Mention): boolean =>
    own.some(
      (o) =>
        !o.practice.weak &&
        o.line === m.line &&
        o.column <= m.column + m.width + 1 &&
        m.column <= o.column + o.width + 1,
    );
  const stated = (weak: boolean): string[] => {
    const values: string[] = [];
    for (const m of own) {
      if (Boolean(m.practice.weak) !== weak || (weak && inside(m))) continue;
      const value = m.negated ? m.practice.negatedValue : m.practice.value;
      if (!value || rejected.includes(value)) continue;
      values.push(value);
      note(value, m);
    }
    return unique(values);
  };
  let values = stated(false);
  if (values.length === 0) values = stated(true);
  // The default itself is turned down and nothing else is stated, and the option can be "none":
  // "No JWT/OAuth/sessions in v1" is no authentication, not the default JWT.
  const none = firstStatement.get(defaultValue(option));
  if (values.length === 0 && none?.negated && optionValues(option).includes('none')) {
    values = ['none'];
    note('none', none);
  }
  if (values.length === 0) {
    return {
      option,
      values: [defaultValue(option)],
      source: 'default',
      evidence: {},
      alternatives: [],
      rejected,
    };
  }
  // Several kinds (auth) are all reported, each with its evidence; the first is the default and
  // the others are offered, as for any option: asking for all of them is the scaffold: block's job.
  const kinds =
    declaration.kind === 'multi' && values.length > 1 ? values.filter((v) => v !== 'none') : values;
  const [first, ...rest] = kinds as [string, ...string[]];
  return {
    option,
    values: [first],
    source: 'detected',
    // A yes/no option's evidence is its first statement's: the one it took.
    evidence: pick(evidence, declaration.kind === 'boolean' ? [first] : kinds),
    // A yes/no option has no alternatives to offer: the first statement decides.
    alternatives: declaration.kind === 'boolean' ? [] : rest,
    rejected,
  };
}

function pick(evidence: Record<string, Evidence>, keys: string[]): Record<string, Evidence> {
  return Object.fromEntries(
    keys.filter((k) => evidence[k]).map((k) => [k, evidence[k] as Evidence]),
  );
}

// ---------------------------------------------------------------------------------------------
// The `scaffold:` block in the front matter: exact values that win over detection.

function scaffoldLine(agent: AgentFile, key: string): number | undefined {
  const lines = agent.text.split('\n');
  const block = lines.findIndex((l) => /^scaffold\s*:/.test(l));
  if (block < 0) return undefined;
  for (let i = block + 1; i < lines.length && /^\s/.test(lines[i] ?? ''); i += 1) {
    if (new RegExp(`^\\s+${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).test(lines[i] ?? ''))
      return i + 1;
  }
  return block + 1;
}

function scaffoldValues(
  agent: AgentFile,
): Partial<Record<OptionId, { values: string[]; line: number }>> {
  const block = agent.frontMatter.scaffold;
  if (block === undefined || block === null) return {};
  const where = (key: string): string => `${agent.path}:${scaffoldLine(agent, key) ?? 1}`;
  if (typeof block !== 'object' || Array.isArray(block)) {
    throw new UserError(`${where('')}: scaffold: must be a map of option: value`);
  }
  const result: Partial<Record<OptionId, { values: string[]; line: number }>> = {};
  for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
    if (!isOptionId(key)) {
      throw new UserError(
        `${where(key)}: scaffold: ${key}: unknown option; options are ${OPTION_IDS.join(', ')}`,
      );
    }
    const values = checkOptionValue(key, raw, { where: `${where(key)}: scaffold: ${key}` });
    result[key] = { values: unique(values), line: scaffoldLine(agent, key) ?? 1 };
  }
  return result;
}

/** Reads the practices an agent file states: `scaffold:` first, then the text, then defaults. */
export function detectPractices(agent: AgentFile): PracticeSet {
  return decidePractices(agent, findMentions(agent, true));
}

/** The decision from a list of mentions (all of them, or only the decisive ones: same result). */
export function decidePractices(agent: AgentFile, all: Mention[]): PracticeSet {
  const scaffold = scaffoldValues(agent);
  const judgement = judgeFile(agent);
  // A file about other work (a frontend, an app, infrastructure) states no practice of this one.
  const mentions = judgement.backend ? all : [];
  const options = {} as Record<OptionId, OptionResolution>;
  for (const option of OPTIONS) {
    const id = option.id as OptionId;
    const detected = resolveOption(id, mentions);
    const exact = scaffold[id];
    options[id] = exact
      ? {
          option: id,
          values: exact.values,
          source: 'frontmatter',
          evidence: Object.fromEntries(
            exact.values.map((v) => [v, { line: exact.line, text: `scaffold: ${id}: ${v}` }]),
          ),
          alternatives: [],
          rejected: [],
        }
      : detected;
  }
  const fixed: Partial<Record<FixedPracticeId, Evidence>> = {};
  for (const practice of FIXED_PRACTICES) {
    const first = mentions.find((m) => m.practice.option === practice.id && !m.negated);
    if (first) fixed[practice.id] = { line: first.line, text: first.text };
  }
  const warnings: string[] = [];
  if (!judgement.backend) {
    warnings.push(
      `${agent.path}: states no backend practice this generator knows: it reads as guidance for ${judgement.kind ?? 'other'} work (${(judgement.names ?? []).join(', ')}), not for building a Python backend, so what it says of databases, tokens or roles is not read; using the defaults`,
    );
  } else if (Object.values(options).every((o) => o.source === 'default')) {
    warnings.push(
      `${agent.path}: states no backend practice this generator knows (database, auth, ORM...); using the defaults`,
    );
  }
  return { judgement, options, fixed, warnings };
}
