/**
 * What the template of an aerich revision sees (`templates/migration-aerich/`): the SQL of its
 * upgrade and of its downgrade, written for the project's database from the schema diff. Aerich
 * revisions are SQL, so the generator writes it itself, in the dialect Tortoise ORM uses for the
 * same models (column types, nullability, unique and plain indexes, foreign keys), so that the
 * schema the migrations build is the one the models describe.
 *
 * Indexes and constraints get names of the generator's own (`ix_`, `uq_`, `fk_` + table and
 * column): what a later revision drops, it can name. Unique columns get a unique index rather than
 * an inline UNIQUE, so that SQLite can drop them later (ALTER TABLE DROP COLUMN refuses a column
 * in a constraint).
 */
import { createHash } from 'node:crypto';
import type { MigrationOp, MigrationSpec } from '../migrations.js';
import { capitalise, summaryLines } from '../prose.js';
import type { ProjectSpec } from '../spec.js';
import {
  EMAIL_LENGTH,
  fieldContext,
  projectOf,
  tableShape,
  type FieldContext,
  type Project,
  type TableShape,
} from './fields.js';
import { enumLength } from './tortoise.js';

export type Dialect = 'sqlite' | 'postgresql' | 'mysql';

/** PostgreSQL cuts identifiers at 63 bytes, MySQL refuses more than 64. */
const NAME_LENGTH = 60;

/** `ix_orders_customer_id`; too long, cut and made unique by a hash of the whole. */
export function constraintName(prefix: string, table: string, column: string): string {
  const full = `${prefix}_${table}_${column}`;
  if (full.length <= NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, NAME_LENGTH - 9)}_${hash}`;
}

const q = (dialect: Dialect, name: string): string =>
  dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;

/** The column type Tortoise gives the field on this database. */
function columnType(dialect: Dialect, f: FieldContext): string {
  const spec = f.spec;
  const by = (sqlite: string, postgresql: string, mysql: string): string =>
    ({ sqlite, postgresql, mysql })[dialect];
  switch (spec.type) {
    case 'str':
    case 'email':
    case 'url':
      return `VARCHAR(${/length=(\d+)/.exec(f.saColumn)?.[1] ?? ''})`;
    case 'text':
      return by('TEXT', 'TEXT', 'LONGTEXT');
    case 'int':
    case 'ref':
      return 'INT';
    case 'float':
      return by('REAL', 'DOUBLE PRECISION', 'DOUBLE');
    case 'decimal':
      // Tortoise keeps decimals as text on SQLite.
      return by('VARCHAR(40)', 'DECIMAL(12,2)', 'DECIMAL(12,2)');
    case 'bool':
      return by('INT', 'BOOL', 'BOOL');
    case 'date':
      return 'DATE';
    case 'datetime':
      return datetimeType(dialect);
    case 'uuid':
      return by('CHAR(36)', 'UUID', 'CHAR(36)');
    case 'enum':
      return `VARCHAR(${enumLength(f)})`;
    case 'json':
      return by('JSON', 'JSONB', 'JSON');
  }
}

/** An integer primary key the database numbers. */
const SERIAL: Readonly<Record<Dialect, string>> = {
  sqlite: 'INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL',
  postgresql: 'SERIAL NOT NULL PRIMARY KEY',
  mysql: 'INT NOT NULL PRIMARY KEY AUTO_INCREMENT',
};

const datetimeType = (dialect: Dialect): string =>
  ({ sqlite: 'TIMESTAMP', postgresql: 'TIMESTAMPTZ', mysql: 'DATETIME(6)' })[dialect];

/** The column's DEFAULT: what rows that exist get when the column is added. */
function defaultClause(dialect: Dialect, f: FieldContext): string {
  const value = f.spec.default;
  if (value === undefined || f.spec.type === 'text' || f.spec.type === 'json') return '';
  if (f.spec.type === 'bool') {
    const yes = value === 'true';
    return ` DEFAULT ${dialect === 'postgresql' ? (yes ? 'TRUE' : 'FALSE') : yes ? '1' : '0'}`;
  }
  const numeric =
    ['int', 'float'].includes(f.spec.type) || (f.spec.type === 'decimal' && dialect !== 'sqlite');
  return ` DEFAULT ${numeric ? value : `'${value.replace(/'/g, "''")}'`}`;
}

type Table = TableShape;

/** `"name" TYPE [NOT NULL] [DEFAULT x]`, and its REFERENCES on SQLite and PostgreSQL. */
function columnDefinition(dialect: Dialect, f: FieldContext, table: string | null): string {
  const parts = [
    `${q(dialect, f.column)} ${columnType(dialect, f)}`,
    f.required ? ' NOT NULL' : '',
    defaultClause(dialect, f),
  ];
  if (table !== null && f.ref) {
    parts.push(` ${foreignKey(dialect, table, f.column, f.ref.table, 'RESTRICT', true)}`);
  }
  return parts.join('');
}

/**
 * The name the SQLAlchemy naming convention gives the same index (app/db/base.py), so that a
 * service maps a refused row to its field the same way on every ORM: `ix_` for an indexed column
 * (unique or not), `uq_` for a unique one, `uq_<table>_owner_id_<column>` for one unique per owner.
 */
function indexName(table: string, f: FieldContext): string {
  if (f.uniquePerOwner) return constraintName('uq', table, `owner_id_${f.column}`);
  return constraintName(f.index ? 'ix' : 'uq', table, f.column);
}

function indexStatements(dialect: Dialect, table: string, f: FieldContext): string[] {
  if (!f.unique && !f.index && !f.uniquePerOwner) return [];
  const columns = (f.uniquePerOwner ? ['owner_id', f.column] : [f.column])
    .map((c) => q(dialect, c))
    .join(', ');
  const unique = f.unique || f.uniquePerOwner ? 'UNIQUE ' : '';
  return [
    `CREATE ${unique}INDEX ${q(dialect, indexName(table, f))} ON ${q(dialect, table)} (${columns});`,
  ];
}

function dropIndex(dialect: Dialect, table: string, f: FieldContext): string[] {
  if (!f.unique && !f.index && !f.uniquePerOwner) return [];
  const name = q(dialect, indexName(table, f));
  return [
    dialect === 'mysql' ? `DROP INDEX ${name} ON ${q(dialect, table)};` : `DROP INDEX ${name};`,
  ];
}

/**
 * A named foreign key: a table constraint, or (`inline`) a column's REFERENCES clause with the
 * same name.
 */
function foreignKey(
  dialect: Dialect,
  table: string,
  column: string,
  target: string,
  action: string,
  inline = false,
): string {
  const name = constraintName('fk', table, `${column}_${target}`);
  const key = inline ? '' : `FOREIGN KEY (${q(dialect, column)}) `;
  return `CONSTRAINT ${q(dialect, name)} ${key}REFERENCES ${q(dialect, target)} (${q(dialect, 'id')}) ON DELETE ${action}`;
}

/** The id column, the fields, owner_id, the timestamps; then keys and indexes. */
function createTable(dialect: Dialect, table: Table, as = table.name): string[] {
  const inline = dialect !== 'mysql';
  const lines = [
    `${q(dialect, 'id')} ${SERIAL[dialect]}`,
    ...table.fields.map((f) => columnDefinition(dialect, f, inline ? table.name : null)),
    `${q(dialect, 'created_at')} ${datetimeType(dialect)} NOT NULL`,
    `${q(dialect, 'updated_at')} ${datetimeType(dialect)} NOT NULL`,
  ];
  if (table.owned) {
    lines.push(
      `${q(dialect, 'owner_id')} INT NOT NULL${inline ? ` ${foreignKey(dialect, table.name, 'owner_id', 'users', 'CASCADE', true)}` : ''}`,
    );
  }
  if (!inline) {
    for (const f of table.fields) {
      if (f.ref) lines.push(foreignKey(dialect, table.name, f.column, f.ref.table, 'RESTRICT'));
    }
    if (table.owned) lines.push(foreignKey(dialect, table.name, 'owner_id', 'users', 'CASCADE'));
  }
  const tail = dialect === 'mysql' ? ') CHARACTER SET utf8mb4;' : ');';
  const owner: FieldContext[] = table.owned
    ? [{ column: 'owner_id', unique: false, index: true } as FieldContext]
    : [];
  return [
    `CREATE TABLE ${q(dialect, as)} (`,
    ...lines.map((l, i) => `    ${l}${i < lines.length - 1 ? ',' : ''}`),
    tail,
    ...[...table.fields, ...owner].flatMap((f) => indexStatements(dialect, as, f)),
  ];
}

function dropTable(dialect: Dialect, table: Table): string[] {
  return [`DROP TABLE ${q(dialect, table.name)};`];
}

function addColumn(dialect: Dialect, table: Table, f: FieldContext): string[] {
  const t = q(dialect, table.name);
  if (dialect === 'mysql') {
    const fk = f.ref
      ? `, ADD ${foreignKey(dialect, table.name, f.column, f.ref.table, 'RESTRICT')}`
      : '';
    return [
      `ALTER TABLE ${t} ADD COLUMN ${columnDefinition(dialect, f, null)}${fk};`,
      ...indexStatements(dialect, table.name, f),
    ];
  }
  return [
    `ALTER TABLE ${t} ADD COLUMN ${columnDefinition(dialect, f, table.name)};`,
    ...indexStatements(dialect, table.name, f),
  ];
}

function dropColumn(dialect: Dialect, table: Table, f: FieldContext): string[] {
  const t = q(dialect, table.name);
  const c = q(dialect, f.column);
  if (dialect === 'mysql') {
    const fk = f.ref
      ? `DROP FOREIGN KEY ${q(dialect, constraintName('fk', table.name, `${f.column}_${f.ref.table}`))}, `
      : '';
    return [`ALTER TABLE ${t} ${fk}DROP COLUMN ${c};`];
  }
  return [...dropIndex(dialect, table.name, f), `ALTER TABLE ${t} DROP COLUMN ${c};`];
}

/**
 * SQLite cannot add a NOT NULL column without a default, nor drop one a foreign key uses: the
 * table is made again with its new columns, and the rows copied (the columns both have).
 */
function rebuild(dialect: Dialect, before: Table, after: Table): string[] {
  const kept = after.fields
    .filter((f) => before.fields.some((b) => b.column === f.column))
    .map((f) => f.column);
  const columns = ['id', ...kept, ...(after.owned ? ['owner_id'] : []), 'created_at', 'updated_at']
    .map((c) => q(dialect, c))
    .join(', ');
  const scratch = `_new_${after.name}`;
  const created = createTable(dialect, after, scratch);
  const table = created.findIndex(
    (l) => l.startsWith('CREATE INDEX') || l.startsWith('CREATE UNIQUE'),
  );
  const body = table === -1 ? created : created.slice(0, table);
  return [
    ...body,
    `INSERT INTO ${q(dialect, scratch)} (${columns}) SELECT ${columns} FROM ${q(dialect, after.name)};`,
    `DROP TABLE ${q(dialect, after.name)};`,
    `ALTER TABLE ${q(dialect, scratch)} RENAME TO ${q(dialect, after.name)};`,
    ...[...after.fields].flatMap((f) => indexStatements(dialect, after.name, f)),
    ...(after.owned
      ? indexStatements(dialect, after.name, {
          column: 'owner_id',
          unique: false,
          index: true,
        } as FieldContext)
      : []),
  ];
}

/** The statements of a list of operations, in order. */
function statements(
  project: Project,
  dialect: Dialect,
  ops: readonly MigrationOp[],
  direction: 'up' | 'down',
): string[] {
  const out: string[] = [];
  for (const op of ops) {
    const table = tableShape(project, op.resource);
    if (op.kind === 'create_table' || op.kind === 'drop_table') {
      const creates = (op.kind === 'create_table') === (direction === 'up');
      out.push(...(creates ? createTable(dialect, table) : dropTable(dialect, table)));
      continue;
    }
    const f = fieldContext(project, op.resource, op.field);
    const adds = (op.kind === 'add_column') === (direction === 'up');
    const sqliteRebuild =
      dialect === 'sqlite' &&
      (adds ? f.required && f.spec.default === undefined : f.ref !== undefined);
    if (sqliteRebuild) {
      const others = table.fields.filter((x) => x.column !== f.column);
      const without = { ...table, fields: others };
      const withField = { ...table, fields: [...others, f] };
      out.push(
        ...(adds ? rebuild(dialect, without, withField) : rebuild(dialect, withField, without)),
      );
      continue;
    }
    out.push(...(adds ? addColumn(dialect, table, f) : dropColumn(dialect, table, f)));
  }
  return out;
}

/** The accounts of JWT auth (`templates/auth-jwt-tortoise/app/users/models.py`). */
function usersTable(dialect: Dialect): string[] {
  const yes = dialect === 'postgresql' ? 'TRUE' : '1';
  const columns = [
    `${q(dialect, 'id')} ${SERIAL[dialect]}`,
    `${q(dialect, 'email')} VARCHAR(${EMAIL_LENGTH}) NOT NULL`,
    `${q(dialect, 'hashed_password')} VARCHAR(255) NOT NULL`,
    `${q(dialect, 'role')} VARCHAR(20) NOT NULL DEFAULT 'user'`,
    `${q(dialect, 'is_active')} ${dialect === 'sqlite' ? 'INT' : 'BOOL'} NOT NULL DEFAULT ${yes}`,
    `${q(dialect, 'created_at')} ${datetimeType(dialect)} NOT NULL`,
  ];
  return [
    `CREATE TABLE ${q(dialect, 'users')} (`,
    ...columns.map((c, i) => `    ${c}${i < columns.length - 1 ? ',' : ''}`),
    dialect === 'mysql' ? ') CHARACTER SET utf8mb4;' : ');',
    `CREATE UNIQUE INDEX ${q(dialect, 'uq_users_email')} ON ${q(dialect, 'users')} (${q(dialect, 'email')});`,
  ];
}

/** Aerich's own table of applied revisions: the first revision creates it, and keeps it. */
function aerichTable(dialect: Dialect): string[] {
  const id = SERIAL[dialect];
  return [
    `CREATE TABLE IF NOT EXISTS ${q(dialect, 'aerich')} (`,
    `    ${q(dialect, 'id')} ${id},`,
    `    ${q(dialect, 'version')} VARCHAR(255) NOT NULL,`,
    `    ${q(dialect, 'app')} VARCHAR(100) NOT NULL,`,
    `    ${q(dialect, 'content')} ${dialect === 'postgresql' ? 'JSONB' : 'JSON'} NOT NULL`,
    dialect === 'mysql' ? ') CHARACTER SET utf8mb4;' : ');',
  ];
}

export function aerichMigrationContext(
  migration: MigrationSpec,
  spec: ProjectSpec,
): Record<string, unknown> {
  const project = projectOf(spec);
  const dialect = spec.options.db as Dialect;
  const first = migration.downRevision === null;
  const users = migration.createsUsers === true;
  const upgrade = [
    ...(first ? aerichTable(dialect) : []),
    ...(users ? usersTable(dialect) : []),
    ...statements(project, dialect, migration.ops, 'up'),
  ];
  const downgrade = [
    ...statements(project, dialect, [...migration.ops].reverse(), 'down'),
    ...(users ? [`DROP TABLE ${q(dialect, 'users')};`] : []),
  ];
  const summary = capitalise(migration.message.trim()).replace(/\.?$/, '.');
  return {
    revision: migration.revision,
    summary: summaryLines(summary).join('\n'),
    revises: migration.downRevision ?? '',
    upgrade,
    downgrade,
    /** SQL lines too long for E501 once indented (12 spaces): the file then allows them. */
    longLines: [...upgrade, ...downgrade].some((l) => l.length + 12 > 88),
  };
}
