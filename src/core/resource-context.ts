/**
 * What templates see of a resource and of a migration. Every Python snippet a template needs for
 * a field (annotations, column definitions, schema types, imports) is computed here, so that the
 * templates stay plain and the model, the schemas, the tests and the migrations agree by
 * construction.
 *
 * Generated code must pass `ruff format --check` as rendered, for any name up to 40 characters:
 * every statement whose length depends on a name is laid out here, by the small layout helper
 * below, exactly as ruff would wrap it (line length 88, magic trailing commas).
 */
import { UserError } from './errors.js';
import type { MigrationOp, MigrationSpec } from './migrations.js';
import { pascal, plural } from './names.js';
import { resourceNames, type FieldSpec, type ResourceSpec } from './resources.js';
import type { ProjectSpec } from './spec.js';
import {
  article,
  capitalise,
  commentLines,
  docstring,
  human,
  message,
  summaryLines,
  tag,
} from './prose.js';
import type { ModuleRouters, Router } from './module-context.js';

export { article };

// ---------------------------------------------------------------------------------------------
// Layout: the subset of ruff's formatter the generated statements need.

/** ruff's default, and the generated project's `line-length`. */
export const LINE_LENGTH = 88;

/** A Python expression, as far as line breaking is concerned. */
export type Expr =
  | { kind: 'atom'; text: string }
  | {
      kind: 'bracket';
      /** What precedes the last bracket: `f`, `await service.get`, `Mapped`; empty for a display. */
      head: string;
      open: string;
      close: string;
      items: Expr[];
      /** A list, tuple, set or dict display: once split, one item per line. */
      display: boolean;
      oneTuple: boolean;
    }
  | { kind: 'keyword'; key: string; sep: '=' | ': '; value: Expr }
  | { kind: 'comprehension'; parts: string[] };

type Bracket = Extract<Expr, { kind: 'bracket' }>;

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const OPENING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** Visits each character outside string literals, with its bracket depth. */
function scan(text: string, visit: (index: number, depth: number) => void): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    if (c in CLOSING) {
      visit(i, depth);
      depth += 1;
      continue;
    }
    if (c in OPENING) depth -= 1;
    visit(i, depth);
  }
}

/** Splits `text` at `separator` where it is outside brackets and strings. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scan(text, (i, depth) => {
    if (depth === 0 && i >= start && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
    }
  });
  parts.push(text.slice(start));
  return parts;
}

/** Parses one formatted, single-line Python expression. */
export function parseExpr(text: string): Expr {
  const keyword = /^([A-Za-z_]\w*)=(?!=)/.exec(text);
  if (keyword?.[1]) {
    return {
      kind: 'keyword',
      key: keyword[1],
      sep: '=',
      value: parseExpr(text.slice(keyword[0].length)),
    };
  }
  if (/^["']/.test(text)) {
    const pair = splitTop(text, ': ');
    if (pair.length > 1 && pair[0]) {
      return {
        kind: 'keyword',
        key: pair[0],
        sep: ': ',
        value: parseExpr(text.slice(pair[0].length + 2)),
      };
    }
  }
  const close = text.charAt(text.length - 1);
  if (!(close in OPENING) || text.startsWith('lambda ')) return { kind: 'atom', text };
  let open = -1;
  scan(text, (i, depth) => {
    if (depth === 0 && text.charAt(i) in CLOSING) open = i;
  });
  if (open < 0) return { kind: 'atom', text };
  const head = text.slice(0, open);
  const inner = text.slice(open + 1, -1);
  const display = head === '' || /[\s=([{,:*]$/.test(head);
  const bracket = {
    kind: 'bracket',
    head,
    open: text.charAt(open),
    close,
    display,
    oneTuple: false,
  } as const;
  const clauses = splitTop(inner, ' for ');
  if (clauses.length > 1) {
    const parts = [clauses[0] ?? '', ...clauses.slice(1).map((c) => `for ${c}`)];
    return { ...bracket, items: [{ kind: 'comprehension', parts }] };
  }
  let items = inner === '' ? [] : splitTop(inner, ', ');
  let oneTuple = false;
  if (inner.endsWith(',')) {
    // Only a one-tuple's comma: a magic trailing comma would force a split ruff keeps.
    if (items.length > 1) throw new Error(`layout: unexpected trailing comma in ${text}`);
    oneTuple = true;
    items = [inner.slice(0, -1)];
  }
  return { ...bracket, oneTuple, items: items.map(parseExpr) };
}

export function flat(e: Expr): string {
  switch (e.kind) {
    case 'atom':
      return e.text;
    case 'keyword':
      return e.key + e.sep + flat(e.value);
    case 'comprehension':
      return e.parts.join(' ');
    case 'bracket':
      return `${e.head}${e.open}${e.items.map(flat).join(', ')}${e.oneTuple ? ',' : ''}${e.close}`;
  }
}

const pad = (depth: number): string => '    '.repeat(depth);
const fits = (line: string): boolean => line.length <= LINE_LENGTH;

/** Python operators a too long operand splits before, loosest first (as ruff's delimiters). */
const OPERATORS = [
  [' or '],
  [' and '],
  [' == ', ' != ', ' is not ', ' is ', ' not in ', ' in '],
  [' | '],
];

/** An expression without brackets of its own that does not fit: split before its operators. */
function splitOperators(depth: number, text: string): string[] {
  for (const group of OPERATORS) {
    const parts: string[] = [];
    let start = 0;
    let operator = '';
    scan(text, (i, d) => {
      if (d !== 0 || i < start) return;
      const found = group.find((op) => text.startsWith(op, i));
      if (!found) return;
      parts.push(operator + text.slice(start, i));
      operator = `${found.trim()} `;
      start = i + found.length;
    });
    if (parts.length === 0) continue;
    parts.push(operator + text.slice(start));
    return parts.flatMap((part) => {
      const line = pad(depth) + part;
      return fits(line) ? [line] : layout(parseExpr(part), depth);
    });
  }
  return [pad(depth) + text];
}

/**
 * `prefix` + `e` + `suffix` at `depth`, as ruff lays it out: on one line when it fits; else its
 * last bracket opens the line, the content follows on one indented line when it fits, else one
 * item per line with a trailing comma (a display, once split, always takes one item per line).
 */
export function layout(e: Expr, depth: number, prefix = '', suffix = ''): string[] {
  const line = pad(depth) + prefix + flat(e) + suffix;
  if (fits(line)) return [line];
  if (e.kind === 'keyword') return layout(e.value, depth, prefix + e.key + e.sep, suffix);
  if (e.kind !== 'bracket' || e.items.length === 0) return [line];
  return [
    pad(depth) + prefix + e.head + e.open,
    ...layoutItems(e, depth + 1),
    pad(depth) + e.close + suffix,
  ];
}

function layoutItems(e: Bracket, depth: number, magic = false): string[] {
  const only = e.items[0];
  if (e.items.length === 1 && only?.kind === 'comprehension') {
    const line = pad(depth) + flat(only);
    if (fits(line)) return [line];
    const [element = '', ...clauses] = only.parts;
    return [...layout(parseExpr(element), depth), ...clauses.map((c) => pad(depth) + c)];
  }
  const explode = magic || (e.display && (e.items.length > 1 || e.oneTuple));
  const joined = pad(depth) + e.items.map(flat).join(', ') + (e.oneTuple ? ',' : '');
  if (!explode && fits(joined)) return [joined];
  if (e.items.length === 1 && only && !explode) {
    return only.kind === 'atom' ? splitOperators(depth, only.text) : layout(only, depth);
  }
  return e.items.flatMap((item) => layout(item, depth, '', ','));
}

/** A value that cannot split: parenthesised when that makes it fit (ruff's "best fit"). */
function bestFit(depth: number, prefix: string, text: string, suffix = ''): string[] {
  const line = pad(depth) + prefix + text + suffix;
  if (fits(line)) return [line];
  if (fits(pad(depth) + prefix + '(') && fits(pad(depth + 1) + text)) {
    return [pad(depth) + prefix + '(', pad(depth + 1) + text, pad(depth) + ')' + suffix];
  }
  return [line];
}

/** The last expression of a statement (`return x`, `a = x`, `a: T = x`), then `suffix`. */
function layoutValue(depth: number, prefix: string, value: Expr, suffix = ''): string[] {
  if (value.kind !== 'bracket' || value.items.length === 0)
    return bestFit(depth, prefix, flat(value), suffix);
  const line = pad(depth) + prefix + flat(value) + suffix;
  if (fits(line)) return [line];
  // Split after the value's own bracket if that fits, else parenthesise the whole value.
  if (!fits(pad(depth) + prefix + value.head + value.open) && fits(pad(depth) + prefix + '(')) {
    return [pad(depth) + prefix + '(', ...layout(value, depth + 1), pad(depth) + ')' + suffix];
  }
  return layout(value, depth, prefix, suffix);
}

/** A union annotation in parentheses; it splits before each `|` when it still does not fit. */
function parenthesised(depth: number, text: string): string[] {
  return fits(pad(depth) + text) ? [pad(depth) + text] : splitOperators(depth, text);
}

/** `target: annotation [= value]`, as ruff formats an annotated assignment. */
function layoutAnnotated(
  depth: number,
  target: string,
  annotation: string,
  value?: string,
): string[] {
  const ann = parseExpr(annotation);
  const line = pad(depth) + `${target}: ${annotation}` + (value === undefined ? '' : ` = ${value}`);
  if (fits(line)) return [line];
  const union = ann.kind === 'atom' && / \| /.test(annotation);
  if (value === undefined) {
    if (union && fits(pad(depth) + `${target}: (`)) {
      return [
        pad(depth) + `${target}: (`,
        ...parenthesised(depth + 1, annotation),
        pad(depth) + ')',
      ];
    }
    return layoutValue(depth, `${target}: `, ann);
  }
  const val = parseExpr(value);
  const prefix = `${target}: ${annotation} = `;
  // A plain name as annotation never splits: only the value does.
  if (!union && ann.kind !== 'bracket') return layoutValue(depth, prefix, val);
  // Otherwise the value splits first (after its own bracket, else in parentheses), and the
  // annotation only when even `target: annotation = (` does not fit.
  if (
    val.kind === 'bracket' &&
    val.items.length > 0 &&
    fits(pad(depth) + prefix + val.head + val.open)
  ) {
    return layout(val, depth, prefix);
  }
  if (fits(pad(depth) + prefix + '(')) {
    return [pad(depth) + prefix + '(', ...layoutValue(depth + 1, '', val), pad(depth) + ')'];
  }
  const lines =
    ann.kind === 'bracket'
      ? [pad(depth) + `${target}: ${ann.head}${ann.open}`, ...layoutItems(ann, depth + 1)]
      : [pad(depth) + `${target}: (`, ...parenthesised(depth + 1, annotation)];
  const close = ann.kind === 'bracket' ? ann.close : ')';
  return [...lines, ...layoutValue(depth, `${close} = `, val)];
}

/** A `def` or `class` header: its parameters on one indented line if they fit, else one each. */
function layoutSignature(depth: number, text: string): string[] {
  const line = pad(depth) + text;
  if (fits(line)) return [line];
  const open = text.indexOf('(');
  let close = -1;
  scan(text, (i, d) => {
    if (d === 0 && text.charAt(i) === ')' && close < 0) close = i;
  });
  const params = splitTop(text.slice(open + 1, close), ', ');
  const e: Bracket = {
    kind: 'bracket',
    head: '',
    open: '(',
    close: ')',
    items: params.map((p) => ({ kind: 'atom', text: p })),
    display: false,
    oneTuple: false,
  };
  // A function's only parameter gets a trailing comma, which keeps it on a line of its own.
  const magic = /^(async )?def /.test(text) && params.length === 1;
  return [
    pad(depth) + text.slice(0, open + 1),
    ...layoutItems(e, depth + 1, magic),
    pad(depth) + text.slice(close),
  ];
}

/**
 * Lays out one logical line of Python (a statement, written on one line) at `depth` levels of
 * indentation, as `ruff format` would. Supports what the templates use: `def`/`class` headers,
 * decorators, `return`, assignments with or without annotation, and expression statements.
 */
export function py(depth: number, statement: string): string {
  return statementLines(depth, statement).join('\n');
}

function statementLines(depth: number, text: string): string[] {
  if (/^(async def|def|class) /.test(text)) return layoutSignature(depth, text);
  const context = /^with (.*?)((?: as \w+)?:)$/.exec(text);
  if (context?.[1] && context[2]) return layout(parseExpr(context[1]), depth, 'with ', context[2]);
  const cause = /^raise (.*)( from \w+)$/.exec(text);
  if (cause?.[1] && cause[2]) return layoutValue(depth, 'raise ', parseExpr(cause[1]), cause[2]);
  const keyword = /^(@|return |raise |assert |del )/.exec(text)?.[0];
  if (keyword) return layoutValue(depth, keyword, parseExpr(text.slice(keyword.length)));
  const annotated = /^([A-Za-z_][\w.]*): /.exec(text);
  if (annotated?.[1]) {
    const [annotation = '', ...value] = splitTop(text.slice(annotated[0].length), ' = ');
    return layoutAnnotated(
      depth,
      annotated[1],
      annotation,
      value.length ? value.join(' = ') : undefined,
    );
  }
  const assignment = splitTop(text, ' = ');
  if (assignment.length === 2 && assignment[0] && /^[\w.[\]"', ]+$/.test(assignment[0])) {
    return layoutValue(depth, `${assignment[0]} = `, parseExpr(assignment[1] ?? ''));
  }
  return layoutValue(depth, '', parseExpr(text));
}

// ---------------------------------------------------------------------------------------------
// Imports, sorted as ruff's isort rule wants them.

const STDLIB = new Set([
  'asyncio',
  'collections',
  'contextlib',
  'datetime',
  'decimal',
  'enum',
  'itertools',
  'logging',
  'typing',
  'uuid',
]);
const FIRST_PARTY = new Set(['app', 'tests']);

/** Natural, case-insensitive order (`v2` before `v10`), then case-sensitive. */
function naturalCompare(a: string, b: string): number {
  const chunks = (s: string): string[] => s.toLowerCase().match(/\d+|\D+/g) ?? [];
  const [x, y] = [chunks(a), chunks(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const [p, q] = [x[i] ?? '', y[i] ?? ''];
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) return Number(p) - Number(q);
    return p < q ? -1 : 1;
  }
  if (x.length !== y.length) return x.length - y.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** isort's `order-by-type`: CONSTANTS, then Classes, then everything else. */
function memberCompare(a: string, b: string): number {
  const rank = (s: string): number =>
    /^[A-Z0-9_]+$/.test(s) && s.length > 1 ? 0 : /^[A-Z]/.test(s) ? 1 : 2;
  const [x, y] = [a.split(' ')[0] ?? a, b.split(' ')[0] ?? b];
  return rank(x) - rank(y) || naturalCompare(x, y) || naturalCompare(a, b);
}

/** Collects the imports of one module and renders them as one sorted block. */
export class Imports {
  private readonly froms = new Map<string, Set<string>>();
  private readonly plain = new Set<string>();

  from(module: string, ...names: string[]): this {
    const set = this.froms.get(module) ?? new Set<string>();
    for (const name of names) set.add(name);
    this.froms.set(module, set);
    return this;
  }

  /** `import x` or `import x as y`. */
  import(module: string): this {
    this.plain.add(module);
    return this;
  }

  /** The block at `depth` levels of indentation (1 inside `if TYPE_CHECKING:`). */
  render(depth = 0): string {
    const section = (module: string): number => {
      const top = module.split(/[. ]/)[0] ?? module;
      return STDLIB.has(top) ? 0 : FIRST_PARTY.has(top) ? 2 : 1;
    };
    const indent = pad(depth);
    const blocks: string[] = [];
    for (const s of [0, 1, 2]) {
      const plain = [...this.plain].filter((m) => section(m) === s).sort(naturalCompare);
      const froms = [...this.froms.keys()].filter((m) => section(m) === s).sort(naturalCompare);
      const lines = [
        ...plain.map((m) => `${indent}import ${m}`),
        ...froms.map((m) => {
          const names = [...(this.froms.get(m) ?? [])].sort(memberCompare);
          const line = `${indent}from ${m} import ${names.join(', ')}`;
          if (fits(line)) return line;
          return [
            `${indent}from ${m} import (`,
            ...names.map((n) => `${indent}    ${n},`),
            `${indent})`,
          ].join('\n');
        }),
      ];
      if (lines.length) blocks.push(lines.join('\n'));
    }
    return blocks.join('\n\n');
  }
}

/** A Python list or tuple literal of strings, for `__all__` and parametrised tests. */
const strings = (values: readonly string[]): string[] => values.map((v) => JSON.stringify(v));

function tupleLiteral(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// Fields

/** How each field type maps to Python, SQLAlchemy, Pydantic and Alembic. */
export interface FieldContext {
  spec: FieldSpec;
  /** The column and API name: the field's name, or `<name>_id` for a reference. */
  column: string;
  required: boolean;
  /** The Python type of the model attribute and of the read schema. */
  pyType: string;
  /** The type accepted on input (may validate more: `EmailStr`, an aware datetime...). */
  inputType: string;
  /** `Field(...)` constraints of the input schemas. */
  constraints: string[];
  /** What `Mapped[...]` holds: the type, `| None` when optional. */
  annotation: string;
  /** The arguments of the model's `mapped_column(...)`; empty when it needs none. */
  columnArgs: string;
  /** Migration: `sa.Column(...)` as one flat expression (the layout wraps it in place). */
  saColumn: string;
  /** The referenced resource (`user` for the JWT users table). */
  ref?: { name: string; className: string; table: string; module: string; reverse?: string };
  /** Exact-match filter type in the list query, when the field is filterable. */
  filterType?: string;
  sortable: boolean;
  index: boolean;
  unique: boolean;
}

/** Column length of `email`: what RFC 5321 allows (as the users table). */
const EMAIL_LENGTH = 320;
/** Column length of `url`: what Pydantic's `HttpUrl` accepts. */
const URL_LENGTH = 2083;
const STR_LENGTH = 255;

const FILTERABLE = new Set(['str', 'email', 'url', 'enum', 'bool', 'int', 'uuid', 'date', 'ref']);
const SORTABLE = new Set([
  'str',
  'email',
  'url',
  'enum',
  'int',
  'float',
  'decimal',
  'date',
  'datetime',
]);

/** Names an enum class may not take in the modules that import it. */
const TAKEN_CLASS_NAMES = new Set(
  'Annotated Any Base BaseModel ConfigDict Decimal EmailStr Enum Field ForeignKey HttpUrl JSON Literal Mapped Numeric PageParams String Text UUID ValidationInfo'.split(
    ' ',
  ),
);

/**
 * `OrderStatus` for `order.status`; past 38 characters, the field's name alone (`Status`), so
 * that `field: EnumClass = EnumClass.MEMBER` still fits a line for names up to 40 characters.
 */
export function enumClass(resource: ResourceSpec, field: FieldSpec): string {
  const full = pascal(resource.name) + pascal(field.name);
  if (full.length <= 38) return full;
  const short = pascal(field.name);
  return TAKEN_CLASS_NAMES.has(short) || short === pascal(resource.name) ? `${short}Value` : short;
}
const member = (value: string): string => value.toUpperCase();

function pyLiteral(field: FieldSpec, resource: ResourceSpec, value: string): string {
  switch (field.type) {
    case 'int':
      return value;
    case 'float':
      return value.includes('.') ? value : `${value}.0`;
    case 'decimal':
      return `Decimal(${JSON.stringify(value)})`;
    case 'bool':
      return value === 'true' ? 'True' : 'False';
    case 'enum':
      return `${enumClass(resource, field)}.${member(value)}`;
    case 'url':
      return `HttpUrl(${JSON.stringify(value)})`;
    default:
      return JSON.stringify(value);
  }
}

interface Project {
  jwt: boolean;
  resources: readonly ResourceSpec[];
}

function referenced(name: string): FieldContext['ref'] {
  if (name === 'user') return { name, className: 'User', table: 'users', module: 'users' };
  const names = resourceNames(name);
  return { name, className: names.className, table: names.tableName, module: names.module };
}

/**
 * Refuses a `reverse` ref whose list name would not fit its line (a long field name qualifies
 * it, see below): rather than leaving the list out unannounced.
 */
export function checkReverseLists(resources: readonly ResourceSpec[], jwt: boolean): void {
  const project: Project = { jwt, resources };
  for (const resource of resources) {
    for (const field of resource.fields) {
      if (field.type !== 'ref' || !field.reverse || field.ref === 'user') continue;
      if (field.ref === resource.name) continue;
      if (reverseName(project, resource, field) === undefined) {
        throw new UserError(
          `${resource.name}.${field.name}: the list of ${plural(resource.name)} it would add to ${field.ref} gets too long a name; shorten the field's name or drop :reverse`,
        );
      }
    }
  }
}

/**
 * The name of the list a referenced resource gets for a `reverse` ref: the plural of the
 * referencing resource (`customer.orders`); with several such refs, qualified by the field
 * (`billing_customer` -> `customer.billing_orders`). Undefined when there is none: on users
 * (their model is not a resource's), on the resource itself, or when the name would not fit
 * the line of its annotation.
 */
function reverseName(
  project: Project,
  resource: ResourceSpec,
  field: FieldSpec,
): string | undefined {
  if (field.type !== 'ref' || !field.reverse || field.ref === 'user' || field.ref === resource.name)
    return undefined;
  const parent = project.resources.find((r) => r.name === field.ref);
  if (!parent) return undefined;
  const siblings = resource.fields.filter(
    (f) => f.type === 'ref' && f.reverse && f.ref === field.ref,
  );
  const taken = new Set(parent.fields.flatMap((f) => [f.name, `${f.name}_id`]));
  const many = plural(resource.name);
  let name = many;
  if (siblings.length > 1 || taken.has(many)) {
    const qualifier = field.name.endsWith(`_${parent.name}`)
      ? field.name.slice(0, -parent.name.length - 1)
      : field.name;
    name = `${qualifier}_${many}`;
  }
  return fits(`${pad(1)}${name}: Mapped[`) && name.length <= 60 ? name : undefined;
}

export function fieldContext(
  project: Project,
  resource: ResourceSpec,
  field: FieldSpec,
): FieldContext {
  const column = field.type === 'ref' ? `${field.name}_id` : field.name;
  const optional = field.required ? '' : ' | None';
  const bounds = [
    field.min !== undefined ? `ge=${field.min}` : '',
    field.max !== undefined ? `le=${field.max}` : '',
  ];
  let pyType: string;
  let inputType: string | undefined;
  let constraints: string[] = [];
  let columnType: string | undefined;
  let saType: string;
  let ref: FieldContext['ref'];
  switch (field.type) {
    case 'str': {
      const length = field.max ?? STR_LENGTH;
      pyType = 'str';
      constraints = [
        field.min !== undefined ? `min_length=${field.min}` : '',
        `max_length=${length}`,
      ];
      columnType = `String(${length})`;
      saType = `sa.String(length=${length})`;
      break;
    }
    case 'text':
      pyType = 'str';
      columnType = 'Text';
      saType = 'sa.Text()';
      break;
    case 'int':
      pyType = 'int';
      constraints = bounds;
      saType = 'sa.Integer()';
      break;
    case 'float':
      pyType = 'float';
      constraints = bounds;
      saType = 'sa.Double()';
      break;
    case 'decimal':
      pyType = 'Decimal';
      constraints = [...bounds, 'max_digits=12', 'decimal_places=2'];
      columnType = 'Numeric(12, 2)';
      saType = 'sa.Numeric(precision=12, scale=2)';
      break;
    case 'bool':
      pyType = 'bool';
      saType = 'sa.Boolean()';
      break;
    case 'date':
      pyType = 'date';
      saType = 'sa.Date()';
      break;
    case 'datetime':
      pyType = 'datetime';
      inputType = 'UtcDatetime';
      saType = 'sa.DateTime(timezone=True)';
      break;
    case 'uuid':
      pyType = 'UUID';
      saType = 'sa.Uuid()';
      break;
    case 'email':
      pyType = 'str';
      inputType = 'EmailStr';
      columnType = `String(${EMAIL_LENGTH})`;
      saType = `sa.String(length=${EMAIL_LENGTH})`;
      break;
    case 'url':
      pyType = 'str';
      inputType = 'HttpUrlString';
      columnType = `String(${URL_LENGTH})`;
      saType = `sa.String(length=${URL_LENGTH})`;
      break;
    case 'enum': {
      const values = field.values ?? [];
      const cls = enumClass(resource, field);
      pyType = cls;
      columnType = `Enum(${cls}, name=${JSON.stringify(field.name)}, native_enum=False, create_constraint=True, values_callable=lambda members: [member.value for member in members])`;
      saType = `sa.Enum(${strings(values).join(', ')}, name=${JSON.stringify(field.name)}, native_enum=False, create_constraint=True)`;
      break;
    }
    case 'json':
      pyType = 'dict[str, Any]';
      // Without none_as_null, None would be stored as the JSON value `null`, not as NULL.
      columnType = field.required ? 'JSON' : 'JSON(none_as_null=True)';
      saType = 'sa.JSON()';
      break;
    case 'ref': {
      ref = referenced(field.ref ?? '');
      if (ref) ref.reverse = reverseName(project, resource, field);
      pyType = 'int';
      columnType = `ForeignKey(${JSON.stringify(`${ref?.table}.id`)}, ondelete="RESTRICT")`;
      saType = 'sa.Integer()';
      break;
    }
  }
  // A JSON column has no btree index on PostgreSQL: `index` does not apply to it.
  const index = (field.index && field.type !== 'json') || (field.type === 'ref' && !field.unique);
  // unique and index together make a unique index (no separate constraint), as SQLAlchemy does.
  const args = [
    columnType ?? '',
    field.unique ? 'unique=True' : '',
    index ? 'index=True' : '',
    field.default !== undefined ? `server_default=${serverDefault(field, '')}` : '',
  ].filter(Boolean);
  const saArgs = [
    JSON.stringify(column),
    saType,
    field.default !== undefined ? `server_default=${serverDefault(field, 'sa.')}` : '',
    `nullable=${field.required ? 'False' : 'True'}`,
  ].filter(Boolean);
  return {
    spec: field,
    column,
    required: field.required,
    pyType,
    inputType: inputType ?? pyType,
    constraints: constraints.filter(Boolean),
    annotation: `${pyType}${optional}`,
    columnArgs: args.join(', '),
    saColumn: `sa.Column(${saArgs.join(', ')})`,
    ref,
    filterType: FILTERABLE.has(field.type) ? pyType : undefined,
    sortable: SORTABLE.has(field.type),
    index,
    unique: field.unique,
  };
}

/** The column's server default: what existing and new rows get when no value is given. */
function serverDefault(field: FieldSpec, sa: '' | 'sa.'): string {
  const value = field.default ?? '';
  if (field.type === 'bool') return `${sa}${value === 'true' ? 'true' : 'false'}()`;
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Test data: values the generated tests send, from the field types.

interface Samples {
  /** The value of a valid payload (a Python expression; distinct per call for unique fields). */
  valid: string;
  /** Three distinct valid literals, in increasing order where the type has one. */
  literals: string[];
  /** A pair that sorts the same on SQLite and PostgreSQL, lower first. */
  sortPair?: [string, string];
  invalid: string[];
  /** Whether `valid` uses `n`, the number of the payload. */
  numbered: boolean;
  /** Whether the API returns exactly what was sent (an aware datetime comes back naive on SQLite). */
  roundTrips: boolean;
  /** The default as the API returns it. */
  apiDefault?: string;
}

const fitWord = (word: string, min: number, max: number): string =>
  (word.length < min ? word + 'x'.repeat(min - word.length) : word).slice(0, max);

/** Up to three numbers in [min, max], from `start` by steps of one. */
function numbers(field: FieldSpec, start: number, integer: boolean): number[] {
  const lo = field.min === undefined ? -Infinity : integer ? Math.ceil(field.min) : field.min;
  const hi = field.max === undefined ? Infinity : integer ? Math.floor(field.max) : field.max;
  const first = Math.min(Math.max(start, lo), hi);
  return [first, first + 1, first + 2].filter((n) => n <= hi);
}

const decimalText = (n: number): string => JSON.stringify(n.toFixed(2));
const floatText = (n: number): string => (Number.isInteger(n) ? `${n}.0` : `${n}`);

/** A unique number in range: `lo + n % span` (`n` counts the payloads a test module builds). */
function uniqueNumber(field: FieldSpec): string {
  const lo = Math.ceil(field.min ?? 1);
  if (field.max === undefined) return lo === 0 ? 'n' : `${lo} + n`;
  const span = Math.floor(field.max) - lo + 1;
  return `${lo} + n % ${span}`;
}

function samples(field: FieldSpec): Samples {
  const outOfRange = (fmt: (n: number) => string): string[] => [
    ...(field.min !== undefined ? [fmt(field.min - 1)] : []),
    ...(field.max !== undefined ? [fmt(field.max + 1)] : []),
  ];
  const words = ['alpha', 'bravo', 'charlie'];
  const quoted = (values: string[]): string[] => values.map((v) => JSON.stringify(v));
  let literals: string[];
  let unique: string | undefined;
  let invalid: string[];
  let sortable = SORTABLE.has(field.type);
  switch (field.type) {
    case 'str': {
      const [min, max] = [field.min ?? 0, field.max ?? STR_LENGTH];
      literals = quoted(words.map((w) => fitWord(w, min, max)));
      unique =
        min <= 6 && max >= 10 ? 'f"value-{n}"' : `f"{n:0${Math.min(max, Math.max(min, 4))}d}"`;
      invalid = [
        `"x" * ${max + 1}`,
        ...(min > 1 ? [`"x" * ${min - 1}`] : min === 1 ? ['""'] : []),
        '42',
      ];
      break;
    }
    case 'text':
      literals = quoted(['Some text', 'Other text', 'More text']);
      invalid = ['42'];
      break;
    case 'int':
      literals = numbers(field, 1, true).map(String);
      unique = uniqueNumber(field);
      invalid = ['"abc"', '1.5', ...outOfRange(String)];
      break;
    case 'float':
      literals = numbers(field, 1.5, false).map(floatText);
      unique = uniqueNumber(field);
      invalid = ['"abc"', ...outOfRange(floatText)];
      break;
    case 'decimal':
      literals = numbers(field, 1.5, false).map(decimalText);
      unique = `f"{${uniqueNumber(field)}}.00"`;
      invalid = ['"abc"', '"1.234"', ...outOfRange(decimalText)];
      break;
    case 'bool':
      literals = ['True', 'False'];
      invalid = ['"maybe"'];
      break;
    case 'date':
      literals = quoted(['2026-01-02', '2026-02-03', '2026-03-04']);
      unique = 'str(date(2026, 1, 1) + timedelta(days=n))';
      invalid = ['"not-a-date"'];
      break;
    case 'datetime':
      literals = quoted(['2026-01-02T03:04:05Z', '2026-02-03T04:05:06Z', '2026-03-04T05:06:07Z']);
      unique = 'f"2026-01-02T03:04:05.{n:06d}Z"';
      invalid = ['"2026-01-02T03:04:05"', '"not-a-datetime"'];
      break;
    case 'uuid':
      literals = [1, 2, 3].map((n) => `str(UUID(int=${n}))`);
      unique = 'str(uuid4())';
      invalid = ['"not-a-uuid"'];
      break;
    case 'email':
      literals = quoted(words.map((w) => `${w}@example.com`));
      unique = 'f"user{n}@example.com"';
      invalid = ['"not-an-email"', '42'];
      break;
    case 'url':
      literals = quoted(words.map((w) => `https://example.com/${w}`));
      unique = 'f"https://example.com/{n}"';
      invalid = ['"not a url"', '"ftp://example.com/file"'];
      break;
    case 'enum': {
      const values = field.values ?? [];
      literals = quoted(values.slice(0, 3));
      unique = `${tupleLiteral(quoted(values))}[n % ${values.length}]`;
      invalid = ['"not-a-value"'];
      break;
    }
    case 'json':
      literals = ['{"key": "alpha"}', '{"key": "bravo"}', '{"key": "charlie"}'];
      invalid = ['[1, 2]', '"text"'];
      sortable = false;
      break;
    case 'ref':
      literals = [];
      invalid = ['"abc"'];
      break;
  }
  if (field.type === 'enum') {
    // Both databases must agree on the order: values whose first characters differ.
    const sorted = [...(field.values ?? [])].sort();
    const low = sorted[0] ?? '';
    const high = sorted.find((v) => v.charAt(0) !== low.charAt(0) && /^[a-z]/.test(v));
    sortable = high !== undefined && /^[a-z]/.test(low);
    if (high !== undefined) literals = [JSON.stringify(low), JSON.stringify(high), ...literals];
  }
  const sortPair: [string, string] | undefined =
    sortable && literals.length >= 2 ? [literals[0] ?? '', literals[1] ?? ''] : undefined;
  if (field.type === 'enum') literals = quoted((field.values ?? []).slice(0, 3));
  const defaultValue = field.default;
  let apiDefault: string | undefined;
  if (defaultValue !== undefined) {
    if (field.type === 'decimal') apiDefault = decimalText(Number(defaultValue));
    else if (field.type === 'bool') apiDefault = defaultValue === 'true' ? 'True' : 'False';
    else if (field.type === 'int' || field.type === 'float') apiDefault = defaultValue;
    else apiDefault = JSON.stringify(defaultValue);
  }
  return {
    valid: field.unique && unique ? unique : (literals[0] ?? 'None'),
    numbered: field.unique && unique !== undefined && /\bn\b/.test(unique),
    literals,
    sortPair,
    invalid: field.required ? [...invalid, 'None'] : invalid,
    roundTrips: field.type !== 'datetime',
    apiDefault,
  };
}

// ---------------------------------------------------------------------------------------------
// Resources

/** Local names the generated functions use: a resource named like one gets `<name>_row`. */
const LOCALS = new Set([
  'api',
  'column',
  'create',
  'current_user',
  'data',
  'exc',
  'field',
  'fields',
  'ids',
  'owner_id',
  'page',
  'params',
  'payload',
  'query',
  'response',
  'result',
  'router',
  'row',
  'rows',
  'service',
  'session',
  'sort',
  'status',
  'total',
  'user',
  'value',
  'values',
]);

/** The 404 detail of a resource (the dependency raises it, the tests expect it). */
const notFound = (name: string): string =>
  message(2, `${capitalise(human(name))} not found`, 'Not found');

export const statements = (depth: number, ...lines: string[]): string =>
  lines.map((l) => py(depth, l)).join('\n');

interface Built {
  names: ReturnType<typeof resourceNames>;
  resource: ResourceSpec;
  owned: boolean;
  fields: FieldContext[];
}

function build(project: Project, resource: ResourceSpec): Built {
  return {
    names: resourceNames(resource.name),
    resource,
    owned: resource.owned && project.jwt,
    fields: resource.fields.map((f) => fieldContext(project, resource, f)),
  };
}

function projectOf(spec: ProjectSpec): Project {
  return { jwt: spec.options.auth.includes('jwt'), resources: spec.resources };
}

export function resourceContext(
  resource: ResourceSpec,
  spec: ProjectSpec,
): Record<string, unknown> {
  return resourceContextFor(projectOf(spec), resource);
}

function resourceContextFor(project: Project, resource: ResourceSpec): Record<string, unknown> {
  const built = build(project, resource);
  const { names, owned } = built;
  const N = resource.name;
  const variable = LOCALS.has(N) ? `${N}_row` : N;
  const a = `${article(human(N))} ${human(N)}`;
  const refs = built.fields.filter((f) => f.ref);
  const referencedBy = project.resources.filter(
    (r) => r.name !== N && r.fields.some((f) => f.type === 'ref' && f.ref === N),
  );
  const unique = built.fields.filter((f) => f.unique).map((f) => human(f.column));
  const An = capitalise(a);
  return {
    ...names,
    owned,
    /** The local name of one row in the generated functions. */
    variable,
    docs: {
      schemas: docstring(
        0,
        `Request and response bodies of \`/api/v1/${names.plural}\`.`,
        'Request and response bodies of the endpoints.',
      ),
      package: docstring(
        0,
        `${capitalise(human(names.plural))}: a CRUD resource${owned ? ', owned by users' : ''}.`,
        `A CRUD resource${owned ? ', owned by users' : ''}.`,
      ),
      create: owned
        ? docstring(
            1,
            `Create ${a}, owned by the current user.`,
            'Create one, owned by the current user.',
          )
        : docstring(1, `Create ${a}.`, 'Create one.'),
      list: owned
        ? docstring(
            1,
            `Admins see every user's ${human(names.plural)}; other users see their own.`,
            'Admins see every row; other users their own.',
          )
        : docstring(
            1,
            `A page of ${human(names.plural)}, filtered and sorted as the query asks.`,
            'A page, filtered and sorted as the query asks.',
          ),
      read: docstring(1, `One ${human(N)}.`, 'One row.'),
      delete: docstring(1, `Delete ${a}.`, 'Delete one.'),
    },
    /** The references of its rows, with the model each points at. */
    references: refs.map((f) => ({
      column: f.column,
      module: f.ref?.module,
      className: f.ref?.className,
      /** Whether the row referenced must be the same user's (both owned). */
      ownedTarget: ownedTarget(project, f),
    })),
    /** An owned row may refer only to rows of its own owner among those users own. */
    ownedReferences: owned && refs.some((f) => ownedTarget(project, f)),
    /** Whether a commit may break a unique or foreign key constraint (a 409). */
    guarded: unique.length > 0 || refs.length > 0,
    /** Whether rows of other resources refer to its rows (deleting one may be refused). */
    referencedBy: referencedBy.length > 0,
    /** String literals, each the first wording that fits its line. */
    messages: {
      notFound: notFound(N),
      conflict: unique.length
        ? message(
            2,
            `${An} with this ${unique.join(' or ')} already exists`,
            `${An} with these values already exists`,
            'A row with these values already exists',
          )
        : message(
            2,
            `The ${human(N)} refers to a row that does not exist`,
            'A row it refers to does not exist',
          ),
      referenced: message(
        2,
        `${An} still referenced by ${referencedBy.map((r) => human(plural(r.name))).join(' and ')} cannot be deleted`,
        `${An} still referenced by other rows cannot be deleted`,
        'A row still referenced by other rows cannot be deleted',
      ),
    },
    fields: fieldLines(built),
    enums: enums(built),
    relationships: relationships(project, built),
    /** Field types whose schemas need an alias of their own. */
    uses: {
      url: built.fields.some((f) => f.spec.type === 'url'),
      datetime: built.fields.some((f) => f.spec.type === 'datetime'),
    },
    /** Required fields: an update may omit them, not set them to null. */
    requiredColumns: built.fields.filter((f) => f.required).map((f) => f.column),
    sortKeys: ['id', 'created_at', ...built.fields.filter((f) => f.sortable).map((f) => f.column)],
    /** The exact-match filters of the list query. */
    filters: built.fields
      .filter((f) => f.filterType)
      .map((f) => ({ column: f.column, filterType: f.filterType })),
    tests: tests(project, built),
  };
}

// -- models.py

/** The relationships of a model: to the rows it refers to, and lists of the rows referring to it. */
function relationships(project: Project, built: Built): Array<Record<string, unknown>> {
  const toOne = built.fields.flatMap((f) =>
    f.ref?.reverse
      ? [
          {
            name: f.spec.name,
            list: false,
            className: f.ref.className,
            module: f.ref.module,
            backPopulates: f.ref.reverse,
            foreignKey: `${built.names.className}.${f.column}`,
          },
        ]
      : [],
  );
  const toMany = project.resources.flatMap((child) =>
    child.fields.flatMap((field) => {
      const reverse =
        field.type === 'ref' && field.ref === built.resource.name
          ? reverseName(project, child, field)
          : undefined;
      if (!reverse) return [];
      const names = resourceNames(child.name);
      return [
        {
          name: reverse,
          list: true,
          className: names.className,
          module: names.module,
          backPopulates: field.name,
          foreignKey: `${names.className}.${field.name}_id`,
        },
      ];
    }),
  );
  return [...toOne, ...toMany];
}

function enums(built: Built): Array<{ className: string; members: Array<Record<string, string>> }> {
  return built.fields
    .filter((f) => f.spec.type === 'enum')
    .map((f) => ({
      className: f.pyType,
      members: (f.spec.values ?? []).map((value) => ({ name: member(value), value })),
    }));
}

// -- schemas.py

/** The fields as the model and the schemas declare them. */
function fieldLines(built: Built): Array<Record<string, unknown>> {
  return built.fields.map((f) => {
    const fallback =
      f.spec.default !== undefined
        ? pyLiteral(f.spec, built.resource, f.spec.default)
        : f.required
          ? undefined
          : 'None';
    const field = (first: string | undefined): string =>
      `Field(${[first, ...f.constraints].filter(Boolean).join(', ')})`;
    return {
      column: f.column,
      required: f.required,
      annotation: f.annotation,
      columnArgs: f.columnArgs,
      inputType: f.inputType,
      /** The create schema's default: `Field(...)` with the constraints, a literal, or none. */
      createDefault: f.constraints.length
        ? field(fallback !== undefined ? `default=${fallback}` : undefined)
        : (fallback ?? ''),
      updateDefault: f.constraints.length ? field('default=None') : 'None',
      readType: `${f.pyType}${f.required ? '' : ' | None'}`,
    };
  });
}

/** Whether a reference points at a resource whose rows users own. */
function ownedTarget(project: Project, field: FieldContext): boolean {
  const target = field.ref?.name;
  return (
    project.jwt &&
    target !== undefined &&
    target !== 'user' &&
    project.resources.some((r) => r.name === target && r.owned)
  );
}

// -- tests/test_<plural>.py

/** Resources a resource's rows refer to, directly or not (without itself and `user`). */
function reaches(
  project: Project,
  from: string,
  target: string,
  seen = new Set<string>(),
): boolean {
  if (seen.has(from)) return false;
  seen.add(from);
  const resource = project.resources.find((r) => r.name === from);
  return (resource?.fields ?? []).some(
    (f) =>
      f.type === 'ref' &&
      f.ref !== 'user' &&
      (f.ref === target || reaches(project, f.ref ?? '', target, seen)),
  );
}

/** The refs a test payload fills with a new parent row: not to itself, not in a cycle. */
function filledRefs(project: Project, resource: ResourceSpec): FieldSpec[] {
  return resource.fields.filter(
    (f) =>
      f.type === 'ref' &&
      (f.ref === 'user'
        ? project.jwt
        : f.ref !== resource.name && !reaches(project, f.ref ?? '', resource.name)),
  );
}

interface Payload {
  /** Whether the payload numbers itself (`n = next(_sequence)`): it has unique values. */
  numbered: boolean;
  /** The parent rows created first: `variable = await helper(api)`. */
  parents: Array<{ variable: string; helper: string }>;
  /** The dict's entries: `"key": value`. */
  entries: Array<{ key: string; value: string }>;
  uses: Set<string>;
}

/** A valid payload for `resource`; `own` names the resource under test (its helper is `create`). */
function payload(project: Project, resource: ResourceSpec, own: string): Payload {
  const parents: Payload['parents'] = [];
  const entries: Payload['entries'] = [];
  const uses = new Set<string>();
  const filled = new Set(filledRefs(project, resource));
  resource.fields.forEach((field, i) => {
    if (field.type === 'ref') {
      if (!filled.has(field)) return;
      const key = `${field.name}_id`;
      if (field.ref === 'user') {
        entries.push({ key, value: 'await current_user_id(api)' });
        uses.add('current_user_id');
        return;
      }
      // The parent row, named after the field unless that makes its entry too long.
      const named = !['api', 'fields', 'n', 'payload', 'response', 'row'].includes(field.name);
      const variable =
        named && fits(`${pad(2)}"${key}": ${field.name}["id"],`) ? field.name : `parent_${i + 1}`;
      parents.push({ variable, helper: field.ref === own ? 'create' : `create_${field.ref}` });
      entries.push({ key, value: `${variable}["id"]` });
      return;
    }
    const sample = samples(field);
    if (sample.numbered) uses.add('sequence');
    entries.push({ key: field.name, value: sample.valid });
  });
  return { numbered: uses.has('sequence'), parents, entries, uses };
}

function tests(project: Project, built: Built): Record<string, unknown> {
  const { owned, resource, fields } = built;
  const N = resource.name;
  const filled = new Set(filledRefs(project, resource).map((f) => `${f.name}_id`));
  const inPayload = fields.filter((f) => !f.ref || filled.has(f.column));
  const sample = new Map(fields.map((f) => [f.column, samples(f.spec)]));
  const s = (f: FieldContext): Samples => sample.get(f.column) ?? samples(f.spec);

  // Helpers for the other resources the tests create rows of: the parents of its rows, and
  // (for the "still referenced" test) the first resource whose rows refer to it.
  const child = project.resources.find(
    (r) => r.name !== N && r.fields.some((f) => f.type === 'ref' && f.ref === N),
  );
  const needed = new Set<string>();
  const visit = (r: ResourceSpec): void => {
    for (const f of filledRefs(project, r)) {
      const target = f.ref ?? '';
      if (target === 'user' || target === N || needed.has(target)) continue;
      needed.add(target);
      const next = project.resources.find((x) => x.name === target);
      if (next) visit(next);
    }
  };
  visit(resource);
  if (child) {
    needed.add(child.name);
    visit(child);
  }
  needed.delete(N);
  const uses = new Set<string>();
  const helpers = project.resources
    .filter((r) => needed.has(r.name))
    .map((r) => {
      const p = payload(project, r, N);
      p.uses.forEach((u) => uses.add(u));
      return {
        name: r.name,
        /** Its URL path under `/api/v1`. */
        collection: resourceNames(r.name).plural,
        doc: docstring(
          1,
          `${capitalise(article(human(r.name)))} new ${human(r.name)}, through its endpoint.`,
          'A new row, through its endpoint.',
        ),
        payload: p,
      };
    });
  const own = payload(project, resource, N);
  own.uses.forEach((u) => uses.add(u));

  const columns = (list: readonly FieldContext[]): string[] => list.map((f) => f.column);
  const compared = inPayload.filter((f) => s(f).roundTrips);
  const references = fields.filter((f) => f.ref);
  const parentRefs = references.filter((f) => f.ref?.name !== 'user' && filled.has(f.column));
  const updated = inPayload.find((f) => !f.ref && s(f).roundTrips && s(f).literals.length >= 2);
  const childRef = child?.fields.find((f) => f.type === 'ref' && f.ref === N);
  return {
    /** Constants of the test module: lists of columns, and values by column. */
    compared: columns(compared),
    required: columns(
      fields.filter((f) => f.required && f.spec.default === undefined && inPayload.includes(f)),
    ),
    defaults: fields.flatMap((f) => {
      const value = s(f).apiDefault;
      return value === undefined ? [] : [{ column: f.column, value }];
    }),
    invalid: fields.flatMap((f) => s(f).invalid.map((value) => ({ column: f.column, value }))),
    unique: columns(inPayload.filter((f) => f.unique)),
    references: columns(references),
    parentReferences: columns(parentRefs),
    ownedReferences: columns(owned ? parentRefs.filter((f) => ownedTarget(project, f)) : []),
    filters: fields
      .filter((f) => f.filterType && !f.ref && s(f).literals.length >= 2)
      .map((f) => ({ column: f.column, value: s(f).literals[0], other: s(f).literals[1] })),
    sorts: fields.flatMap((f) => {
      const pair = s(f).sortPair;
      return pair ? [{ column: f.column, low: pair[0], high: pair[1] }] : [];
    }),
    update: updated ? { column: updated.column, value: s(updated).literals[1] } : null,
    notNull: columns(fields.filter((f) => f.required)),
    optional: columns(fields.filter((f) => !f.required)),
    sequence: uses.has('sequence'),
    payload: own,
    helpers,
    currentUserId: uses.has('current_user_id'),
    /** The first resource whose rows refer to this one's: a row of it keeps one from deletion. */
    referencedBy: child && childRef ? { name: child.name, field: childRef.name } : null,
  };
}

// -- app/api/router.py lists every resource's router and tag.

/**
 * `app/api/router.py`: the routers it includes (auth, each resource's, then the modules'), and
 * the OpenAPI tags of resources and modules.
 */
export function apiRouterContext(
  spec: ProjectSpec,
  modules: readonly ModuleRouters[],
): { routers: Router[]; tags: Array<{ name: string; description: string }> } {
  const project = projectOf(spec);
  const routers: Router[] = [];
  const include = (from: string, name: string, alias: string): void => {
    routers.push({ from, name, alias });
  };
  if (project.jwt) {
    include('app.auth.router', 'router', 'auth_router');
    include('app.users.router', 'router', 'users_router');
  }
  for (const resource of project.resources) {
    const { module } = resourceNames(resource.name);
    include(`app.${module}.router`, 'router', `${module}_router`);
  }
  for (const module of modules) routers.push(...module.routers);
  const resourceTags = project.resources.map((resource) => {
    const { plural: many } = resourceNames(resource.name);
    const what =
      resource.owned && project.jwt
        ? "users manage their own, admins every user's."
        : 'create, list, read, update and delete.';
    return tag(many, `${capitalise(human(many))}: ${what}`, capitalise(what));
  });
  return {
    routers,
    tags: [...resourceTags, ...modules.flatMap((m) => (m.tag ? [m.tag] : []))],
  };
}

// ---------------------------------------------------------------------------------------------
// Migrations

interface TableParts {
  table: string;
  fields: FieldContext[];
  owned: boolean;
}

function tableParts(project: Project, resource: ResourceSpec): TableParts {
  const built = build(project, resource);
  return { table: built.names.tableName, fields: built.fields, owned: built.owned };
}

/** A table as `op.create_table` and `op.drop_table` see it. */
function table(parts: TableParts, kind: 'create_table' | 'drop_table'): Record<string, unknown> {
  const { fields, owned } = parts;
  return {
    kind,
    table: parts.table,
    owned,
    /** `sa.Column(...)` of each field, between `id` and `owner_id`. */
    columns: fields.map((f) => f.saColumn),
    foreignKeys: fields.flatMap((f) => (f.ref ? [{ column: f.column, target: f.ref.table }] : [])),
    /** Unique fields without an index: a unique index stands for the constraint. */
    uniques: fields.filter((f) => f.unique && !f.index).map((f) => f.column),
    indexes: [
      ...fields.filter((f) => f.index).map((f) => ({ column: f.column, unique: f.unique })),
      ...(owned ? [{ column: 'owner_id', unique: false }] : []),
    ],
  };
}

/** Column operations of one table, in one `op.batch_alter_table` block. */
interface Batch {
  kind: 'batch';
  table: string;
  changes: Array<Record<string, unknown>>;
  /** Required columns added without a default: made NOT NULL in a second block. */
  deferred: Array<{ column: string; type: string }>;
  /** The comment before that second block, in lines. */
  comment: string[];
}

function change(f: FieldContext, add: boolean, into: Batch): void {
  const deferred = add && f.required && f.spec.default === undefined;
  into.changes.push({
    add,
    column: f.column,
    saColumn: deferred ? f.saColumn.replace('nullable=False', 'nullable=True') : f.saColumn,
    index: f.index,
    unique: f.unique,
    /** The table a reference points at; empty for other fields. */
    target: f.ref?.table ?? '',
    /** An enum's CHECK constraint, dropped with its column. */
    enum: f.spec.type === 'enum',
  });
  if (deferred) {
    into.deferred.push({
      column: f.column,
      type: /^sa\.Column\("[^"]+", (.*?), nullable=/.exec(f.saColumn)?.[1] ?? '',
    });
  }
}

/**
 * The steps of a list of operations. Consecutive column operations on one table share one
 * batch (SQLite copies the table once).
 */
function steps(
  project: Project,
  ops: readonly MigrationOp[],
  direction: 'up' | 'down',
): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let open: Batch | undefined;
  const flush = (): void => {
    if (open?.deferred.length) {
      const columns = open.deferred.map((d) => d.column).join(', ');
      open.comment = commentLines(
        1,
        `Rows that exist have no ${columns} yet: give them a value here (op.execute an ` +
          'UPDATE), or the next step fails. It makes the column NOT NULL, as the model declares.',
      );
    }
    if (open) out.push({ ...open });
    open = undefined;
  };
  for (const op of ops) {
    const parts = tableParts(project, op.resource);
    if (op.kind === 'create_table' || op.kind === 'drop_table') {
      flush();
      const creates = (op.kind === 'create_table') === (direction === 'up');
      out.push(table(parts, creates ? 'create_table' : 'drop_table'));
      continue;
    }
    if (open?.table !== parts.table) {
      flush();
      open = { kind: 'batch', table: parts.table, changes: [], deferred: [], comment: [] };
    }
    const field = fieldContext(project, op.resource, op.field);
    change(field, (op.kind === 'add_column') === (direction === 'up'), open);
  }
  flush();
  return out;
}

export function migrationContext(
  migration: MigrationSpec,
  spec: ProjectSpec,
): Record<string, unknown> {
  const project = projectOf(spec);
  const upgrade = steps(project, migration.ops, 'up');
  const downgrade = steps(project, [...migration.ops].reverse(), 'down');
  const summary = capitalise(migration.message.trim()).replace(/\.?$/, '.');
  return {
    revision: migration.revision,
    createsUsers: migration.createsUsers,
    /** The docstring's first sentence, wrapped: it may take several lines. */
    summary: summaryLines(summary).join('\n'),
    revises: migration.downRevision ?? '',
    upgrade,
    downgrade,
    emptyUpgrade: upgrade.length === 0 && !migration.createsUsers,
    emptyDowngrade: downgrade.length === 0 && !migration.createsUsers,
  };
}
