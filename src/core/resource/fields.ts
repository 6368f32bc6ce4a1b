/**
 * How each field type maps to Python, Pydantic and Alembic: names, types, annotations and the
 * migration's column, shared by the model, the schemas, the tests and the migrations of a
 * resource, so that they agree by construction. What an ORM's model declares is its own module's
 * (`sqlalchemy.ts`).
 */
import { pyIdentifier, pyString } from '../python-text.js';
import { UserError } from '../errors.js';
import { pascal, plural } from '../names.js';
import { fits } from '../prose.js';
import { resourceNames, type FieldSpec, type ResourceSpec } from '../resources.js';
import type { ProjectSpec } from '../spec.js';

/** What a resource's context depends on besides the resource: auth, and the other resources. */
export interface Project {
  jwt: boolean;
  resources: readonly ResourceSpec[];
}

export function projectOf(spec: ProjectSpec): Project {
  return { jwt: spec.options.auth.includes('jwt'), resources: spec.resources };
}

/** How each field type maps to Python, Pydantic and Alembic. */
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
  /** The model attribute's type: the Python type, `| None` when optional. */
  annotation: string;
  /** Migration: `sa.Column(...)`, on one line (Ruff lays it out where it lands). */
  saColumn: string;
  /** The referenced resource (`user` for the JWT users table). */
  ref?: { name: string; className: string; table: string; module: string; reverse?: string };
  /** Exact-match filter type in the list query, when the field is filterable. */
  filterType?: string;
  sortable: boolean;
  index: boolean;
  /** Unique across the table (a column constraint or a unique index). */
  unique: boolean;
  /** Unique among one owner's rows: a constraint on (owner_id, column). */
  uniquePerOwner: boolean;
}

/** Column length of `email`: what RFC 5321 allows (as the users table). */
export const EMAIL_LENGTH = 320;
/** Column length of `url`: what Pydantic's `HttpUrl` accepts. */
export const URL_LENGTH = 2083;
export const STR_LENGTH = 255;

const FILTERABLE = new Set(['str', 'email', 'url', 'enum', 'bool', 'int', 'uuid', 'date', 'ref']);
export const SORTABLE = new Set([
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
export const member = (value: string): string => value.toUpperCase();

export function pyLiteral(field: FieldSpec, resource: ResourceSpec, value: string): string {
  switch (field.type) {
    case 'int':
      return value;
    case 'float':
      return value.includes('.') ? value : `${value}.0`;
    case 'decimal':
      return `Decimal(${pyString(value)})`;
    case 'bool':
      return value === 'true' ? 'True' : 'False';
    case 'enum':
      return `${enumClass(resource, field)}.${pyIdentifier(member(value))}`;
    case 'url':
      return `HttpUrl(${pyString(value)})`;
    default:
      return pyString(value);
  }
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
export function reverseName(
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
  return fits(1, `${name}: Mapped[`) && name.length <= 60 ? name : undefined;
}

export function fieldContext(
  project: Project,
  resource: ResourceSpec,
  field: FieldSpec,
): FieldContext {
  const column = pyIdentifier(field.type === 'ref' ? `${field.name}_id` : field.name);
  const optional = field.required ? '' : ' | None';
  const bounds = [
    field.min !== undefined ? `ge=${field.min}` : '',
    field.max !== undefined ? `le=${field.max}` : '',
  ];
  let pyType: string;
  let inputType: string | undefined;
  let constraints: string[] = [];
  let saType: string;
  let ref: FieldContext['ref'];
  switch (field.type) {
    case 'str': {
      const length = field.max ?? STR_LENGTH;
      pyType = 'str';
      inputType = 'PlainStr';
      constraints = [
        field.min !== undefined ? `min_length=${field.min}` : '',
        `max_length=${length}`,
      ];
      saType = `sa.String(length=${length})`;
      break;
    }
    case 'text':
      pyType = 'str';
      inputType = 'PlainStr';
      saType = 'sa.Text()';
      break;
    case 'int':
      pyType = 'int';
      // Declared bounds replace the INTEGER range (checkField keeps them inside it): pydantic
      // would let Int32's own bounds win over a Field's.
      if (field.min === undefined && field.max === undefined) inputType = 'Int32';
      else constraints = [`ge=${field.min ?? -(2 ** 31)}`, `le=${field.max ?? 2 ** 31 - 1}`];
      saType = 'sa.Integer()';
      break;
    case 'float':
      pyType = 'float';
      // JSON has no NaN or infinity, so a response could not carry them back.
      constraints = [...bounds, 'allow_inf_nan=False'];
      saType = 'sa.Double()';
      break;
    case 'decimal':
      pyType = 'Decimal';
      constraints = [...bounds, 'max_digits=12', 'decimal_places=2'];
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
      saType = `sa.String(length=${EMAIL_LENGTH})`;
      break;
    case 'url':
      pyType = 'str';
      inputType = 'HttpUrlString';
      saType = `sa.String(length=${URL_LENGTH})`;
      break;
    case 'enum': {
      const values = field.values ?? [];
      const cls = enumClass(resource, field);
      pyType = cls;
      saType = `sa.Enum(${values.map((v) => pyString(v)).join(', ')}, name=${pyString(field.name)}, native_enum=False, create_constraint=True)`;
      break;
    }
    case 'json':
      pyType = 'dict[str, Any]';
      // Without none_as_null, None would be stored as the JSON value `null`, not as NULL.
      saType = 'sa.JSON()';
      break;
    case 'ref': {
      ref = referenced(field.ref ?? '');
      if (ref) ref.reverse = reverseName(project, resource, field);
      pyType = 'int';
      inputType = 'RowId';
      saType = 'sa.Integer()';
      break;
    }
  }
  const perOwner = field.unique && resource.owned && project.jwt && resource.uniqueness === 'owner';
  // A JSON column has no btree index on PostgreSQL: `index` does not apply to it.
  const index = (field.index && field.type !== 'json') || (field.type === 'ref' && !field.unique);
  const saArgs = [
    pyString(column),
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
    saColumn: `sa.Column(${saArgs.join(', ')})`,
    ref,
    filterType: !FILTERABLE.has(field.type)
      ? undefined
      : field.type === 'int'
        ? 'Int32'
        : field.type === 'ref'
          ? 'RowId'
          : field.type === 'str'
            ? 'PlainStr'
            : pyType,
    sortable: SORTABLE.has(field.type),
    index,
    unique: field.unique && !perOwner,
    uniquePerOwner: perOwner,
  };
}

/** The column's server default: what existing and new rows get when no value is given. */
export function serverDefault(field: FieldSpec, sa: '' | 'sa.'): string {
  const value = field.default ?? '';
  if (field.type === 'bool') return `${sa}${value === 'true' ? 'true' : 'false'}()`;
  return pyString(value);
}

/** A resource with the context of each of its fields. */
export interface Built {
  names: ReturnType<typeof resourceNames>;
  resource: ResourceSpec;
  owned: boolean;
  fields: FieldContext[];
}

export function build(project: Project, resource: ResourceSpec): Built {
  return {
    names: resourceNames(resource.name),
    resource,
    owned: resource.owned && project.jwt,
    fields: resource.fields.map((f) => fieldContext(project, resource, f)),
  };
}

/** Whether a reference points at a resource whose rows users own. */
export function ownedTarget(project: Project, field: FieldContext): boolean {
  const target = field.ref?.name;
  return (
    project.jwt &&
    target !== undefined &&
    target !== 'user' &&
    project.resources.some((r) => r.name === target && r.owned)
  );
}

/** A resource's table as a migration writes it: its name, its fields, whether users own rows. */
export interface TableShape {
  name: string;
  fields: FieldContext[];
  owned: boolean;
}

export function tableShape(project: Project, resource: ResourceSpec): TableShape {
  const built = build(project, resource);
  return { name: built.names.tableName, fields: built.fields, owned: built.owned };
}
