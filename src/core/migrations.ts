import { UserError } from './errors.js';
import type { FieldSpec, ResourceSpec } from './resources.js';

/** One schema change. Tables and columns are described by the resource spec they come from. */
export type MigrationOp =
  | { kind: 'create_table'; resource: ResourceSpec }
  | { kind: 'drop_table'; resource: ResourceSpec }
  | { kind: 'add_column'; resource: ResourceSpec; field: FieldSpec }
  | { kind: 'drop_column'; resource: ResourceSpec; field: FieldSpec };

/** One revision the generator writes: `migrations/versions/<revision>_<slug>.py` with Alembic. */
export interface MigrationSpec {
  /** Zero-padded sequence number, also the Alembic revision id: `0002`. */
  revision: string;
  downRevision: string | null;
  slug: string;
  message: string;
  /** The initial revision also creates the users table when the project has JWT auth. */
  createsUsers: boolean;
  ops: MigrationOp[];
}

/** Where a revision goes, from the migration tool's file pattern (`revisions.file`, features.ts). */
export function migrationPath(
  migration: Pick<MigrationSpec, 'revision' | 'slug'>,
  pattern: string,
): string {
  return pattern
    .replace('{revision}', migration.revision)
    .replace('{number}', String(Number(migration.revision)))
    .replace('{slug}', migration.slug);
}

/** Field declarations compared key by key: the order of keys in a manifest means nothing. */
function sameField(a: FieldSpec, b: FieldSpec): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  return [...keys].every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]));
}

/**
 * The operations that take a schema from `before` to `after`, in an order that respects
 * references: new tables in dependency order, dropped tables in reverse. A field whose
 * definition changed is dropped and added again (its data is lost: the message says so).
 */
export function schemaDiff(
  before: readonly ResourceSpec[],
  after: readonly ResourceSpec[],
): MigrationOp[] {
  const ops: MigrationOp[] = [];
  const old = new Map(before.map((r) => [r.name, r]));
  const now = new Map(after.map((r) => [r.name, r]));
  for (const resource of orderByReferences(after)) {
    const previous = old.get(resource.name);
    if (!previous) {
      ops.push({ kind: 'create_table', resource });
      continue;
    }
    if (previous.owned !== resource.owned) {
      // owner_id is no field a migration can add or drop: its rows would have no owner.
      throw new UserError(
        `resource ${resource.name}: "owned" cannot change once its table exists (its rows would have no owner); remove the resource and add it again instead`,
      );
    }
    if ((previous.uniqueness ?? 'global') !== (resource.uniqueness ?? 'global')) {
      throw new UserError(
        `resource ${resource.name}: "uniqueness" cannot change once its table exists; remove the resource and add it again instead`,
      );
    }
    const oldFields = new Map(previous.fields.map((f) => [f.name, f]));
    const newFields = new Map(resource.fields.map((f) => [f.name, f]));
    for (const field of previous.fields) {
      const next = newFields.get(field.name);
      if (!next || !sameField(field, next))
        ops.push({ kind: 'drop_column', resource: previous, field });
    }
    for (const field of resource.fields) {
      const prior = oldFields.get(field.name);
      if (!prior || !sameField(prior, field)) ops.push({ kind: 'add_column', resource, field });
    }
  }
  for (const resource of orderByReferences(before).reverse()) {
    if (!now.has(resource.name)) ops.push({ kind: 'drop_table', resource });
  }
  return ops;
}

/** Resources with every referenced resource before the ones that reference it. */
export function orderByReferences(resources: readonly ResourceSpec[]): ResourceSpec[] {
  const byName = new Map(resources.map((r) => [r.name, r]));
  const done = new Set<string>();
  const ordered: ResourceSpec[] = [];
  const visit = (resource: ResourceSpec, path: Set<string>): void => {
    if (done.has(resource.name) || path.has(resource.name)) return;
    path.add(resource.name);
    for (const field of resource.fields) {
      const target = field.type === 'ref' ? byName.get(field.ref ?? '') : undefined;
      if (target) visit(target, path);
    }
    done.add(resource.name);
    ordered.push(resource);
  };
  for (const resource of resources) visit(resource, new Set());
  return ordered;
}
