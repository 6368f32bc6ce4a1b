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
  /** What kind of guidance file it is, recognised by its shape (see guidanceFormat). */
  format: GuidanceFormat;
  /** Where the file applies, as its format states it: `globs`, `alwaysApply`, `applyTo`, `trigger`. */
  metadata: GuidanceMetadata;
  warnings: string[];
}

/**
 * The guidance formats recognised: a Claude Code agent (front matter with a name or description),
 * a Cursor rule (`.mdc`, `description`/`globs`/`alwaysApply`, its block at the top or the end), a
 * Copilot instructions file (`applyTo`), a Windsurf rule (`trigger`) or rules file
 * (`.windsurfrules`), CLAUDE.md, AGENTS.md, and any other markdown.
 */
export type GuidanceFormat =
  | 'claude-agent'
  | 'cursor-rule'
  | 'copilot-instructions'
  | 'windsurf-rule'
  | 'windsurf-rules'
  | 'claude-md'
  | 'agents-md'
  | 'markdown';

export interface GuidanceMetadata {
  globs?: string[];
  alwaysApply?: boolean;
  applyTo?: string;
  trigger?: string;
}

/** Keys that make a `---` block at the end of a file its metadata (Cursor writes it there at times). */
const TRAILING_KEYS = /^(?:description|globs|alwaysApply|applyTo|trigger)[ \t]*:/;

/**
 * A metadata block closing the file: `---`, then only `key: value` lines with at least one key
 * of TRAILING_KEYS, then `---` on the last non-blank line or nothing (Cursor does not always
 * close it). Its first and last (exclusive) 0-based line indexes, or null.
 */
function trailingBlock(lines: readonly string[]): { start: number; end: number } | null {
  const rule = (i: number): boolean => /^---[ \t]*$/.test(lines[i] ?? '');
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] ?? '').trim() === '') last -= 1;
  // Closed by `---` on the last non-blank line, or left open to the end of the file.
  const closed = last >= 2 && rule(last);
  const end = closed ? last : last + 1;
  let start = end - 1;
  while (start >= 0 && !rule(start)) start -= 1;
  if (start < 0 || end - start < 2) return null;
  const inside = lines.slice(start + 1, end);
  const keyed = inside.every((l) => l.trim() === '' || /^\s/.test(l) || KEY_LINE.test(l));
  return keyed && inside.some((l) => TRAILING_KEYS.test(l)) ? { start, end } : null;
}

function globList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String).filter((g) => g.trim() !== '');
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((g) => g.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .filter(Boolean);
}

function metadataOf(data: Record<string, unknown>): GuidanceMetadata {
  const metadata: GuidanceMetadata = {};
  const globs = globList(data.globs);
  if (globs) metadata.globs = globs;
  if (data.alwaysApply !== undefined && data.alwaysApply !== null) {
    metadata.alwaysApply = data.alwaysApply === true || String(data.alwaysApply) === 'true';
  }
  const applyTo = optionalString(data.applyTo);
  if (applyTo) metadata.applyTo = applyTo;
  const trigger = optionalString(data.trigger);
  if (trigger) metadata.trigger = trigger;
  return metadata;
}

/** The format of a guidance file, by its name and the keys of its metadata. */
export function guidanceFormat(fileName: string, data: Record<string, unknown>): GuidanceFormat {
  const has = (key: string): boolean => data[key] !== undefined;
  // Copilot: path-specific `NAME.instructions.md`, and the repository-wide `copilot-instructions.md`.
  if (has('applyTo') || /^copilot-instructions\.md$|\.instructions\.md$/i.test(fileName)) {
    return 'copilot-instructions';
  }
  if (has('trigger')) return 'windsurf-rule';
  if (/^\.windsurfrules$/i.test(fileName)) return 'windsurf-rules';
  if (has('globs') || has('alwaysApply') || /\.mdc$/i.test(fileName)) return 'cursor-rule';
  if (/^claude(?:\.local)?\.md$/i.test(fileName)) return 'claude-md';
  if (/^agents\.md$/i.test(fileName)) return 'agents-md';
  if (has('name') || has('description')) return 'claude-agent';
  return 'markdown';
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
  const hasFrontMatter = /^---[ \t]*\n/.test(text);
  if (!hasFrontMatter) return withoutFrontMatter(text, path, fileName, warnings);
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
  const bodyStartLine = parsed.matter.split('\n').length + 2;
  return agentFile(text, path, fileName, data, parsed.content, bodyStartLine, warnings);
}

/**
 * A file with no front matter at its top (a first line of `---yaml` or `--- # note` is not one:
 * it is text). A metadata block at its end, as Cursor writes at times, gives its metadata; the
 * block stays part of the text read for practices, as a description would be.
 */
function withoutFrontMatter(
  text: string,
  path: string,
  fileName: string,
  warnings: string[],
): AgentFile {
  const lines = text.split('\n');
  const trailing = trailingBlock(lines);
  let data: Record<string, unknown> = {};
  if (trailing) {
    const { start, end } = trailing;
    const block = lines.slice(start + 1, end).join('\n');
    // Lines are named from the block's own first line: shift messages to file lines.
    const local: string[] = [];
    try {
      data = parseFrontMatter(`\n${block}`, path, local);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      local.push(error.message);
    }
    warnings.push(
      ...local.map((w) =>
        w
          .replace(/^(.*?):(\d+):/, (_, p: string, n: string) => `${p}:${Number(n) + start}:`)
          .replace('front matter', `metadata block at line ${start + 1}`),
      ),
    );
  }
  return agentFile(text, path, fileName, data, text, 1, warnings);
}

function agentFile(
  text: string,
  path: string,
  fileName: string,
  data: Record<string, unknown>,
  body: string,
  bodyStartLine: number,
  warnings: string[],
): AgentFile {
  const result: AgentFile = {
    path,
    text,
    name:
      optionalString(data.name) ?? fileName.replace(/(?:\.instructions)?\.(md|mdc|markdown)$/i, ''),
    description: optionalString(data.description) ?? '',
    tools: normaliseTools(data.tools),
    frontMatter: data,
    body,
    bodyStartLine,
    format: guidanceFormat(fileName, data),
    metadata: metadataOf(data),
    warnings,
  };
  const model = optionalString(data.model);
  const color = optionalString(data.color);
  if (model) result.model = model;
  if (color) result.color = color;
  return result;
}
