/**
 * What a SQLModel table model declares of a field (`templates/resource-sqlmodel/`): a `Field`
 * whose `sa_column` is the very column the SQLAlchemy model declares (same type, nullability,
 * keys, index and server default), so that both ORMs share one migration history.
 */
import type { FieldContext } from './fields.js';
import { columnOptions, declaredType } from './sqlalchemy.js';

/** The column types SQLAlchemy infers from a Python type, written out: SQLModel infers others. */
const INFERRED: Readonly<Record<string, string>> = {
  int: 'Integer',
  float: 'Double',
  bool: 'Boolean',
  date: 'Date',
  // The SQLAlchemy model maps datetime to it (type_annotation_map in app/db/base.py).
  datetime: 'UTCDateTime()',
  uuid: 'Uuid',
};

/** The column's type and foreign key, as the positional arguments of `Column(...)`. */
function columnType(field: FieldContext): string {
  const declared = declaredType(field);
  if (field.spec.type === 'ref') return `Integer, ${declared}`;
  const type = declared ?? INFERRED[field.spec.type];
  if (type === undefined) throw new Error(`no SQLModel column type for ${field.spec.type}`);
  return type;
}

/** `{{column}}: {{annotation}} = Field({{fieldArgs}})`: optional fields default to None. */
export function sqlmodelField(field: FieldContext): Record<string, string> {
  const column = [
    columnType(field),
    field.required ? 'nullable=False' : '',
    ...columnOptions(field),
  ].filter(Boolean);
  const sa = `sa_column=Column(${column.join(', ')})`;
  return { fieldArgs: field.required ? sa : `default=None, ${sa}` };
}
