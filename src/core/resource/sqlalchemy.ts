/**
 * The SQLAlchemy side of a resource's fields: the column types of SQLAlchemy Core (shared by
 * every ORM built on it) and what a SQLAlchemy 2 declarative model declares
 * (`templates/resource-sqlalchemy/`).
 */
import {
  EMAIL_LENGTH,
  STR_LENGTH,
  URL_LENGTH,
  serverDefault,
  type FieldContext,
} from './fields.js';

/**
 * The column's type, when its Python type alone does not say it (a length, a precision, an enum's
 * storage, a foreign key); otherwise undefined: `Mapped[int]` is an INTEGER.
 */
export function declaredType(field: FieldContext): string | undefined {
  const spec = field.spec;
  switch (spec.type) {
    case 'str':
      return `String(${spec.max ?? STR_LENGTH})`;
    case 'text':
      return 'Text';
    case 'decimal':
      return 'Numeric(12, 2)';
    case 'email':
      return `String(${EMAIL_LENGTH})`;
    case 'url':
      return `String(${URL_LENGTH})`;
    case 'enum':
      return `Enum(${field.pyType}, name=${JSON.stringify(spec.name)}, native_enum=False, create_constraint=True, values_callable=lambda members: [member.value for member in members])`;
    case 'json':
      // Without none_as_null, None would be stored as the JSON value `null`, not as NULL.
      return spec.required ? 'JSON' : 'JSON(none_as_null=True)';
    case 'ref':
      return `ForeignKey(${JSON.stringify(`${field.ref?.table}.id`)}, ondelete="RESTRICT")`;
    default:
      return undefined;
  }
}

/**
 * The column's arguments after its type: unique and index together make a unique index (no
 * separate constraint), as SQLAlchemy does; then the server default.
 */
export function columnOptions(field: FieldContext): string[] {
  return [
    field.unique ? 'unique=True' : '',
    field.index ? 'index=True' : '',
    field.spec.default !== undefined ? `server_default=${serverDefault(field.spec, '')}` : '',
  ].filter(Boolean);
}

/** What a field of a SQLAlchemy model declares: `{{column}}: Mapped[{{annotation}}] = mapped_column({{columnArgs}})`. */
export function sqlalchemyField(field: FieldContext): Record<string, string> {
  return {
    columnArgs: [declaredType(field) ?? '', ...columnOptions(field)].filter(Boolean).join(', '),
  };
}
