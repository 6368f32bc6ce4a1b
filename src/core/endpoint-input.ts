/**
 * What `add endpoint` and `remove endpoint` were given, as typed, made into endpoints (see
 * endpoints.ts for what an endpoint is and the checks every one passes).
 */
import { UserError } from './errors.js';
import { pascal, plural, snake } from './names.js';
import { parseField, resourceNames, type ResourceSpec } from './resources.js';
import {
  ENDPOINT_STATUSES,
  IDENTIFIER,
  checkEndpoint,
  checkSummary,
  endpointsOf,
  parseRoute,
  pathSegments,
  rowParam,
  targetPackage,
  type EndpointProject,
  type EndpointSpec,
  type EndpointTarget,
  type HttpMethod,
  type SchemaSpec,
} from './endpoints.js';

function fail(message: string): never {
  throw new UserError(message);
}

/**
 * The name inferred from the route: a POST's words then the resource, one row or its plural
 * (`POST /orders/{order_id}/cancel`: `cancel_order`); other methods, the method, the resource and
 * the words (`GET /orders/stats`: `get_orders_stats`).
 */
export function inferredName(method: HttpMethod, path: string, target: EndpointTarget): string {
  const segments = pathSegments({ path, target });
  const words = segments.flatMap((s) => ('literal' in s ? [snake(s.literal)] : []));
  const subject =
    target.kind === 'module'
      ? target.name
      : rowParam({ path, target })
        ? target.name
        : plural(target.name);
  // A POST's words are its verb (cancel_order); other methods say theirs (get_orders_stats).
  const verb = method.toLowerCase();
  const parts =
    method === 'POST' && words.length > 0 ? [...words, subject] : [verb, subject, ...words];
  const name = parts.join('_');
  return /^[a-z]/.test(name) ? name : `${verb}_${name}`;
}

/**
 * Parses `--request` / `--response` text: `Name:"a:str,b:int"`, or the fields alone (the class
 * is then `<Endpoint>Request` / `<Endpoint>Response`); for a response, also a resource's name.
 */
export function parseSchemaOption(
  raw: string,
  what: 'request' | 'response',
  endpointName: string,
  project: EndpointProject,
): SchemaSpec | { resource: string } {
  const text = raw.trim();
  if (text === '')
    fail(`--${what}: empty; e.g. --${what} ${pascal(endpointName)}${pascal(what)}:"reason:text"`);
  if (what === 'response' && !text.includes(':')) {
    return { resource: resolveResource(text, project, '--response').name };
  }
  const named = /^([A-Za-z][A-Za-z0-9_]*):(.*)$/s.exec(text);
  const first = named?.[1] ?? '';
  const hasName = named !== null && /^[A-Z]/.test(first) && !/^[a-z]/.test(first);
  const name = hasName ? first : `${pascal(endpointName)}${pascal(what)}`;
  const fieldsText = hasName ? (named?.[2] ?? '') : text;
  const fields = fieldsText
    .split(/,(?![^()]*\))/)
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .map((f) => {
      try {
        return parseField(f);
      } catch (error) {
        fail(`--${what}: ${(error as Error).message}`);
      }
    });
  return { name, fields };
}

/** The resource named `raw` in any of its spellings (`orders`, `Order`, `order`). */
export function resolveResource(
  raw: string,
  project: EndpointProject,
  where: string,
): ResourceSpec {
  const wanted = snake(raw.trim());
  const found = project.resources.find(
    (r) => r.name === wanted || resourceNames(r.name).plural === wanted,
  );
  if (!found) {
    fail(
      `${where}: no resource ${JSON.stringify(raw)} in this project; resources: ${project.resources.map((r) => r.name).join(', ') || 'none'}`,
    );
  }
  return found;
}

/** The resource, or the module package with a router, that `raw` names. */
export function resolveTarget(raw: string, project: EndpointProject): EndpointTarget {
  const wanted = snake(raw.trim());
  if (/[\\/]/.test(raw) || raw.includes('..') || wanted === '') {
    fail(`add endpoint: ${JSON.stringify(raw)} is not a resource or module name`);
  }
  const resource = project.resources.find(
    (r) => r.name === wanted || resourceNames(r.name).plural === wanted,
  );
  if (resource) return { kind: 'resource', name: resource.name };
  const kinds = project.modules.filter((m) => m.name === wanted).map((m) => m.kind);
  if (kinds.includes('router')) return { kind: 'module', name: wanted };
  if (kinds.length > 0) {
    fail(`module ${wanted} has no router to add an endpoint to: add router ${wanted} first`);
  }
  const routers = project.modules.filter((m) => m.kind === 'router').map((m) => m.name);
  fail(
    `no resource or router module ${JSON.stringify(raw)} in this project; there are ${[...project.resources.map((r) => r.name), ...routers].join(', ') || 'none'}`,
  );
}

/** What `add endpoint` was given, as typed. */
export interface EndpointInput {
  target: string;
  route: string;
  summary: string | undefined;
  name?: string;
  request?: string;
  response?: string;
  status?: string;
}

/** `add endpoint`: the new endpoint, checked against the project and its package's endpoints. */
export function parseEndpoint(
  input: EndpointInput,
  project: EndpointProject,
  endpoints: readonly EndpointSpec[],
): EndpointSpec {
  const target = resolveTarget(input.target, project);
  const { method, path } = parseRoute(input.route, target);
  if (input.summary === undefined)
    fail('add endpoint: --summary is required: what the endpoint does, in one sentence');
  const summary = checkSummary(input.summary);
  let name: string;
  if (input.name !== undefined) {
    const typed = snake(input.name);
    if (!IDENTIFIER.test(typed) || /[\\/]/.test(input.name)) {
      fail(
        `--name ${JSON.stringify(input.name)}: not a usable Python name (letters, digits, _, at most 40)`,
      );
    }
    name = typed;
  } else {
    name = inferredName(method, path, target);
    if (!IDENTIFIER.test(name))
      fail(`the name made from the path, ${name}, is too long: give one with --name`);
  }
  const request =
    input.request === undefined
      ? undefined
      : parseSchemaOption(input.request, 'request', name, project);
  if (request && 'resource' in request)
    fail('--request: fields, e.g. CancelRequest:"reason:text:optional"');
  const response =
    input.response === undefined
      ? undefined
      : parseSchemaOption(input.response, 'response', name, project);
  let status = response ? 200 : 204;
  if (input.status !== undefined) {
    if (!/^\d{3}$/.test(input.status.trim()) || !(Number(input.status) in ENDPOINT_STATUSES)) {
      fail(
        `--status ${JSON.stringify(input.status)}: use ${Object.keys(ENDPOINT_STATUSES).join(', ')}`,
      );
    }
    status = Number(input.status);
  }
  const endpoint: EndpointSpec = {
    name,
    target,
    method,
    path,
    summary,
    status,
    ...(request ? { request } : {}),
    ...(response ? { response } : {}),
  };
  checkEndpoint(endpoint, project, endpointsOf(endpoints, target));
  return endpoint;
}

/** The endpoint of `target` that `raw` names: its name (`cancel_order`) or its route. */
export function findEndpoint(
  endpoints: readonly EndpointSpec[],
  target: EndpointTarget,
  raw: string,
): EndpointSpec {
  const mine = endpointsOf(endpoints, target);
  const route = raw.trim().split(/\s+/);
  const found =
    route.length === 2
      ? mine.find(
          (e) =>
            e.method === route[0]?.toUpperCase() &&
            e.path === route[1]?.replace(/^\/api\/v1(?=\/)/, ''),
        )
      : mine.find((e) => e.name === snake(raw.trim()));
  if (found) return found;
  fail(
    `no endpoint ${JSON.stringify(raw)} in ${targetPackage(target)}; its endpoints: ${mine.map((e) => `${e.name} (${e.method} ${e.path})`).join(', ') || 'none'}`,
  );
}
