import {
  findEndpoint,
  parseEndpoint,
  resolveTarget,
  type EndpointInput,
} from '../core/endpoint-input.js';
import {
  endpointsUsing,
  targetPackage,
  type EndpointProject,
  type EndpointTarget,
} from '../core/endpoints.js';
import { UserError } from '../core/errors.js';
import type { Manifest } from '../core/manifest.js';
import type { UpdateRequest } from './update.js';

const projectOf = (manifest: Manifest): EndpointProject => ({
  resources: manifest.resources,
  modules: manifest.modules,
  jwt: (manifest.options.auth as string[]).includes('jwt'),
});

/** `add endpoint TARGET "METHOD /path" --summary ...`: a route, its schemas, a stub and its test. */
export function addEndpointRequest(manifest: Manifest, input: EndpointInput): UpdateRequest {
  const endpoint = parseEndpoint(input, projectOf(manifest), manifest.endpoints);
  return {
    resources: (m) => m.resources,
    endpoints: (m) => [...m.endpoints, endpoint],
    slug: `add_${endpoint.name}`,
  };
}

/** `remove endpoint TARGET NAME`: its route, schemas, module and test go; edited files need --force. */
export function removeEndpointRequest(
  manifest: Manifest,
  rawTarget: string,
  raw: string,
  force: boolean,
): UpdateRequest {
  const target = resolveTarget(rawTarget, projectOf(manifest));
  const endpoint = findEndpoint(manifest.endpoints, target, raw);
  return {
    resources: (m) => m.resources,
    endpoints: (m) =>
      m.endpoints.filter((e) => !(e.name === endpoint.name && sameTarget(e.target, target))),
    slug: `remove_${endpoint.name}`,
    deleteEdited: force,
  };
}

const sameTarget = (a: EndpointTarget, b: EndpointTarget): boolean =>
  a.kind === b.kind && a.name === b.name;

/** Refuses to remove a resource or module that endpoints still use, naming them. */
export function checkNoEndpoints(manifest: Manifest, target: EndpointTarget): void {
  const using = endpointsUsing(manifest.endpoints, target);
  if (using.length === 0) return;
  throw new UserError(
    `${target.kind} ${target.name} is used by the endpoint${using.length > 1 ? 's' : ''} ${using.map((e) => `${e.name} (${e.method} ${e.path})`).join(', ')}: remove ${using.length > 1 ? 'them' : 'it'} first (remove endpoint ${targetPackage(target)} NAME)`,
  );
}
