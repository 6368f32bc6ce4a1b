/**
 * Words in the emitted Python: docstrings, messages and comments. Ruff lays code out, but never
 * wraps a string or a comment, and the generated project checks E501 (lines over 88 columns):
 * where a name makes prose longer, the first wording that still fits its line is chosen here.
 */
import { pyCommentText, pyDocstringText, pyString } from './python-text.js';
import { RUFF_LINE_LENGTH } from './python.js';

export const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const human = (snakeName: string): string => snakeName.replace(/_/g, ' ');

/** `an order`, `a user`: by the first letter, with the usual exceptions for a `u` sound. */
export function article(word: string): string {
  if (/^[aeio]/.test(word)) return 'an';
  if (/^u/.test(word)) return /^u(ni|s[aeu]|t[ei]|r[aeio]|ro)/.test(word) ? 'a' : 'an';
  return 'a';
}

const indent = (depth: number): string => '    '.repeat(depth);

/** Whether `text`, indented `depth` levels, fits a line. */
export const fits = (depth: number, text: string): boolean =>
  indent(depth).length + text.length <= RUFF_LINE_LENGTH;

/** The first candidate that fits, else the last (the shortest, by convention). */
function first(candidates: readonly string[], fit: (candidate: string) => boolean): string {
  return candidates.find(fit) ?? candidates.at(-1) ?? '';
}

/** The text of a one-line docstring at `depth` (`"""text"""`): the first wording that fits. */
export function docstring(depth: number, ...candidates: string[]): string {
  return first(candidates.map(pyDocstringText), (c) => fits(depth, `"""${c}"""`));
}

/**
 * A string literal given alone to a call at `depth` (`raise ConflictError("...") from exc`): the
 * first wording that fits once Ruff has put it on a line of its own, one level deeper.
 */
export function message(depth: number, ...candidates: string[]): string {
  return pyString(first(candidates, (c) => fits(depth + 1, pyString(c))));
}

/** Words of `text`, wrapped into lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The lines of a comment at `depth`, without their `# `: wrapped so each fits. */
export function commentLines(depth: number, text: string): string[] {
  return wrap(pyCommentText(text), RUFF_LINE_LENGTH - indent(depth).length - 2);
}

/**
 * A docstring's summary that may run over several lines: wrapped as if it started with the
 * opening quotes, which are not part of the result.
 */
export function summaryLines(text: string): string[] {
  const lines = wrap(`"""${pyDocstringText(text)}`, RUFF_LINE_LENGTH);
  return [(lines[0] ?? '').slice(3), ...lines.slice(1)];
}

/**
 * An entry of `OPENAPI_TAGS`, with the first description that fits: once its dict is split,
 * `"description": "..."` is a line of its own that nothing can shorten.
 */
export function tag(
  name: string,
  ...descriptions: string[]
): { name: string; description: string } {
  return { name, description: first(descriptions, (d) => fits(2, `"description": "${d}",`)) };
}
