/** The generated tests of a resource: its payloads, helpers and constants, as data. */
import { article, capitalise, docstring, fits, human, message } from '../prose.js';
import { resourceNames, type FieldSpec, type ResourceSpec } from '../resources.js';
import { ownedTarget, type Built, type FieldContext, type Project } from './fields.js';
import { samples, type Samples } from './samples.js';

/** The 404 detail of a resource (the dependency raises it, the tests expect it). */
export const notFound = (name: string): string =>
  message(2, `${capitalise(human(name))} not found`, 'Not found');

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
        named && fits(2, `"${key}": ${field.name}["id"],`) ? field.name : `parent_${i + 1}`;
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

export function tests(project: Project, built: Built): Record<string, unknown> {
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
    unique: columns(inPayload.filter((f) => f.unique || f.uniquePerOwner)),
    uniquePerOwner: columns(inPayload.filter((f) => f.uniquePerOwner)),
    references: columns(references),
    parentReferences: columns(parentRefs),
    ownedReferences: columns(owned ? parentRefs.filter((f) => ownedTarget(project, f)) : []),
    filters: fields
      .filter((f) => f.filterType && !f.ref && s(f).literals.length >= 2)
      .map((f) => ({ column: f.column, value: s(f).literals[0], other: s(f).literals[1] })),
    /** Filter values no column could hold: each must answer 422, never reach the database. */
    badFilters: fields.flatMap((f) => {
      const values: Record<string, string[]> = {
        Int32: ['str(2**31)', 'str(-(2**31) - 1)'],
        RowId: ['"0"', 'str(2**31)'],
        PlainStr: ['"nul\\x00byte"'],
      };
      return (values[f.filterType ?? ''] ?? []).map((value) => ({ column: f.column, value }));
    }),
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
