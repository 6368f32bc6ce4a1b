/**
 * What a Tortoise ORM model declares of a field (`templates/resource-tortoise/`): the field class
 * and its arguments, so that the table Tortoise would create is the one the aerich migrations
 * write (`src/core/resource/aerich.ts`).
 */
import { EMAIL_LENGTH, STR_LENGTH, URL_LENGTH, member, type FieldContext } from './fields.js';

/** The Python value of a field's default, as the model declares it. */
function defaultValue(field: FieldContext): string {
  const value = field.spec.default ?? '';
  switch (field.spec.type) {
    case 'int':
      return value;
    case 'float':
      return value.includes('.') ? value : `${value}.0`;
    case 'decimal':
      return `Decimal(${JSON.stringify(value)})`;
    case 'bool':
      return value === 'true' ? 'True' : 'False';
    case 'enum':
      return `${field.pyType}.${member(value)}`;
    default:
      return JSON.stringify(value);
  }
}

/** The longest value of an enum: the length of its column. */
export function enumLength(field: FieldContext): number {
  return Math.max(1, ...(field.spec.values ?? []).map((v) => v.length));
}

/** `fields.X(...)`'s class and its first arguments, by field type. */
function fieldClass(field: FieldContext): [string, string[]] {
  const spec = field.spec;
  switch (spec.type) {
    case 'str':
      return ['CharField', [`max_length=${spec.max ?? STR_LENGTH}`]];
    case 'email':
      return ['CharField', [`max_length=${EMAIL_LENGTH}`]];
    case 'url':
      return ['CharField', [`max_length=${URL_LENGTH}`]];
    case 'text':
      return ['TextField', []];
    case 'int':
      return ['IntField', []];
    case 'float':
      return ['FloatField', []];
    case 'decimal':
      return ['DecimalField', ['max_digits=12', 'decimal_places=2']];
    case 'bool':
      return ['BooleanField', []];
    case 'date':
      return ['DateField', []];
    case 'datetime':
      // app/db/base.py: stored as UTC whatever the database's driver does with offsets.
      return ['UTCDatetimeField', []];
    case 'uuid':
      return ['UUIDField', []];
    case 'enum':
      return ['CharEnumField', [field.pyType, `max_length=${enumLength(field)}`]];
    case 'json':
      return ['JSONField[dict[str, Any]]', []];
    case 'ref': {
      const related = field.ref?.reverse ? JSON.stringify(field.ref.reverse) : 'False';
      return [
        'ForeignKeyField',
        [
          JSON.stringify(`models.${field.ref?.className}`),
          `related_name=${related}`,
          'on_delete=fields.RESTRICT',
        ],
      ];
    }
  }
}

/**
 * `{{model.name}}{{model.annotation}} = fields.{{model.field}}`; a reference also declares its id
 * (`{{column}}: int`), which Tortoise sets.
 */
export function tortoiseField(field: FieldContext): Record<string, string> {
  const [cls, args] = fieldClass(field);
  const ref = field.spec.type === 'ref';
  const options = [
    ...args,
    field.required ? '' : 'null=True',
    field.unique ? 'unique=True' : '',
    field.index && !field.unique ? 'db_index=True' : '',
    field.spec.default !== undefined ? `default=${defaultValue(field)}` : '',
  ].filter(Boolean);
  const relation = field.required ? 'ForeignKeyRelation' : 'ForeignKeyNullableRelation';
  return {
    name: ref ? field.spec.name : field.column,
    annotation: ref ? `: fields.${relation}["${field.ref?.className}"]` : '',
    field: `${cls.startsWith('UTC') ? '' : 'fields.'}${cls}(${options.join(', ')})`,
    idAnnotation: ref ? `${field.column}: ${field.annotation}` : '',
  };
}
