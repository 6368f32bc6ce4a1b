/**
 * What the template of an Alembic revision sees: its steps as data, tables to create or drop and
 * batches of column changes, in the order the operations come.
 */
import type { MigrationOp, MigrationSpec } from '../migrations.js';
import { capitalise, commentLines, summaryLines } from '../prose.js';
import type { ProjectSpec } from '../spec.js';
import {
  fieldContext,
  projectOf,
  tableShape,
  type FieldContext,
  type Project,
  type TableShape,
} from './fields.js';

/** A table as `op.create_table` and `op.drop_table` see it. */
function table(parts: TableShape, kind: 'create_table' | 'drop_table'): Record<string, unknown> {
  const { fields, owned } = parts;
  return {
    kind,
    table: parts.name,
    owned,
    /** `sa.Column(...)` of each field, between `id` and `owner_id`. */
    columns: fields.map((f) => f.saColumn),
    foreignKeys: fields.flatMap((f) => (f.ref ? [{ column: f.column, target: f.ref.table }] : [])),
    /** Unique fields without an index: a unique index stands for the constraint. */
    uniques: fields.filter((f) => f.unique && !f.index).map((f) => f.column),
    /** Unique among one owner's rows: constraints on (owner_id, column). */
    uniquesPerOwner: fields.filter((f) => f.uniquePerOwner).map((f) => f.column),
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
    uniquePerOwner: f.uniquePerOwner,
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
    const parts = tableShape(project, op.resource);
    if (op.kind === 'create_table' || op.kind === 'drop_table') {
      flush();
      const creates = (op.kind === 'create_table') === (direction === 'up');
      out.push(table(parts, creates ? 'create_table' : 'drop_table'));
      continue;
    }
    if (open?.table !== parts.name) {
      flush();
      open = { kind: 'batch', table: parts.name, changes: [], deferred: [], comment: [] };
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
