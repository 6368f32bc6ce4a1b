import { UserError } from '../core/errors.js';
import type { Manifest } from '../core/manifest.js';
import {
  normaliseResourceName,
  parseField,
  parseFields,
  resourceNames,
  type ResourceSpec,
} from '../core/resources.js';
import { checkNoEndpoints } from './endpoints.js';
import { findResource, type UpdateRequest } from './update.js';

/** Names a new resource may not take: the project's resources, and `user` with JWT auth. */
function takenNames(manifest: Manifest): string[] {
  const jwt = (manifest.options.auth as string[]).includes('jwt');
  return [...manifest.resources.map((r) => r.name), ...(jwt ? ['user'] : [])];
}

export function addResourceRequest(
  manifest: Manifest,
  rawName: string,
  fields: string,
): UpdateRequest {
  const name = normaliseResourceName(rawName, takenNames(manifest));
  const { module } = resourceNames(name);
  const kinds = (manifest.modules ?? []).filter((m) => m.name === module).map((m) => m.kind);
  if (kinds.length > 0) {
    throw new UserError(
      `resource name ${JSON.stringify(rawName)}: app/${module} is the package of the ${kinds.join(', ')} module ${module}`,
    );
  }
  const resource: ResourceSpec = { name, fields: parseFields(fields), owned: false };
  return {
    resources: (m) => [...m.resources, resource],
    slug: `add_${resourceNames(name).plural}`,
  };
}

export function addFieldRequest(
  manifest: Manifest,
  rawResource: string,
  declaration: string,
): UpdateRequest {
  const resource = findResource(manifest, rawResource);
  const field = parseField(declaration);
  if (resource.fields.some((f) => f.name === field.name)) {
    throw new UserError(`${resource.name} already has a field ${field.name}`);
  }
  return {
    resources: (m) =>
      m.resources.map((r) =>
        r.name === resource.name ? { ...r, fields: [...r.fields, field] } : r,
      ),
    slug: `add_${resourceNames(resource.name).plural}_${field.name}`,
  };
}

export function removeFieldRequest(
  manifest: Manifest,
  rawResource: string,
  fieldName: string,
): UpdateRequest {
  const resource = findResource(manifest, rawResource);
  const name = fieldName.trim().toLowerCase();
  if (!resource.fields.some((f) => f.name === name)) {
    throw new UserError(
      `${resource.name} has no field ${JSON.stringify(fieldName)}; fields: ${resource.fields.map((f) => f.name).join(', ')}`,
    );
  }
  if (resource.fields.length === 1) {
    throw new UserError(`${resource.name}.${name} is its only field: remove the resource instead`);
  }
  return {
    resources: (m) =>
      m.resources.map((r) =>
        r.name === resource.name ? { ...r, fields: r.fields.filter((f) => f.name !== name) } : r,
      ),
    slug: `remove_${resourceNames(resource.name).plural}_${name}`,
  };
}

export function removeResourceRequest(
  manifest: Manifest,
  rawName: string,
  force: boolean,
): UpdateRequest {
  const resource = findResource(manifest, rawName);
  checkNoEndpoints(manifest, { kind: 'resource', name: resource.name });
  const referrers = manifest.resources.filter(
    (r) =>
      r.name !== resource.name && r.fields.some((f) => f.type === 'ref' && f.ref === resource.name),
  );
  if (referrers.length > 0) {
    throw new UserError(
      `${resource.name} is referenced by ${referrers.map((r) => r.name).join(', ')}: remove those references first`,
    );
  }
  return {
    resources: (m) => m.resources.filter((r) => r.name !== resource.name),
    slug: `remove_${resourceNames(resource.name).plural}`,
    deleteEdited: force,
  };
}
