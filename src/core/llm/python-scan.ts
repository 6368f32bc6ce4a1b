/**
 * A small reader of Python source lines, enough to judge a model's reply without Python: which
 * lines start a statement (not inside a string, brackets or a backslash continuation), their
 * indentation, and each line with its string contents and comments blanked, so that searching it
 * for a keyword (`import`, `def`, `global`) finds only code.
 */

export interface ScannedLine {
  /** The physical line, as written. */
  text: string;
  /** The same line, string contents and comments replaced by spaces (same length). */
  code: string;
  /** Starts a logical line: not inside a string or brackets, not after a backslash. */
  starts: boolean;
  /** Begins inside a (triple-quoted) string: its text is the string's, not code. */
  inString: boolean;
  /** Leading whitespace characters. */
  indent: number;
  /** Starts a logical line and holds nothing but whitespace or a comment. */
  blank: boolean;
}

export interface Scan {
  lines: ScannedLine[];
  /** The source ends inside a string (an unclosed `"""`): the reply was cut or is not Python. */
  unterminatedString: boolean;
}

interface OpenString {
  quote: string;
  triple: boolean;
  raw: boolean;
}

const PREFIX = /(?:^|[^A-Za-z0-9_])([rRbBuUfFtT]{0,2})$/;

export function scanPython(source: string): Scan {
  const physical = source.split('\n');
  const lines: ScannedLine[] = [];
  let open: OpenString | undefined;
  let depth = 0;
  let continued = false;
  for (const text of physical) {
    const inString = open !== undefined;
    const starts = !inString && depth === 0 && !continued;
    continued = false;
    const masked = [...text];
    let i = 0;
    while (i < text.length) {
      const ch = text[i] ?? '';
      if (open) {
        if (!open.raw && ch === '\\') {
          masked[i] = ' ';
          if (i + 1 < text.length) masked[i + 1] = ' ';
          i += 2;
          continue;
        }
        const closer = open.triple ? open.quote.repeat(3) : open.quote;
        if (text.startsWith(closer, i)) {
          i += closer.length;
          open = undefined;
          continue;
        }
        masked[i] = ' ';
        i += 1;
        continue;
      }
      if (ch === '#') {
        for (let j = i; j < text.length; j += 1) masked[j] = ' ';
        break;
      }
      if (ch === '"' || ch === "'") {
        const prefix = PREFIX.exec(text.slice(0, i))?.[1] ?? '';
        const triple = text.startsWith(ch.repeat(3), i);
        open = { quote: ch, triple, raw: /[rR]/.test(prefix) };
        i += triple ? 3 : 1;
        continue;
      }
      if ('([{'.includes(ch)) depth += 1;
      else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
      else if (ch === '\\' && i === text.length - 1) continued = true;
      i += 1;
    }
    // A one-quote string cannot span lines (but for a backslash before the line break).
    if (open && !open.triple && !text.endsWith('\\')) open = undefined;
    const code = masked.join('');
    const indent = text.length - text.trimStart().length;
    lines.push({ text, code, starts, inString, indent, blank: starts && code.trim() === '' });
  }
  return { lines, unterminatedString: open !== undefined };
}

export interface LogicalLine {
  /** Index of its first physical line. */
  first: number;
  /** Index past its last physical line. */
  end: number;
  indent: number;
  /** Its physical lines joined with `\n`. */
  text: string;
  /** Its masked lines joined with a space (see ScannedLine.code). */
  code: string;
}

/** The logical lines (statements, or compound statements' headers) of scanned lines, blank ones left out. */
export function logicalLines(lines: readonly ScannedLine[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  lines.forEach((line, index) => {
    if (line.starts) {
      if (current) out.push(current);
      current = line.blank
        ? undefined
        : { first: index, end: index + 1, indent: line.indent, text: line.text, code: line.code };
      return;
    }
    if (!current) return;
    current.end = index + 1;
    current.text += `\n${line.text}`;
    current.code += ` ${line.code}`;
  });
  if (current) out.push(current);
  return out;
}

/** The modules a statement imports (`from a.b import c` gives `a.b`; `import x, y.z as w` gives x and y.z). */
export function importedModules(code: string): string[] {
  const modules: string[] = [];
  const fromSpans: number[] = [];
  for (const m of code.matchAll(/\bfrom\s+(\.+[\w.]*|[A-Za-z_][\w.]*)\s+(import)\b/g)) {
    modules.push(m[1] ?? '');
    fromSpans.push((m.index ?? 0) + m[0].length - 'import'.length);
  }
  for (const m of code.matchAll(/\bimport\b/g)) {
    if (fromSpans.includes(m.index ?? -1)) continue;
    const rest = code.slice((m.index ?? 0) + m[0].length).split(/[;:]/)[0] ?? '';
    for (const part of rest.split(',')) {
      const name = /^\s*([A-Za-z_][\w.]*)/.exec(part)?.[1];
      if (name) modules.push(name);
    }
  }
  return modules;
}
