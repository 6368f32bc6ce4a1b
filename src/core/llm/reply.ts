import { importedModules, logicalLines, scanPython, type ScannedLine } from './python-scan.js';

/**
 * Reading a model's reply: the body of one function, in one fenced ```python block, with the
 * imports it needs as lines at the top of the block. What it may not do is checked here, before
 * any formatter, linter or test sees the code: the reasons are worded to be sent back to the model.
 */

/** Standard-library modules a service body may import without asking: no I/O, no processes. */
export const SAFE_STDLIB_IMPORTS: readonly string[] = [
  'collections',
  'dataclasses',
  'datetime',
  'decimal',
  'enum',
  'functools',
  'itertools',
  'math',
  'operator',
  're',
  'typing',
  'uuid',
];

export interface ReplyRules {
  /** The function whose body is asked for. */
  functionName: string;
  /** Its `async def` line(s), as in the module: a reply that repeats them must keep them. */
  signature: string;
  /** Modules the reply may import (a module's submodules too): `sqlalchemy`, `app.errors`... */
  allowedImports: readonly string[];
  /** The name of the stub's error (the domain NotImplemented error): a body that only raises it is no body. */
  stubError?: string;
}

export type ReplyProblemCode =
  | 'no-code-block'
  | 'several-code-blocks'
  | 'unterminated-block'
  | 'unterminated-string'
  | 'empty-body'
  | 'still-a-stub'
  | 'signature-changed'
  | 'outside-body'
  | 'defines-function'
  | 'forbidden-import'
  | 'global-state'
  | 'http-error';

export interface ReplyProblem {
  code: ReplyProblemCode;
  /** One sentence, fit to send back to the model. */
  message: string;
  /** 1-based line in the reply's code block, where there is one. */
  line?: number;
}

export interface ParsedBody {
  /** The body's statements, dedented to column 0, no trailing newline: see indentBody. */
  body: string;
  /** Import lines to add to the module (each allowed), in the reply's order. */
  imports: string[];
  /** The test module that replaces the stub's test, when one was asked for (see parseFillReply). */
  test?: string;
}

export type ParsedReply = ({ ok: true } & ParsedBody) | { ok: false; problems: ReplyProblem[] };

export interface Block {
  lang: string;
  lines: string[];
}

/** Fenced blocks, and whether one was left open (a reply cut short). */
export function fencedBlocks(text: string): { blocks: Block[]; unclosed?: Block } {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let open: { fence: string; lang: string; start: number } | undefined;
  lines.forEach((line, index) => {
    if (!open) {
      const m = /^\s*(`{3,}|~{3,})\s*([\w+-]*)[^`]*$/.exec(line);
      if (m) open = { fence: m[1] ?? '```', lang: (m[2] ?? '').toLowerCase(), start: index + 1 };
      return;
    }
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line)?.[1];
    if (close && close[0] === open.fence[0] && close.length >= open.fence.length) {
      blocks.push({ lang: open.lang, lines: lines.slice(open.start, index) });
      open = undefined;
    }
  });
  const unclosed = open ? { lang: open.lang, lines: lines.slice(open.start) } : undefined;
  return unclosed ? { blocks, unclosed } : { blocks };
}

export const PYTHON_LANGS = new Set(['python', 'py', 'python3', 'py3']);

function pickBlock(text: string): Block | ReplyProblem {
  const { blocks, unclosed } = fencedBlocks(text);
  const python = blocks.filter((b) => PYTHON_LANGS.has(b.lang));
  const candidates = python.length > 0 ? python : blocks.filter((b) => b.lang === '');
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length > 1) {
    return {
      code: 'several-code-blocks',
      message: `the reply has ${candidates.length} code blocks: send exactly one \`\`\`python block`,
    };
  }
  if (unclosed) {
    return {
      code: 'unterminated-block',
      message: 'the ```python block is never closed: the reply was cut short or malformed',
    };
  }
  return {
    code: 'no-code-block',
    message: 'the reply has no ```python block: put the body in exactly one',
  };
}

const squash = (s: string): string =>
  s
    .replace(/#[^\n]*/g, '')
    .replace(/\s+/g, '')
    .replace(/,\)/g, ')')
    .replace(/:$/, '');

export function isAllowed(module: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => module === a || module.startsWith(a.endsWith('.') ? a : `${a}.`));
}

/** Removes `width` leading whitespace characters from each code line (string contents stay as they are). */
function dedent(lines: readonly ScannedLine[], width: number): string[] {
  return lines.map((l) => {
    if (l.inString || l.text.trim() === '') return l.inString ? l.text : '';
    const lead = l.text.slice(0, width);
    return lead.trim() === '' ? l.text.slice(width) : l.text.trimStart();
  });
}

const trimBlankLines = (lines: string[]): string[] => {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start += 1;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(start, end);
};

/**
 * The body in a reply, or why it cannot be used. The reply may carry text around its one
 * ```python block (ignored) and `<think>` sections (ignored). In the block: import lines at the
 * top (module imports), then the body; or the whole function with its signature unchanged, whose
 * body is taken. Rejected: no block or several, a block cut short, a changed signature, code
 * outside the function, another function or class, an import outside `allowedImports` (anywhere),
 * `global`/`nonlocal`, an HTTP error instead of a domain error, an empty body or the stub itself.
 */
export function parseReply(reply: string, rules: ReplyRules): ParsedReply {
  const text = reply.replace(/\r\n?/g, '\n').replace(/<think>[\s\S]*?<\/think>/g, '');
  const block = pickBlock(text);
  if (!('lines' in block)) return { ok: false, problems: [block] };

  const { lines, unterminatedString } = scanPython(block.lines.join('\n'));
  if (unterminatedString) {
    return {
      ok: false,
      problems: [{ code: 'unterminated-string', message: 'a string in the block is never closed' }],
    };
  }
  const problems: ReplyProblem[] = [];
  const problem = (code: ReplyProblemCode, message: string, index?: number): void => {
    if (problems.some((p) => p.code === code && p.message === message)) return;
    problems.push(index === undefined ? { code, message } : { code, message, line: index + 1 });
  };
  const name = rules.functionName;
  const statements = logicalLines(lines);

  // Import lines at the top of the block are the module's.
  const imports: string[] = [];
  let next = 0;
  for (const s of statements) {
    if (s.indent !== 0 || !/^\s*(?:import|from)\b/.test(s.code)) break;
    imports.push(s.text.trim());
    next += 1;
  }
  let bodyStart = statements[next]?.first ?? lines.length;
  let bodyEnd = lines.length;

  const head = statements[next];
  if (head && head.indent === 0 && /^\s*@/.test(head.code)) {
    problem(
      'outside-body',
      `the reply adds a decorator: write only the body of \`${name}\``,
      head.first,
    );
  }
  const def =
    head && head.indent === 0 ? /^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(head.code) : null;
  if (head && def) {
    if (def[1] !== name) {
      problem(
        'defines-function',
        `the reply defines \`${def[1]}\`: write only the body of \`${name}\``,
        head.first,
      );
    } else {
      if (squash(head.text) !== squash(rules.signature)) {
        problem(
          'signature-changed',
          `the reply changes the signature of \`${name}\`: keep \`${rules.signature.trim()}\` and write only its body`,
          head.first,
        );
      }
      bodyStart = head.end;
      const after = statements.find((s) => s.first >= head.end && s.indent === 0);
      if (after) {
        bodyEnd = after.first;
        problem(
          'outside-body',
          `the reply has code after the body of \`${name}\` (\`${after.text.split('\n')[0]?.trim()}\`): write only the body`,
          after.first,
        );
      }
    }
  }
  // The docstring is the module's: a repeated one is dropped.
  const first = statements.find((s) => s.first >= bodyStart && s.first < bodyEnd);
  if (
    first &&
    /^\s*[rRuU]?("""|''')/.test(first.text) &&
    first.code.replace(/["'\s]/g, '') === ''
  ) {
    bodyStart = first.end;
  }

  const body = statements.filter((s) => s.first >= bodyStart && s.end <= bodyEnd);
  const checked = [...statements.slice(0, next), ...body];
  for (const s of checked) {
    for (const m of s.code.matchAll(/\b(?:def|class)\s+([A-Za-z_]\w*)/g)) {
      if (s === head && def) continue;
      problem(
        'defines-function',
        `the reply defines \`${m[1]}\`: write only the body of \`${name}\`, with no nested function or class (a lambda will do)`,
        s.first,
      );
    }
    for (const module of importedModules(s.code)) {
      if (!isAllowed(module, rules.allowedImports)) {
        problem(
          'forbidden-import',
          `the reply imports \`${module}\`, which is not allowed: import only from ${rules.allowedImports.map((a) => `\`${a}\``).join(', ') || 'nothing'}`,
          s.first,
        );
      }
    }
    if (/\b__import__\b|\bimportlib\b/.test(s.code)) {
      problem(
        'forbidden-import',
        'the reply imports a module dynamically: use only import lines',
        s.first,
      );
    }
    if (/\b(?:global|nonlocal)\b/.test(s.code)) {
      problem(
        'global-state',
        `the reply changes state outside \`${name}\` with \`global\`/\`nonlocal\`: keep to the body`,
        s.first,
      );
    }
    const http = /\b(HTTPException|JSONResponse|status\.HTTP_\w+)/.exec(s.code)?.[1];
    if (http) {
      problem(
        'http-error',
        `the reply uses \`${http}\`: raise one of the project's domain errors instead (the routes turn them into HTTP responses)`,
        s.first,
      );
    }
  }

  const meaningful = body.filter((s) => !/^\s*(?:pass|\.\.\.)\s*$/.test(s.code));
  if (meaningful.length === 0) {
    problem('empty-body', `the reply has no body for \`${name}\``);
  } else if (
    rules.stubError &&
    meaningful.length === 1 &&
    new RegExp(`\\braise\\s+${rules.stubError}\\b`).test(meaningful[0]?.code ?? '')
  ) {
    problem(
      'still-a-stub',
      `the body still only raises \`${rules.stubError}\`: implement \`${name}\``,
    );
  }
  if (problems.length > 0) return { ok: false, problems };

  const bodyLines = lines.slice(bodyStart, bodyEnd);
  const width = Math.min(...bodyLines.filter((l) => l.starts && !l.blank).map((l) => l.indent));
  return { ok: true, body: trimBlankLines(dedent(bodyLines, width)).join('\n'), imports };
}

/** A body from parseReply, indented to sit under a `def` line: string contents stay as they are. */
export function indentBody(body: string, indent = '    '): string {
  return scanPython(body)
    .lines.map((l) => (l.inString ? l.text : l.text.trim() === '' ? '' : indent + l.text))
    .join('\n');
}
