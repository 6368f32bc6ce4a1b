/**
 * Reading a guidance file's text for practice detection: blocks (paragraphs, list items,
 * headings, table cells, code), sentences and clauses, and the negation and preference cues
 * around a mention. Linear in the text: each part is read once (see practices.ts).
 */
import type { TextTest } from './catalogue.js';
import { BAD_LABEL, GOOD_LABEL, NONE_CELL } from './practices-cues.js';

// ---------------------------------------------------------------------------------------------
// Reading the text: blocks (paragraphs, list items, headings, code), then sentences and clauses.

export interface Block {
  text: string;
  /** Start offset in `text` of each physical line, and that line's number (a table cell's line
   * has a negative offset: the cell's start in its line, so columns stay true). */
  lines: Array<{ offset: number; line: number; raw: string }>;
  heading: Heading;
  code: boolean;
  /** Under a "Don't" heading or in a "Don't" table column: everything in it is turned down. */
  negated: boolean;
  /** Why it is turned down, for `practices --explain`. */
  negatedBy?: string;
  /** A table cell's row label and column header ("Cache", "Logs"): context, as a heading is. */
  label?: Heading;
  /** A heading: it names a topic, and the text under it states what is done about it. */
  title?: boolean;
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^\s{0,3}#{1,6}\s/;
const ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;
const TABLE_ROW = /^\s*\|/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$/;
/** A heading or table column whose content is what not to do. */
const NEGATIVE_TITLE =
  /^\W*(?:don['’]?ts?|do not|avoid|never|anti-?patterns?|(?:what )?not to do|forbidden|banned|rejected)\b/i;

/** The heading a block is under: shared by every block below it, so it is read once. */
interface Heading {
  text: string;
  /** A "Don't" heading: everything under it is turned down. */
  negated: boolean;
  /** Context patterns already tested on it, and their result. */
  tested?: Map<TextTest, boolean>;
}

const heading = (text: string): Heading => ({
  text,
  negated: NEGATIVE_TITLE.test(text),
});

/** The cells of a table row, with their start in the line. */
function tableCells(raw: string): Array<{ text: string; start: number }> {
  const cells: Array<{ text: string; start: number }> = [];
  let start = raw.indexOf('|') + 1;
  for (let end = raw.indexOf('|', start); end >= 0; end = raw.indexOf('|', start)) {
    cells.push({ text: raw.slice(start, end), start });
    start = end + 1;
  }
  if (raw.slice(start).trim() !== '') cells.push({ text: raw.slice(start), start });
  return cells;
}

/** A line holding only a bad-example label ("Bad:", "❌ Don't", "Falsch:"): it labels what follows. */
const LABEL_ONLY_MAX = 40;

/** The text of a code line without its comment marker, to read a label in it. */
const uncomment = (raw: string): string => raw.replace(/^\s*(?:#|\/\/|--|\/\*|<!--)\s*/, '');

export function lineBlocks(lines: readonly string[], firstLine: number): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let under = heading('');
  let inCode: Block | null = null;
  let codeLines = 0;
  let columns: boolean[] | null = null; // per column of the current table: is it a "Don't" column
  let headers: string[] = []; // the current table's header cells
  let badNext: string | null = null; // a bad-example label waiting for the code block it labels
  const start = (raw: string, line: number, code = false, negated = false): Block => {
    const block: Block = {
      text: raw,
      lines: [{ offset: 0, line, raw }],
      heading: under,
      code,
      negated: negated || under.negated,
    };
    if (block.negated)
      block.negatedBy = negated ? 'a "Don\'t" table column' : `under the heading "${under.text}"`;
    blocks.push(block);
    return block;
  };
  lines.forEach((raw, index) => {
    const line = firstLine + index;
    if (FENCE.test(raw)) {
      if (inCode) {
        inCode = null;
      } else {
        inCode = start('', line, true, badNext !== null);
        if (badNext !== null)
          inCode.negatedBy = `a code block labelled "${badNext}" (line ${line - 1})`;
        codeLines = 0;
      }
      badNext = null;
      current = null;
      return;
    }
    if (inCode) {
      const block: Block = inCode;
      // A code block whose first line is a comment labelling it bad states the opposite.
      if (
        codeLines === 0 &&
        raw.trim() !== '' &&
        BAD_LABEL.test(uncomment(raw)) &&
        /^\s*(?:#|\/\/|--|\/\*|<!--)/.test(raw)
      ) {
        block.negated = true;
        block.negatedBy = `a code block whose first comment is "${uncomment(raw).trim().slice(0, 40)}"`;
      }
      if (raw.trim() !== '') codeLines += 1;
      block.lines.push({ offset: block.text.length + 1, line, raw });
      block.text += `\n${raw}`;
      return;
    }
    if (!TABLE_ROW.test(raw)) columns = null;
    if (raw.trim() !== '' && !BAD_LABEL.test(raw)) badNext = null;
    if (raw.trim() === '') {
      current = null;
    } else if (BAD_LABEL.test(raw.replace(ITEM, '')) && !GOOD_LABEL.test(raw.replace(ITEM, ''))) {
      // A labelled bad example: the line states the opposite; a label alone labels the next code.
      const text = raw.replace(ITEM, '').trim();
      if (text.length <= LABEL_ONLY_MAX && /[:：]\s*$|^\W*\S+\s*$/.test(text)) badNext = text;
      const block = start(raw, line, false, true);
      block.negatedBy = `a line labelled as a bad example ("${text.slice(0, 30)}")`;
      current = null;
    } else if (HEADING.test(raw)) {
      under = heading(raw.replace(HEADING, '').trim());
      start(raw, line).title = true;
      current = null;
    } else if (TABLE_ROW.test(raw)) {
      // Each cell is read on its own; a header row gives each column its meaning.
      current = null;
      if (TABLE_SEPARATOR.test(raw)) return;
      const cells = tableCells(raw);
      const isHeader = !columns && TABLE_SEPARATOR.test(lines[index + 1] ?? '');
      if (isHeader) {
        columns = cells.map((c) => NEGATIVE_TITLE.test(c.text.replace(/[*_`]/g, '').trim()));
        headers = cells.map((c) => c.text.trim());
      }
      // A row whose other cells say only "no" / "not used" turns down what its first cell names.
      const none = !isHeader && cells.slice(1).some((c) => NONE_CELL.test(c.text.trim()));
      const rowLabel = isHeader ? undefined : (cells[0]?.text.trim() ?? '');
      cells.forEach((cell, column) => {
        const block = start(cell.text, line, false, columns?.[column] ?? false);
        block.lines = [{ offset: -cell.start, line, raw }];
        if (column === 0 && none) {
          block.negated = true;
          block.negatedBy = 'its table row says it is not used';
        }
        // The row's label and the column's header are the cell's context, as a heading is.
        if (rowLabel !== undefined && column > 0) {
          block.label = heading(`${rowLabel} ${isHeader ? '' : (headers[column] ?? '')}`.trim());
        }
      });
    } else if (ITEM.test(raw) || !current) {
      current = start(raw, line);
    } else {
      const block: Block = current;
      block.lines.push({ offset: block.text.length + 1, line, raw });
      block.text += ` ${raw}`;
    }
  });
  return blocks;
}

/**
 * The index of the last of `items` (sorted by start) that starts at or before `at`, or -1. A binary
 * search: a block can be a whole file of unbroken text, with as many sentences and clauses.
 */
export function lastStartingBy(items: ReadonlyArray<{ start: number }>, at: number): number {
  let low = -1;
  let high = items.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((items[mid] as { start: number }).start <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** The last of the sorted `positions` before `at`, or -1. */
function lastBefore(positions: readonly number[], at: number): number {
  let low = -1;
  let high = positions.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((positions[mid] as number) < at) low = mid;
    else high = mid - 1;
  }
  return low < 0 ? -1 : (positions[low] as number);
}

export function lineAt(
  block: Block,
  offset: number,
): { line: number; raw: string; offset: number } {
  const { lines } = block;
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lines[mid]?.offset ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return lines[low] ?? { line: 0, raw: '', offset: 0 };
}

/** Sentences: split after . ! ? followed by a space (not inside "e.g." style abbreviations). */
export const SENTENCE_END = /(?<![ .]e\.g|[ .]i\.e|\betc|\bvs)[.!?](?=\s|$)|[。！？]/gi;

export interface Span {
  start: number;
  end: number;
}

export function spans(text: string, separator: RegExp): Span[] {
  const result: Span[] = [];
  let start = 0;
  for (const match of text.matchAll(separator)) {
    const end = (match.index ?? 0) + match[0].length;
    result.push({ start, end });
    start = end;
  }
  if (start < text.length) result.push({ start, end: text.length });
  return result;
}

/**
 * Clauses inside a sentence. A hard break (; : parentheses, "but", dashes) stops a negation; a
 * soft break (a comma) lets it run on into a bare list: "Skip caching, rate limiting and versioning".
 */
const CLAUSE_BREAK =
  /[,;:()，；：（）、]|\s[-–—]\s|\b(?:but|whereas|while|although|sondern|aber|pero|mas|mais|porém)\b|但是|而是/gi;
const SOFT_BREAK = /^[,，、]$/;
/** Breaks after which the next clause is still read with this one for context (not for negation):
 * a label and its value ("Rate limiting: Redis"), a clause and its parenthesis ("logs (JSON)"). */
const CONTEXT_JOIN = /^[:：(（]$/;

const NEGATION_BEFORE =
  /\b(?:no|not|never|avoid|avoids|avoiding|without|don['’]t|doesn['’]t|won['’]t|shouldn['’]t|mustn['’]t|instead of|rather than|except|nor|neither|forbid|forbids|forbidden|ban|bans|banned|skip|skips|skipping|excluding|disable|disables|refuse|no longer|used to|moved (?:off|away from)|migrated (?:off|away from)|got rid of|retired|replaced)\b/i;
const NEGATION_AFTER =
  /^\W*(?:\w+\W+){0,3}?(?:(?:is|are|was|were|be)\s+(?:not|never|no longer|forbidden|banned|unsupported|disabled|deprecated|out of scope|off[- ]limits)\b|(?:isn['’]t|aren['’]t)\b|not\s+(?:supported|allowed|needed|used|wanted|required|welcome)\b|(?:should|must|shall|will|may|can)\s*(?:not|never)\b|(?:shouldn['’]t|mustn['’]t|won['’]t|can['’]t)\b|used to\b|(?:was|were|has been|have been) (?:replaced|dropped|removed|retired)\b|(?:break|breaks|broke|hurt|hurts)\b|(?:caused|causes|gave us) (?:\w+\s+){0,2}?(?:problems|issues|bugs|outages|incidents)\b)/i;
/**
 * "Prefer X over <mention>": the mention is turned down. The rule is
 * /\bprefer\w*\b.*\b(?:over|to)\s+(?:\w+\W+){0,2}$/i on the sentence up to the mention, read in
 * two parts (see prefersOver): that one regex costs time in the length of the whole sentence. Its
 * tail, from a word's start to the mention:
 */
const PREFERENCE_TAIL = /^(?:over|to)\s+(?:\w+\W+){0,2}$/i;
const POSITIVE_START =
  /^\W*(?:and\s+)?(?:use|uses|using|prefer|choose|pick|adopt|rely|keep|store|run|write|add|implement|enable|expose|emit|send|we|they|it|our|instead|plus|then|so)\b/i;

/** About the last six words before a mention: how far back a negation reaches. */
const NEGATION_REACH = 40;

/** Clauses a comma joins (not ; : parentheses or "but"): context is read across them. */
export interface Group extends Span {
  /** Context patterns already tested on the group's text, and their result. */
  tested?: Map<TextTest, boolean>;
}

export interface Clause extends Span {
  negatedLead: boolean;
  group: Group;
  /** Scope patterns already tested on the clause's text, and their result. */
  tested?: Map<TextTest, boolean>;
}

/** Clauses of one sentence, each knowing whether a negation runs into it from the one before. */
export function clauses(sentence: string): Clause[] {
  const result: Clause[] = [];
  let start = 0;
  let carry = false;
  let softBefore = false;
  let joinBefore = false;
  let group: Group = { start: 0, end: 0 };
  const push = (end: number, separator: string): void => {
    const text = sentence.slice(start, end);
    if (!softBefore && !joinBefore) group = { start, end };
    group.end = end;
    const clause: Clause = {
      start,
      end,
      negatedLead: carry && !POSITIVE_START.test(text),
      group,
    };
    result.push(clause);
    const negatedHere = clause.negatedLead || NEGATION_BEFORE.test(text);
    softBefore = SOFT_BREAK.test(separator);
    joinBefore = CONTEXT_JOIN.test(separator);
    carry = softBefore && negatedHere;
  };
  for (const match of sentence.matchAll(CLAUSE_BREAK)) {
    const index = match.index ?? 0;
    push(index, match[0]);
    start = index + match[0].length;
  }
  push(sentence.length, '');
  return result;
}

const isWord = (code: number): boolean =>
  (code >= 97 && code <= 122) ||
  (code >= 65 && code <= 90) ||
  (code >= 48 && code <= 57) ||
  code === 95;

/** Where the run of word (or non-word) characters ending at `end` starts. */
function runStart(text: string, end: number, word: boolean): number {
  let i = end;
  while (i > 0 && isWord(text.charCodeAt(i - 1)) === word) i -= 1;
  return i;
}

const LINE_BREAK = /[\n\r\u2028\u2029]/g;
const PREFER = /\bprefer/gi;
const PREFER_ANY = /\bprefer/i;

/** Where each match of a global `pattern` starts in `text`, in order. */
function starts(text: string, pattern: RegExp): number[] {
  const result: number[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) result.push(m.index);
  return result;
}

/**
 * Whether the sentence reads "prefer ... over <the mention at `at`>": PREFERENCE_OVER on the text
 * before the mention. That regex tries every start in the text, so it is read here from the
 * mention backwards instead: "over" (or "to") is one of the last three words before the mention
 * (the nearest such word will do, as any "prefer" before a farther one is before it too), and a
 * "prefer" comes before it on the same line.
 */
function prefersOver(sentence: Sentence, text: string, at: number): boolean {
  sentence.prefers ??= PREFER_ANY.test(text) ? starts(text, PREFER) : [];
  if (lastBefore(sentence.prefers, at) < 0) return false; // most sentences
  let over = -1;
  let word = at;
  for (let words = 0; words < 3 && word > 0 && over < 0; words += 1) {
    word = runStart(text, runStart(text, word, false), true);
    if (PREFERENCE_TAIL.test(text.slice(word, at))) over = word;
  }
  if (over < 0) return false;
  sentence.breaks ??= starts(text, LINE_BREAK);
  return lastBefore(sentence.prefers, over) > lastBefore(sentence.breaks, over);
}

/** prefersOver on a text of its own: exported for tests, which hold it to PREFERENCE_OVER. */
export function prefersOverAt(text: string, at: number): boolean {
  return prefersOver({ start: 0, end: text.length }, text, at);
}

/** The cues of the file's languages beyond English (see practices-cues.ts). */
export interface Cues {
  before: RegExp | null;
  after: RegExp | null;
  /** Portuguese: "no" is "in the" ("no Redis"), not a negation. */
  noIsNotNegation?: boolean;
}

/**
 * After a cue and at least one word, a subject and verb of its own start a new statement: a
 * replacement's cue does not reach past it ("instead of Poetry we use uv", "statt Poetry
 * verwenden wir uv", "en lugar de pip usamos uv", "au lieu de pip nous utilisons uv").
 */
const RESTART =
  /^\s*\S+\s+(?:\S+\s+){0,3}?(?:we|wir|nous|nosotros|nós|usamos|utilizamos|utilisons|(?:verwenden|nutzen|benutzen|setzen|nehmen) wir|采用|改用|使います|사용합니다)(?![\p{L}])/iu;

/** "Neither ... nor" in each language: the negation holds to the end of the clause. */
const NEITHER = /(?<![\p{L}])(?:neither|weder|ni siquiera|nem mesmo|ni même)(?![\p{L}])/iu;
const NEITHER_REACH = 120;
/** A plain search every NEITHER match passes: most sentences hold none. */
const NEITHER_WORD = /neither|weder|ni siquiera|nem mesmo|ni même/i;

/** How far past a parenthesis right after a mention its negation is looked for. */
const PAREN_REACH = 60;
const PAREN_AFTER = /^\s*[(（][^()（）]{0,40}[)）]/;
const HARD_STOP = /[,;:()，；：（）、.。!?！？]/;
const NOT_BLANK = /\S/;

/** Whether the cue `m` found in `before` reaches the mention: see RESTART. */
const reaches = (before: string, m: RegExpExecArray): boolean =>
  !RESTART.test(before.slice(m.index + (m[1] ?? m[0]).length));

/**
 * The text after a mention, to the end of its clause; when a parenthesis follows the mention
 * right away ("역할(role) 구분이 없습니다", "roles (admin, staff) are not used"), the words after
 * the parenthesis, to the next break, are read instead: a gloss does not end the statement.
 */
function afterMention(text: string, end: number, clauseEnd: number): string {
  const after = text.slice(end, clauseEnd);
  if (NOT_BLANK.test(after)) return after;
  const paren = PAREN_AFTER.exec(text.slice(end, end + PAREN_REACH));
  if (!paren) return after;
  const rest = text.slice(end + paren[0].length, end + paren[0].length + PAREN_REACH);
  const stop = HARD_STOP.exec(rest);
  return stop ? rest.slice(0, stop.index) : rest;
}

/** NEGATION_BEFORE without "no", for files in Portuguese. */
const NEGATION_BEFORE_NO_NO = new RegExp(NEGATION_BEFORE.source.replace('(?:no|', '(?:'), 'i');

/** Why the mention at start..end of the clause is turned down, or null when it is not. */
export function negation(
  sentence: Sentence,
  text: string,
  clause: Clause,
  start: number,
  end: number,
  cues: Cues = { before: null, after: null },
): string | null {
  const before = text.slice(Math.max(clause.start, start - NEGATION_REACH), start);
  const english = cues.noIsNotNegation ? NEGATION_BEFORE_NO_NO : NEGATION_BEFORE;
  const quoted = (m: RegExpExecArray | null): string => `"${(m?.[0] ?? '').trim()}"`;
  // A replacement ("instead of X") turns down what it names, not what the clause then uses:
  // "statt Poetry verwenden wir uv", "instead of pip we use uv".
  let m = english.exec(before);
  if (m && reaches(before, m)) return `${quoted(m)} before it`;
  if (cues.before && (m = cues.before.exec(before)) && reaches(before, m)) {
    return `${quoted(m)} before it`;
  }
  // "Neither ... nor" runs to the end of its clause: "weder als Cache noch für Rate Limiting".
  sentence.neither ??= NEITHER_WORD.test(text);
  if (
    sentence.neither &&
    (m = NEITHER.exec(text.slice(Math.max(clause.start, start - NEITHER_REACH), start)))
  ) {
    return `${quoted(m)} before it`;
  }
  const after = afterMention(text, end, clause.end);
  if (NEGATION_AFTER.test(after))
    return `"${after.trim().split(/\s+/).slice(0, 4).join(' ')}" after it`;
  if (cues.after && (m = cues.after.exec(after))) return `${quoted(m)} after it`;
  if (prefersOver(sentence, text, start)) return '"prefer ... over" it';
  return clause.negatedLead ? 'a negation running on through the list it is in' : null;
}

export function isNegated(
  sentence: Sentence,
  text: string,
  clause: Clause,
  start: number,
  end: number,
  cues?: Cues,
): boolean {
  return negation(sentence, text, clause, start, end, cues) !== null;
}

/** One sentence of a block, with what has been read of it so far (each part read at most once). */
export interface Sentence extends Span {
  text?: string;
  /** A question states nothing ("Do I need to set up CORS?"): its answer does. */
  question?: boolean;
  clauses?: Clause[];
  /** Exclusion tests, and context tests when it has no clauses, already run on it. */
  tested?: Map<TextTest, boolean>;
  /** Whether it holds a "neither" (see NEITHER): most do not, and are not read for one. */
  neither?: boolean;
  /** Whether its subject is the tests ("Unit tests use ..."): see TEST_SUBJECT. */
  testSubject?: boolean;
  /** Where each "prefer" and each line break starts (see prefersOver). */
  prefers?: number[];
  breaks?: number[];
}
