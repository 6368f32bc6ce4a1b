import matter from 'gray-matter';
import YAML from 'yaml';
import { UserError } from './errors.js';

/** An agent guidance file: YAML front matter (name, description, model, tools...) and a markdown body. */
export interface AgentFile {
  /** Where it was read from, as the user gave it (for messages only). */
  path: string;
  /** The whole text, as read (BOM and CRLF normalised). Copied into projects as AGENTS.md. */
  text: string;
  name: string;
  description: string;
  model?: string;
  color?: string;
  tools: string[];
  frontMatter: Record<string, unknown>;
  body: string;
  /** 1-based line of the file on which the body starts, so evidence can cite file lines. */
  bodyStartLine: number;
  warnings: string[];
}

/** Decodes a file's bytes as UTF-8 text, refusing binary and non-UTF-8 content. */
export function decodeAgentBytes(bytes: Uint8Array, path: string): string {
  if (bytes.includes(0)) {
    throw new UserError(`${path}: is a binary file, not a markdown agent guidance file`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path}: is not UTF-8 text`);
  }
}

const KEY_LINE = /^([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$/;

interface RawEntry {
  key: string;
  line: number;
  inline: string;
  block: string[];
}

function stripQuotes(value: string): string {
  const m = /^(["'])(.*)\1$/s.exec(value);
  return m ? (m[2] ?? '') : value;
}

function tryYamlValue(key: string, source: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const doc: unknown = YAML.parse(source, { uniqueKeys: false });
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && key in doc) {
      return { ok: true, value: (doc as Record<string, unknown>)[key] };
    }
  } catch {
    // not YAML: the caller falls back to the raw text
  }
  return { ok: false };
}

/**
 * Reads front matter that is not strict YAML but is made of `key: value` lines, as many real agent
 * files are (an unquoted description holding ": ", "\n" escapes...). Indented lines and list items
 * belong to the key above them. A line that fits none of that cannot be read: its file line is named.
 */
function readLenient(lines: string[], path: string): Record<string, unknown> {
  const entries: RawEntry[] = [];
  // A description often runs on over lines of its own, with <example> blocks whose lines look
  // like keys ("user: ..."): those lines belong to it until its examples are closed.
  let openExamples = 0;
  lines.forEach((text, index) => {
    const line = index + 1;
    const current = entries.at(-1);
    const inDescription = current?.key === 'description';
    if (inDescription) {
      openExamples += (text.match(/<example>/gi) ?? []).length;
      openExamples -= (text.match(/<\/example>/gi) ?? []).length;
    }
    if (text.trim() === '' || /^\s*#/.test(text)) {
      current?.block.push(text);
      return;
    }
    const keyMatch = KEY_LINE.exec(text);
    const insideExample = inDescription && (openExamples > 0 || /<\/example>/i.test(text));
    if (keyMatch && !insideExample) {
      entries.push({ key: keyMatch[1] ?? '', line, inline: keyMatch[2] ?? '', block: [] });
      openExamples = 0;
      return;
    }
    if (current && (/^[ \t]/.test(text) || /^- /.test(text) || inDescription)) {
      current.block.push(text);
      return;
    }
    throw new UserError(
      `${path}:${line}: front matter cannot be read: expected "key: value", got ${JSON.stringify(text.slice(0, 60))}`,
    );
  });
  const data: Record<string, unknown> = {};
  for (const entry of entries) {
    const block = entry.block.filter((l) => l.trim() !== '');
    const source = `${entry.key}:${entry.inline ? ` ${entry.inline}` : ''}\n${block.join('\n')}`;
    const parsed = tryYamlValue(entry.key, source);
    if (parsed.ok) {
      data[entry.key] = parsed.value;
      continue;
    }
    const raw = [entry.inline, ...block.map((l) => l.trim())].filter((l) => l !== '').join('\n');
    data[entry.key] = stripQuotes(raw).replace(/\\n/g, '\n');
  }
  return data;
}

function parseFrontMatter(
  source: string,
  path: string,
  warnings: string[],
): Record<string, unknown> {
  // gray-matter hands over the text after the opening `---`, starting with the rest of that line,
  // so line k of `lines` is line k of the file.
  const lines = source.split('\n');
  let strictError: string | undefined;
  try {
    const value: unknown = YAML.parse(source);
    if (value === null || value === undefined) return {};
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new UserError(`${path}:2: front matter must be "key: value" lines`);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const where = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    const firstLine = ((error as Error).message.split('\n')[0] ?? '').replace(
      / at line \d+.*$/,
      '',
    );
    strictError = where ? `line ${where}: ${firstLine}` : firstLine;
  }
  const data = readLenient(lines, path);
  warnings.push(
    `${path}: front matter is not strict YAML (${strictError}); read it as "key: value" lines`,
  );
  return data;
}

function normaliseTools(value: unknown): string[] {
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  }
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, enabled]) => enabled !== false)
      .map(([tool]) => tool);
  }
  return [];
}

const optionalString = (value: unknown): string | undefined =>
  value === undefined || value === null || value === '' ? undefined : String(value);

/** Parses an agent guidance file. Pure: `path` only names the file in messages. */
export function parseAgentFile(input: string, path: string): AgentFile {
  const text = input.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') {
    throw new UserError(`${path}: the agent guidance file is empty`);
  }
  if (/^---[ \t]*\n/.test(text) && !/\n---[ \t]*(\n|$)/.test(text.slice(3))) {
    throw new UserError(`${path}:1: front matter opened with "---" is never closed`);
  }
  const warnings: string[] = [];
  const fileName = path.split(/[\\/]/).pop() ?? path;
  const parsed = matter(text, {
    engines: {
      yaml: {
        parse: (source: string) => parseFrontMatter(source, path, warnings),
        stringify: () => {
          throw new Error('not used');
        },
      },
    },
  });
  const data = (parsed.data ?? {}) as Record<string, unknown>;
  const hasFrontMatter = /^---[ \t]*\n/.test(text);
  const bodyStartLine = hasFrontMatter ? parsed.matter.split('\n').length + 2 : 1;
  const result: AgentFile = {
    path,
    text,
    name: optionalString(data.name) ?? fileName.replace(/\.(md|markdown)$/i, ''),
    description: optionalString(data.description) ?? '',
    tools: normaliseTools(data.tools),
    frontMatter: data,
    body: parsed.content,
    bodyStartLine,
    warnings,
  };
  const model = optionalString(data.model);
  const color = optionalString(data.color);
  if (model) result.model = model;
  if (color) result.color = color;
  return result;
}
