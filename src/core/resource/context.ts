/**
 * What the templates of a resource see (`templates/resource/`): its names, its fields as the
 * model and the schemas declare them, its relationships, and the wording of its docstrings and
 * messages (the first that fits a line). Ruff lays the code out; nothing here does.
 */
import { pyIdentifier } from '../python-text.js';
import { plural } from '../names.js';
import { article, capitalise, docstring, human, message } from '../prose.js';
import { resourceNames, type ResourceSpec } from '../resources.js';
import type { ProjectSpec } from '../spec.js';
import {
  build,
  member,
  ownedTarget,
  projectOf,
  pyLiteral,
  reverseName,
  type Built,
  type FieldContext,
  type Project,
} from './fields.js';
import { sqlalchemyField } from './sqlalchemy.js';
import { sqlmodelField } from './sqlmodel.js';
import { tortoiseField } from './tortoise.js';
import { notFound, tests } from './tests.js';

/**
 * What each ORM's model declares of a field, as `fields[].model` (its keys are the ORM's own:
 * `templates/resource-<orm>/` reads them).
 */
const MODEL_FIELDS: Readonly<Record<string, (field: FieldContext) => Record<string, string>>> = {
  sqlalchemy: sqlalchemyField,
  sqlmodel: sqlmodelField,
  tortoise: tortoiseField,
};

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

export function resourceContext(
  resource: ResourceSpec,
  spec: ProjectSpec,
): Record<string, unknown> {
  const model = MODEL_FIELDS[spec.options.orm];
  if (!model) throw new Error(`no model context for orm=${spec.options.orm}`);
  return resourceContextFor(projectOf(spec), resource, model);
}

function resourceContextFor(
  project: Project,
  resource: ResourceSpec,
  model: (field: FieldContext) => Record<string, string>,
): Record<string, unknown> {
  const built = build(project, resource);
  const { names, owned } = built;
  const N = resource.name;
  const variable = LOCALS.has(N) ? `${N}_row` : N;
  const a = `${article(human(N))} ${human(N)}`;
  const refs = built.fields.filter((f) => f.ref);
  const referencedBy = project.resources.filter(
    (r) => r.name !== N && r.fields.some((f) => f.type === 'ref' && f.ref === N),
  );
  const unique = built.fields
    .filter((f) => f.unique || f.uniquePerOwner)
    .map((f) => human(f.column));
  const An = capitalise(a);
  return {
    // Identifiers: each passes the one check of src/core/python-text.ts.
    name: pyIdentifier(names.name),
    plural: pyIdentifier(names.plural),
    className: pyIdentifier(names.className),
    tableName: pyIdentifier(names.tableName),
    module: pyIdentifier(names.module),
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
    /** Columns unique among one owner's rows: a table constraint on (owner_id, column) each. */
    uniquePerOwner: built.fields.filter((f) => f.uniquePerOwner).map((f) => f.column),
    /** Whether a commit may break a unique or foreign key constraint (a 409). */
    guarded: unique.length > 0 || refs.length > 0,
    /**
     * The constraints a commit may break, by the name the naming convention gives them, with the
     * columns SQLite names instead and the message the API answers.
     */
    constraints: [
      ...built.fields
        .filter((f) => f.unique)
        .map((f) => ({
          name: `${f.index ? 'ix' : 'uq'}_${names.tableName}_${f.column}`,
          columns: [`${names.tableName}.${f.column}`],
          message: `${f.column}: this value is already taken`,
        })),
      ...built.fields
        .filter((f) => f.uniquePerOwner)
        .map((f) => ({
          name: `uq_${names.tableName}_owner_id_${f.column}`,
          columns: [`${names.tableName}.owner_id`, `${names.tableName}.${f.column}`],
          message: `${f.column}: this value is already taken`,
        })),
      ...refs.map((f) => ({
        name: `fk_${names.tableName}_${f.column}_${f.ref?.table}`,
        columns: [],
        message: `${f.column}: no such row`,
      })),
    ],
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
    fields: fieldLines(built, model),
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
      members: (f.spec.values ?? []).map((value) => ({
        name: pyIdentifier(member(value)),
        value: pyIdentifier(value),
      })),
    }));
}

// -- schemas.py

/** The fields as the model and the schemas declare them. */
function fieldLines(
  built: Built,
  model: (field: FieldContext) => Record<string, string>,
): Array<Record<string, unknown>> {
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
      /** The ORM's own declaration of the column (`columnArgs` for SQLAlchemy, `fieldArgs` for SQLModel). */
      model: model(f),
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
