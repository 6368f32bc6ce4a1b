/**
 * The body of a custom endpoint's service function, read and replaced in the text of its module
 * (`app/<package>/operations/<name>.py`, see endpointFiles): pure, no disk. This is what `fill`
 * uses to tell the bodies it may write from those it must leave alone.
 *
 * How a body's state is known, without a second source of truth to fall out of step:
 * - `stub`: the function's body is the one statement the generator writes,
 *   `raise NotImplementedYetError(...)` (however Ruff lays it out; a string argument or none).
 *   The file says so: a stub a user has not touched is recognised even in a project whose
 *   manifest knows nothing of `fill`.
 * - `model`: the manifest's endpoint has `filled: { model, sha256 }`, written by `fill` with
 *   `bodyHash` of the body it wrote, and the body's hash is still that one.
 * - `user`: anything else: a body someone wrote or edited (a model's body edited by hand is the
 *   user's from then on). `fill` never replaces one; `fill --refresh` may redo `model` bodies.
 * - `missing`: the module has no top-level `async def <name>(` (renamed, deleted).
 *
 * The generator renders the stub the same way every time (same template, same Ruff settings),
 * so the three-way merge of `regenerate`, `add field` and `add endpoint` sees no change of its
 * own in a module the user edited, and keeps the user's text (plan.ts: "generator unchanged").
 * Each endpoint's function is alone in its module, so adding or removing another endpoint never
 * touches it either.
 */
import { createHash } from 'node:crypto';
import { lineEnding, toLf, withEnding } from './merge3.js';

export type BodyState = 'stub' | 'model' | 'user' | 'missing';

/** A top-level function of a module, as lines of its LF text. */
export interface FunctionParts {
  /** `async def name(...) -> T:`, as written (over several lines when Ruff split it). */
  signature: string;
  /** The docstring's text (what is between the quotes, dedented); empty when it has none. */
  docstring: string;
  /** The statements after the docstring, dedented (no trailing blank lines). */
  body: string;
  /** Lines [bodyStart, bodyEnd) of the LF text hold the body. */
  bodyStart: number;
  bodyEnd: number;
  /** The body's indentation (four spaces as generated). */
  indent: string;
}

const STUB =
  /^raise\s+NotImplementedYetError(?:\s*\(\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')?\s*,?\s*\))?$/;

const escapeName = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '');

/** Lines with a common indentation removed. */
function dedent(lines: readonly string[]): string[] {
  const indents = lines
    .filter((l) => l.trim() !== '')
    .map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(cut)));
}

/** How many triple quotes of each kind open or close on a line (a rough tokenizer, strings only). */
function toggles(line: string, open: string | null): string | null {
  let state = open;
  for (let i = 0; i < line.length; i += 1) {
    const three = line.slice(i, i + 3);
    if (state === null) {
      if (line[i] === '#') break;
      if (three === '"""' || three === "'''") {
        state = three;
        i += 2;
      } else if (line[i] === '"' || line[i] === "'") {
        // A one-line string: skip to its end.
        const quote = line[i];
        for (i += 1; i < line.length && line[i] !== quote; i += 1) if (line[i] === '\\') i += 1;
      }
    } else if (line[i] === '\\') {
      i += 1;
    } else if (three === state) {
      state = null;
      i += 2;
    }
  }
  return state;
}

/** Finds `async def <name>(` (or `def`) at the top level of `text` (LF line breaks). */
export function findFunction(text: string, name: string): FunctionParts | null {
  const lines = toLf(text).split('\n');
  const header = new RegExp(`^(?:async\\s+)?def\\s+${escapeName(name)}\\s*\\(`);
  let open: string | null = null;
  let start = -1;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (open === null && header.test(line)) {
      start = i;
      break;
    }
    open = toggles(line, open);
  }
  if (start < 0) return null;
  // The signature ends at the first `:` outside brackets, at the end of a line.
  let depth = 0;
  let end = start;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    for (const c of line) {
      if ('([{'.includes(c)) depth += 1;
      if (')]}'.includes(c)) depth -= 1;
    }
    if (depth === 0 && /:\s*(?:#.*)?$/.test(line)) break;
  }
  const signature = lines.slice(start, end + 1).join('\n');
  let at = end + 1;
  while (at < lines.length && (lines[at] ?? '').trim() === '') at += 1;
  const indent = /^[ \t]*/.exec(lines[at] ?? '')?.[0] ?? '    ';
  let docstring = '';
  const first = (lines[at] ?? '').trim();
  const quote = first.startsWith('"""') ? '"""' : first.startsWith("'''") ? "'''" : null;
  if (quote && indent !== '') {
    const rest = first.slice(3);
    if (rest.includes(quote)) {
      docstring = rest.slice(0, rest.indexOf(quote));
      at += 1;
    } else {
      const doc = [rest];
      let j = at + 1;
      for (; j < lines.length && !(lines[j] ?? '').includes(quote); j += 1)
        doc.push(lines[j] ?? '');
      const last = lines[j] ?? '';
      doc.push(last.slice(0, last.indexOf(quote)));
      docstring = [doc[0] ?? '', ...dedent(doc.slice(1))].join('\n').trim();
      at = j + 1;
    }
  }
  const bodyStart = at;
  let bodyEnd = bodyStart;
  open = null;
  for (let i = bodyStart; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (open === null && line.trim() !== '' && !/^[ \t]/.test(line)) break;
    open = toggles(line, open);
    if (line.trim() !== '' || open !== null) bodyEnd = i + 1;
  }
  return {
    signature,
    docstring,
    body: dedent(lines.slice(bodyStart, bodyEnd)).join('\n'),
    bodyStart,
    bodyEnd,
    indent: indent || '    ',
  };
}

/** Whether a body (dedented) is the generator's stub: one `raise NotImplementedYetError(...)`. */
export function isStub(body: string): boolean {
  const code = body
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return STUB.test(code);
}

/**
 * The hash `fill` records of a body it wrote (`filled.sha256`): SHA-256 of the body dedented,
 * without trailing white space on its lines nor blank lines around it.
 */
export function bodyHash(body: string): string {
  const lines = dedent(toLf(body).split('\n')).map((l) => l.replace(/\s+$/, ''));
  while (lines[0] === '') lines.shift();
  while (lines.at(-1) === '') lines.pop();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The state of an endpoint's body in its module's text (see the doc comment above). */
export function bodyState(
  moduleText: string,
  endpoint: { name: string; filled?: { sha256: string } },
): BodyState {
  const found = findFunction(moduleText, endpoint.name);
  if (!found) return 'missing';
  if (isStub(found.body)) return 'stub';
  if (endpoint.filled && bodyHash(found.body) === endpoint.filled.sha256) return 'model';
  return 'user';
}

/** Whether the endpoint's function is still the generator's stub. */
export function isStubBody(moduleText: string, endpoint: { name: string }): boolean {
  return bodyState(moduleText, endpoint) === 'stub';
}

/**
 * The module's text with the function's body replaced by `body` (any indentation: it is
 * dedented, then indented as the function's); the signature, the docstring and every other
 * line stay as they were, line endings included. Throws when the function is not there.
 */
export function spliceBody(moduleText: string, endpoint: { name: string }, body: string): string {
  const found = findFunction(moduleText, endpoint.name);
  if (!found) throw new Error(`no function ${endpoint.name} in the module`);
  const lines = toLf(moduleText).split('\n');
  const fresh = dedent(toLf(body).replace(/\s+$/, '').split('\n'));
  while (fresh[0] === '') fresh.shift();
  const indented = fresh.map((l) => (l === '' ? '' : `${found.indent}${l}`));
  const out = [...lines.slice(0, found.bodyStart), ...indented, ...lines.slice(found.bodyEnd)];
  return withEnding(out.join('\n'), lineEnding(moduleText));
}

/** What a prompt needs of the function: its signature, its docstring and its body now. */
export function functionForPrompt(
  moduleText: string,
  endpoint: { name: string },
): { signature: string; docstring: string; body: string } | null {
  const found = findFunction(moduleText, endpoint.name);
  return found
    ? { signature: found.signature, docstring: found.docstring, body: found.body }
    : null;
}
