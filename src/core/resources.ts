import { UserError } from './errors.js';
import { pascal, plural, snake, words } from './names.js';

/** The field types a resource can declare (`add resource order --fields "total:decimal,..."`). */
export const FIELD_TYPES = [
  'str',
  'text',
  'int',
  'float',
  'decimal',
  'bool',
  'date',
  'datetime',
  'uuid',
  'email',
  'url',
  'enum',
  'json',
  'ref',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** One declared field, as stored in the manifest. */
export interface FieldSpec {
  /** snake_case; for `ref` the relation's name (`customer`), whose column is `customer_id`. */
  name: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  index: boolean;
  /** Python literal default, as typed (`0`, `true`, `pending`); absent when none. */
  default?: string;
  /** For numbers: bounds; for `str`: the length bounds (`max` is the column length). */
  min?: number;
  max?: number;
  /** For `enum`: the values, in order. */
  values?: string[];
  /** For `ref`: the singular name of the referenced resource. */
  ref?: string;
  /** For `ref`: also give the referenced resource a list of these (`customer.orders`). */
  reverse?: boolean;
}

/** A resource: a table, its CRUD endpoints, schemas, service, dependencies and tests. */
export interface ResourceSpec {
  /** Singular snake_case name: `order`, `order_line`. */
  name: string;
  fields: FieldSpec[];
  /** Rows belong to the user who created them (only the owner and admins see them); JWT only. */
  owned: boolean;
  /**
   * Of an owned resource: whether a unique field is unique among one owner's rows (`owner`: two
   * users may both have an item named "Groceries") or across every row (`global`, what projects
   * made before 0.2 have). Absent: global.
   */
  uniqueness?: 'owner' | 'global';
}

/** Names a resource derives from its singular name. */
export interface ResourceNames {
  name: string;
  plural: string;
  className: string;
  tableName: string;
  /** The domain package: `app/<plural>/`. */
  module: string;
}

export function resourceNames(name: string): ResourceNames {
  const many = plural(name);
  return { name, plural: many, className: pascal(name), tableName: many, module: many };
}

/** Python keywords and names that would shadow what a generated module needs. */
export const RESERVED: ReadonlySet<string> = new Set([
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'
    .toLowerCase()
    .split(' '),
  'match',
  'case',
  'type',
  'id',
  'self',
  'cls',
  'app',
  'core',
  'db',
  'api',
  'tests',
  'migrations',
  'health',
  'auth',
  'base',
  'models',
  'metadata',
  'session',
  'settings',
  'config',
  'typing',
  'datetime',
  'decimal',
  'uuid',
  'json',
  'enum',
  'fastapi',
  'pydantic',
  'sqlalchemy',
]);

/** A snake_case Python name of at most 40 characters: what a resource or module may be called. */
export const isUsableName = (name: string): boolean =>
  /^[a-z][a-z0-9_]*$/.test(name) && name.length <= 40;

/**
 * The snake_case name made from what was typed for `what` (`resource name`, `router name`), passed
 * through `shape` (a resource's is made singular). Refuses paths, characters other than letters,
 * digits, `-` and `_`, and what Python could not use.
 */
export function typedName(
  what: string,
  raw: string,
  shape: (snakeName: string) => string = (name) => name,
): string {
  const trimmed = raw.trim();
  if (/[\\/]/.test(trimmed) || trimmed.includes('..')) {
    throw new UserError(`${what} ${JSON.stringify(raw)}: a name, not a path`);
  }
  if (!/^[A-Za-z][A-Za-z0-9_ -]*$/.test(trimmed)) {
    throw new UserError(
      `${what} ${JSON.stringify(raw)}: use letters, digits, "-" or "_", starting with a letter`,
    );
  }
  const name = shape(snake(trimmed));
  if (!isUsableName(name)) {
    throw new UserError(`${what} ${JSON.stringify(raw)}: not a usable Python name`);
  }
  return name;
}

/**
 * A resource name as typed (`Order`, `order-lines`, `OrderLine`, `people`) -> its singular
 * snake_case name. Refuses path separators, keywords and names the project already uses.
 */
export function normaliseResourceName(raw: string, taken: readonly string[] = []): string {
  const name = typedName('resource name', raw, singular);
  if (RESERVED.has(name)) {
    throw new UserError(
      `resource name ${JSON.stringify(raw)}: "${name}" is a Python keyword or a name the project uses; try e.g. "${name}_entry"`,
    );
  }
  if (RESERVED.has(plural(name))) {
    throw new UserError(
      `resource name ${JSON.stringify(raw)}: its plural "${plural(name)}" (the package and table name) is a Python keyword or a name the project uses; try e.g. "${name}_entry"`,
    );
  }
  for (const other of taken) {
    if (other === name || plural(other) === plural(name)) {
      throw new UserError(
        `resource name ${JSON.stringify(raw)}: the project already has "${other}"`,
      );
    }
  }
  return name;
}

const IRREGULAR_SINGULARS: Readonly<Record<string, string>> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  mice: 'mouse',
  geese: 'goose',
  feet: 'foot',
  teeth: 'tooth',
};
const ALREADY_SINGULAR = /(?:ss|us|is|status|news|data|series|species|metadata)$/;

/** The singular of the last word of a snake_case name: `order_lines` -> `order_line`. */
export function singular(name: string): string {
  const parts = name.split('_');
  const last = parts.pop() ?? '';
  let one = last;
  if (IRREGULAR_SINGULARS[last]) one = IRREGULAR_SINGULARS[last];
  else if (ALREADY_SINGULAR.test(last)) one = last;
  else if (/[^aeiou]ies$/.test(last)) one = `${last.slice(0, -3)}y`;
  else if (/(?:s|x|z|ch|sh)es$/.test(last)) one = last.slice(0, -2);
  else if (/s$/.test(last)) one = last.slice(0, -1);
  return [...parts, one].join('_');
}

// ---------------------------------------------------------------------------------------------
// Fields: "number:str:unique,total:decimal:min=0,status:enum(pending,paid),customer:ref(customer)"

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const FIELD_RESERVED = new Set([
  ...RESERVED,
  'created_at',
  'updated_at',
  'owner',
  'owner_id',
  'limit',
  'offset',
  'sort',
  'order_by',
]);

function parseNumber(field: string, key: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) {
    throw new UserError(`field ${field}: ${key}=${value} is not a number`);
  }
  return n;
}

/** Parses one field declaration: `name:type[:modifier...]`. */
export function parseField(text: string): FieldSpec {
  const [rawName, rawType, ...modifiers] = splitTopLevel(text, ':');
  if (!rawName || !rawType) {
    throw new UserError(`field ${JSON.stringify(text)}: expected name:type, e.g. total:decimal`);
  }
  const name = snake(rawName);
  if (!FIELD_NAME.test(name) || words(rawName).join('_') !== name) {
    throw new UserError(`field ${JSON.stringify(rawName)}: not a usable Python name`);
  }
  if (name.length > 38) {
    // Longer names push generated lines past what ruff accepts.
    throw new UserError(`field ${JSON.stringify(rawName)}: at most 38 characters`);
  }
  if (FIELD_RESERVED.has(name)) {
    throw new UserError(
      `field ${JSON.stringify(rawName)}: "${name}" is reserved; choose another name`,
    );
  }
  const typeMatch = /^([a-z]+)(?:\((.*)\))?$/.exec(rawType.trim());
  const type = typeMatch?.[1] as FieldType | undefined;
  if (!type || !(FIELD_TYPES as readonly string[]).includes(type)) {
    throw new UserError(
      `field ${name}: unknown type ${JSON.stringify(rawType)}; types: ${FIELD_TYPES.join(', ')}`,
    );
  }
  const argument = typeMatch?.[2];
  const field: FieldSpec = { name, type, required: true, unique: false, index: false };
  if (type === 'enum') {
    const typed = splitTopLevel(argument ?? '', ',').map((v) => v.trim());
    const values = typed.map((v) => snake(v));
    if (typed.length === 0 || typed.every((v) => v === '')) {
      throw new UserError(`field ${name}: enum needs values, e.g. enum(pending,paid)`);
    }
    const unusable = typed.find((v, i) => !FIELD_NAME.test(values[i] ?? ''));
    if (unusable !== undefined) {
      throw new UserError(
        `field ${name}: enum value ${JSON.stringify(unusable)} cannot name a Python enum member: use letters a-z, digits and _, starting with a letter`,
      );
    }
    if (new Set(values).size !== values.length) {
      throw new UserError(`field ${name}: enum needs distinct values, e.g. enum(pending,paid)`);
    }
    if (values.some((v) => v.length > 38)) {
      throw new UserError(`field ${name}: enum values of at most 38 characters`);
    }
    field.values = values;
  } else if (type === 'ref') {
    if (!argument) throw new UserError(`field ${name}: ref needs a resource, e.g. ref(customer)`);
    field.ref = singular(snake(argument));
  } else if (argument !== undefined) {
    throw new UserError(`field ${name}: type ${type} takes no argument`);
  }
  for (const modifier of modifiers) {
    const [key, value] = modifier.split('=', 2).map((p) => p.trim()) as [
      string,
      string | undefined,
    ];
    switch (key) {
      case 'required':
        field.required = true;
        break;
      case 'optional':
        field.required = false;
        break;
      case 'unique':
        field.unique = true;
        break;
      case 'index':
        field.index = true;
        break;
      case 'reverse':
        if (type !== 'ref')
          throw new UserError(`field ${name}: reverse applies to ref fields only`);
        field.reverse = true;
        break;
      case 'default':
        if (value === undefined)
          throw new UserError(`field ${name}: default needs a value, e.g. default=0`);
        if (type === 'json' || type === 'ref' || type === 'uuid') {
          throw new UserError(
            `field ${name}: a ${type} field takes no default= (make it optional: its default is null)`,
          );
        }
        field.default = value;
        break;
      case 'min':
      case 'max':
        if (value === undefined)
          throw new UserError(`field ${name}: ${key} needs a value, e.g. ${key}=10`);
        field[key] = parseNumber(name, key, value);
        break;
      default:
        if (field.default !== undefined && modifiers.indexOf(modifier) > 0) {
          const before = modifiers[modifiers.indexOf(modifier) - 1] ?? '';
          if (before.trim().startsWith('default=')) {
            throw new UserError(
              `field ${name}: a default= value cannot hold ":" (the field syntax splits on it)`,
            );
          }
        }
        throw new UserError(
          `field ${name}: unknown modifier ${JSON.stringify(modifier)}; modifiers: required, optional, unique, index, default=, min=, max=, reverse`,
        );
    }
  }
  checkField(field);
  return field;
}

/** What an INTEGER column holds on every database (SQLite holds more; the API accepts no more). */
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Checks what one field declares; also run on the fields of a hand-edited manifest. */
export function checkField(field: FieldSpec): void {
  const numeric = ['int', 'float', 'decimal'].includes(field.type);
  if ((field.min !== undefined || field.max !== undefined) && !numeric && field.type !== 'str') {
    throw new UserError(`field ${field.name}: min/max apply to str, int, float and decimal fields`);
  }
  if (
    field.type === 'int' &&
    [field.min, field.max].some((b) => b !== undefined && (b < INT32_MIN || b > INT32_MAX))
  ) {
    throw new UserError(
      `field ${field.name}: an int column holds ${INT32_MIN} to ${INT32_MAX}; use decimal for larger numbers`,
    );
  }
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
    throw new UserError(`field ${field.name}: min is greater than max`);
  }
  if (
    field.type === 'str' &&
    field.max !== undefined &&
    (!Number.isInteger(field.max) || field.max < 1)
  ) {
    throw new UserError(`field ${field.name}: max for str is a length, a whole number from 1`);
  }
  if (field.default !== undefined) {
    const d = field.default;
    const ok =
      (field.type === 'int' &&
        /^-?\d+$/.test(d) &&
        Number(d) >= INT32_MIN &&
        Number(d) <= INT32_MAX) ||
      ((field.type === 'float' || field.type === 'decimal') && /^-?\d+(?:\.\d+)?$/.test(d)) ||
      (field.type === 'bool' && /^(?:true|false)$/i.test(d)) ||
      (field.type === 'enum' && (field.values ?? []).includes(snake(d))) ||
      (['str', 'text'].includes(field.type) && !/["\\\n]/.test(d)) ||
      (field.type === 'email' && /^[^@\s"\\]+@[^@\s"\\]+\.[^@\s"\\]+$/.test(d)) ||
      (field.type === 'url' && /^https?:\/\/[^\s"\\]+\.[^\s"\\]+$/.test(d));
    if (!ok)
      throw new UserError(`field ${field.name}: default=${d} does not fit type ${field.type}`);
    if (field.type === 'enum') field.default = snake(d);
    if (field.type === 'bool') field.default = d.toLowerCase();
  }
  if (field.unique && ['json', 'text', 'bool'].includes(field.type)) {
    throw new UserError(`field ${field.name}: a ${field.type} field cannot be unique`);
  }
  if (field.unique && field.type === 'enum') {
    throw new UserError(
      `field ${field.name}: an enum field cannot be unique (it would allow one row per value)`,
    );
  }
  if (field.index && field.type === 'json') {
    throw new UserError(`field ${field.name}: a json field cannot be indexed`);
  }
  if (field.type === 'ref' && field.ref === 'user') {
    if (field.unique) {
      throw new UserError(
        `field ${field.name}: unique on ref(user) (one row per user) is not supported`,
      );
    }
    if (field.reverse) {
      throw new UserError(
        `field ${field.name}: reverse is not available on ref(user): the users model is not a resource`,
      );
    }
  }
}

/** Parses a `--fields` list; names must be distinct. */
export function parseFields(text: string): FieldSpec[] {
  const fields = splitTopLevel(text, ',').map(parseField);
  const seen = new Set<string>();
  for (const field of fields) {
    // A ref `customer` owns the column `customer_id`: the two names are one.
    const column = field.type === 'ref' ? `${field.name}_id` : field.name;
    for (const name of new Set([field.name, column])) {
      if (seen.has(name)) throw new UserError(`field ${field.name}: declared twice (as ${name})`);
      seen.add(name);
    }
  }
  if (fields.length === 0)
    throw new UserError('no fields: e.g. --fields "name:str:unique,price:decimal"');
  return fields;
}

/**
 * Checks the references between resources: each names a resource of the project (or the users
 * of JWT auth), none asks for a reverse list on itself, and required references form no cycle
 * (a required reference to itself included), or no first row could ever be created.
 */
export function checkReferences(resources: readonly ResourceSpec[], hasUsers: boolean): void {
  const names = new Set(resources.map((r) => r.name));
  if (hasUsers) names.add('user');
  for (const resource of resources) {
    for (const field of resource.fields) {
      if (field.type !== 'ref') continue;
      const where = `${resource.name}.${field.name}`;
      if (!names.has(field.ref ?? '')) {
        throw new UserError(
          `${where}: ref(${field.ref}) names no resource of this project; add it first`,
        );
      }
      if (field.reverse && field.ref === resource.name) {
        throw new UserError(`${where}: reverse on a reference to itself is not supported`);
      }
    }
  }
  const cycle = referenceCycle(resources);
  if (cycle) {
    const [first] = cycle;
    throw new UserError(
      `required references form a cycle (${cycle.map((c) => `${c.resource}.${c.field}`).join(' -> ')}): no first row could be created; make one optional, e.g. ${first?.field}:ref(${first?.ref}):optional`,
    );
  }
  const loop = referenceCycle(resources, false);
  if (loop) {
    throw new UserError(
      `references form a cycle between tables (${loop.map((c) => `${c.resource}.${c.field}`).join(' -> ')}): the tables could not be created or dropped one after the other; remove one of these references`,
    );
  }
}

interface RequiredEdge {
  resource: string;
  field: string;
  ref: string;
}

/** A cycle of required references between resources (users excluded), if there is one. */
/**
 * A cycle of references: of required ones (a reference to itself included), or, with
 * `required` false, of any between two or more tables.
 */
function referenceCycle(
  resources: readonly ResourceSpec[],
  required = true,
): RequiredEdge[] | undefined {
  const edges = new Map<string, RequiredEdge[]>(
    resources.map((r) => [
      r.name,
      r.fields
        .filter(
          (f) => f.type === 'ref' && f.ref !== 'user' && (required ? f.required : f.ref !== r.name),
        )
        .map((f) => ({ resource: r.name, field: f.name, ref: f.ref ?? '' })),
    ]),
  );
  const done = new Set<string>();
  const path: RequiredEdge[] = [];
  const onPath = new Set<string>();
  const visit = (name: string): RequiredEdge[] | undefined => {
    if (done.has(name)) return undefined;
    onPath.add(name);
    for (const edge of edges.get(name) ?? []) {
      path.push(edge);
      if (onPath.has(edge.ref)) return path.slice(path.findIndex((e) => e.resource === edge.ref));
      const found = visit(edge.ref);
      if (found) return found;
      path.pop();
    }
    onPath.delete(name);
    done.add(name);
    return undefined;
  };
  for (const resource of resources) {
    const found = visit(resource.name);
    if (found) return found;
  }
  return undefined;
}
