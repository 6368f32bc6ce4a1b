/**
 * Custom endpoints (`add endpoint orders "POST /orders/{order_id}/cancel" --summary "..."`): an
 * operation on a resource or on a module's router that CRUD does not give, recorded in the
 * manifest (`endpoints`) and rendered without a model:
 *
 * - the route, in the package's `router.py`, before its CRUD routes (so that `/orders/stats` is
 *   not read as `/orders/{order_id}`);
 * - its request and response schemas, in the package's `schemas.py`;
 * - its service function, alone in `app/<package>/operations/<name>.py`, whose docstring is the
 *   summary and whose body raises `NotImplementedYetError` (501);
 * - a test that pins that 501, alone in `tests/<package>/test_<name>.py`.
 *
 * What is inferred: the function's name (the path's words and the resource: `cancel_order`), the
 * row it acts on (`{order_id}` right after `/orders` is an order, fetched by the resource's own
 * dependency: with an owned resource, only its owner or an admin reaches it, anyone else gets
 * 404), the signed-in user (with JWT every endpoint of a resource or module needs one, and the
 * function is given `current_user`), and the status: 200 when it answers a body, 204 when not
 * (`--status 201|202` for a creation or an accepted job). A POST that acts on an existing row
 * answers 200: it changes a row, it creates none.
 *
 * Everything the user typed is checked here, once, and so is every endpoint a manifest holds
 * (`checkEndpoint`): the manifest is input like the command line.
 */
import { UserError } from './errors.js';
import type { ModuleSpec } from './modules.js';
import { pascal, plural } from './names.js';
import { RESERVED, resourceNames, type FieldSpec, type ResourceSpec } from './resources.js';

/** Where the API's routers are mounted (`API_PREFIX` in the generated app/core/config.py). */
export const API_PREFIX = '/api/v1';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The success statuses an endpoint may declare, with the name `fastapi.status` gives each. */
export const ENDPOINT_STATUSES: Readonly<Record<number, string>> = {
  200: 'HTTP_200_OK',
  201: 'HTTP_201_CREATED',
  202: 'HTTP_202_ACCEPTED',
  204: 'HTTP_204_NO_CONTENT',
};

/** A request or response body declared with the field syntax of `add resource --fields`. */
export interface SchemaSpec {
  /** PascalCase class name, in the package's `schemas.py`. */
  name: string;
  fields: FieldSpec[];
}

/** The response: a resource's read schema (`--response order`), or a schema of its own. */
export type ResponseSpec = { resource: string } | SchemaSpec;

export interface EndpointTarget {
  kind: 'resource' | 'module';
  /** The resource's singular name, or the module's package. */
  name: string;
}

/**
 * What `fill` records when a model wrote the body: the model, and the SHA-256 of the body it
 * wrote (see `bodyHash` in endpoint-body.ts). A body whose hash differs was edited by hand.
 */
export interface EndpointFill {
  model: string;
  sha256: string;
}

/** One custom endpoint, as the manifest keeps it. */
export interface EndpointSpec {
  /** The service function and the route: snake_case, unique in its package. */
  name: string;
  target: EndpointTarget;
  method: HttpMethod;
  /** Under `/api/v1`, starting with the package's prefix: `/orders/{order_id}/cancel`. */
  path: string;
  /** One paragraph: the docstrings of the route and of the service function. */
  summary: string;
  status: number;
  request?: SchemaSpec;
  response?: ResponseSpec;
  filled?: EndpointFill;
}

/** What an endpoint is checked against: the project around it. */
export interface EndpointProject {
  resources: readonly ResourceSpec[];
  modules: readonly ModuleSpec[];
  jwt: boolean;
}

/** A segment of a path after the package's prefix. */
export type Segment = { literal: string } | { param: string };

export const IDENTIFIER = /^[a-z][a-z0-9_]{0,39}$/;
const SCHEMA_NAME = /^[A-Z][A-Za-z0-9]{0,39}$/;
const LITERAL = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** The longest path: every line of the route and its test still fits (E501). */
const MAX_PATH = 100;
export const MAX_SUMMARY = 300;

/**
 * Names a path parameter or an endpoint may not take: the other parameters and locals of the
 * route and the function, Python's keywords, and builtins a parameter would shadow (A002).
 */
const TAKEN_LOCALS = new Set([
  ...RESERVED,
  ...'session data current_user result operations router service status response request payload row rows user api client user_client url'.split(
    ' ',
  ),
  ...'all any bin bytes callable chr compile dict dir divmod filter float format frozenset hash help hex id input int iter len list locals map max min next object oct open ord pow print property range repr round set slice sorted str sum super tuple type vars zip'.split(
    ' ',
  ),
]);

/** Names a schema may not take in a package's `schemas.py` and the modules importing it. */
const TAKEN_CLASSES = new Set(
  'AfterValidator Annotated Any APIRouter AwareDatetime BaseModel ConfigDict CurrentUser Decimal Depends EmailStr Field HttpUrl HttpUrlString Int32 Literal Page PageParams PlainSerializer PlainStr Role RowId RowIdPath Session SessionDep UTC UUID User UtcDatetime ValidationInfo'.split(
    ' ',
  ),
);

function fail(message: string): never {
  throw new UserError(message);
}

/** The prefix of a target's router under `/api/v1`: `/orders`, `/reports`. */
export function targetPrefix(target: EndpointTarget): string {
  return `/${target.kind === 'resource' ? resourceNames(target.name).plural : target.name}`;
}

/** The package of a target: `app/<package>/`. */
export const targetPackage = (target: EndpointTarget): string =>
  target.kind === 'resource' ? resourceNames(target.name).module : target.name;

/** The segments after the prefix; the path is assumed checked. */
export function pathSegments(endpoint: Pick<EndpointSpec, 'path' | 'target'>): Segment[] {
  const rest = endpoint.path.slice(targetPrefix(endpoint.target).length);
  return rest
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (s.startsWith('{') ? { param: s.slice(1, -1) } : { literal: s }));
}

/** Whether the endpoint acts on one row of its resource: `{<resource>_id}` right after the prefix. */
export function rowParam(endpoint: Pick<EndpointSpec, 'path' | 'target'>): string | null {
  if (endpoint.target.kind !== 'resource') return null;
  const first = pathSegments(endpoint)[0];
  const param = `${endpoint.target.name}_id`;
  return first && 'param' in first && first.param === param ? param : null;
}

/** The route as the router's clash check sees it: the method, and the path with its parameters blank. */
function routeKey(method: string, segments: readonly Segment[]): string {
  return `${method} ${segments.map((s) => ('param' in s ? '/{}' : `/${s.literal}`)).join('')}`;
}

/** The routes the generator writes itself in a package's router, as `routeKey` gives them. */
function builtInRoutes(target: EndpointTarget): Array<[string, string]> {
  const row = [{ param: 'id' }];
  if (target.kind === 'resource') {
    return [
      [routeKey('POST', []), 'create'],
      [routeKey('GET', []), 'list'],
      [routeKey('GET', row), 'read'],
      [routeKey('PATCH', row), 'update'],
      [routeKey('DELETE', row), 'delete'],
    ];
  }
  return [
    [routeKey('GET', []), 'the example endpoint'],
    [routeKey('POST', []), "the task's endpoint"],
    [routeKey('GET', [{ literal: 'ws' }]), 'the WebSocket channel'],
  ];
}

/** Parses `"POST /orders/{order_id}/cancel"` (a leading `/api/v1` is allowed) for `target`. */
export function parseRoute(
  text: string,
  target: EndpointTarget,
): { method: HttpMethod; path: string } {
  const parts = text.trim().split(/\s+/);
  const example = `"POST ${targetPrefix(target)}/{${target.kind === 'resource' ? `${target.name}_id` : 'id'}}/archive"`;
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    fail(`route ${JSON.stringify(text)}: expected "METHOD /path", e.g. ${example}`);
  }
  const method = parts[0].toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(method)) {
    fail(
      `route ${JSON.stringify(text)}: method ${JSON.stringify(parts[0])} is not one of ${HTTP_METHODS.join(', ')}`,
    );
  }
  const given = parts[1].startsWith(`${API_PREFIX}/`)
    ? parts[1].slice(API_PREFIX.length)
    : parts[1];
  const path = checkPath(given, target);
  return { method: method as HttpMethod, path };
}

/** Checks a path under `/api/v1` for `target`: its prefix, then literal words and `{name}` parameters. */
function checkPath(path: string, target: EndpointTarget): string {
  const prefix = targetPrefix(target);
  const quoted = JSON.stringify(path);
  if (path.length > MAX_PATH) fail(`path ${quoted}: at most ${MAX_PATH} characters`);
  if (!path.startsWith('/')) fail(`path ${quoted}: starts with /, e.g. ${prefix}/...`);
  if (path !== prefix && !path.startsWith(`${prefix}/`)) {
    fail(`path ${quoted}: the ${target.kind} ${target.name}'s routes start with ${prefix}`);
  }
  if (path.endsWith('/') && path !== '/') fail(`path ${quoted}: no trailing /`);
  const segments = path.slice(prefix.length).split('/').slice(1);
  const params = new Set<string>();
  const row = `${target.name}_id`;
  segments.forEach((segment, i) => {
    if (segment === '') fail(`path ${quoted}: an empty segment (//)`);
    const param = /^\{(.*)\}$/.exec(segment)?.[1];
    if (param === undefined) {
      if (!LITERAL.test(segment)) {
        fail(
          `path ${quoted}: segment ${JSON.stringify(segment)} is neither a word (a-z, 0-9, - and _) nor a {parameter}`,
        );
      }
      return;
    }
    if (!IDENTIFIER.test(param)) {
      fail(
        `path ${quoted}: parameter {${param}} is not a usable Python name (a-z, 0-9 and _, starting with a letter)`,
      );
    }
    if (param === row && (i !== 0 || target.kind !== 'resource')) {
      fail(`path ${quoted}: {${row}} names the row, right after ${prefix}`);
    }
    if (TAKEN_LOCALS.has(param) || (target.kind === 'resource' && param === target.name)) {
      fail(
        `path ${quoted}: parameter {${param}} is a name the generated function uses or a Python builtin; choose another`,
      );
    }
    if (params.has(param)) fail(`path ${quoted}: parameter {${param}} appears twice`);
    params.add(param);
  });
  return path;
}

/** Checks a summary and returns it with its white space collapsed. */
export function checkSummary(raw: string): string {
  const summary = raw.replace(/\s+/g, ' ').trim();
  if (summary === '') {
    fail(
      'summary: empty; say in one sentence what the endpoint does, e.g. --summary "Cancel an order unless it has shipped"',
    );
  }
  if (summary.length > MAX_SUMMARY) {
    fail(`summary: at most ${MAX_SUMMARY} characters (${summary.length} given)`);
  }
  if (/\p{C}/u.test(summary)) fail('summary: holds control or invisible formatting characters');
  const long = summary.split(' ').find((w) => w.length > 60);
  if (long !== undefined)
    fail(`summary: a word of more than 60 characters (${JSON.stringify(long.slice(0, 20))}...)`);
  return summary;
}

/** The class names a package's `schemas.py` (and the modules importing from it) already have. */
function takenClassNames(target: EndpointTarget, project: EndpointProject): Set<string> {
  const taken = new Set(TAKEN_CLASSES);
  for (const resource of project.resources) {
    const { className } = resourceNames(resource.name);
    for (const suffix of [
      '',
      'Read',
      'Create',
      'Update',
      'ListParams',
      'SortKey',
      'Dep',
      'ListParamsDep',
    ]) {
      taken.add(`${className}${suffix}`);
    }
    for (const field of resource.fields) {
      if (field.type === 'enum') taken.add(`${className}${pascal(field.name)}`);
    }
  }
  if (target.kind === 'module') taken.add(`${pascal(target.name)}Message`);
  return taken;
}

const SCHEMA_ONLY_MODIFIERS: ReadonlyArray<[keyof FieldSpec, string]> = [
  ['unique', 'unique'],
  ['index', 'index'],
  ['reverse', 'reverse'],
];

/** Checks a schema's fields: what a table declares (unique, index, reverse) has no place in a body. */
function checkSchemaFields(schema: SchemaSpec, project: EndpointProject, what: string): void {
  if (schema.fields.length === 0) fail(`${what} ${schema.name}: no fields`);
  const names = new Set<string>();
  for (const field of schema.fields) {
    for (const [key, word] of SCHEMA_ONLY_MODIFIERS) {
      if (field[key] === true) {
        fail(
          `${what} ${schema.name}.${field.name}: "${word}" applies to a table's fields, not to a request or response body`,
        );
      }
    }
    const column = field.type === 'ref' ? `${field.name}_id` : field.name;
    for (const name of new Set([field.name, column])) {
      if (names.has(name))
        fail(`${what} ${schema.name}.${field.name}: declared twice (as ${name})`);
      names.add(name);
    }
    if (field.type === 'ref') {
      const known =
        project.resources.some((r) => r.name === field.ref) ||
        (project.jwt && field.ref === 'user');
      if (!known)
        fail(
          `${what} ${schema.name}.${field.name}: ref(${field.ref}) names no resource of this project`,
        );
    }
  }
}

/** The endpoints of the package `target`, other than `name`. */
export const endpointsOf = (
  endpoints: readonly EndpointSpec[],
  target: EndpointTarget,
  name?: string,
): EndpointSpec[] =>
  endpoints.filter(
    (e) => e.target.kind === target.kind && e.target.name === target.name && e.name !== name,
  );

/** The names a package's router module defines besides custom endpoints. */
function builtInFunctions(target: EndpointTarget): string[] {
  const n = target.name;
  if (target.kind === 'module') return [`read_${n}`, `start_${n}`];
  const many = plural(n);
  return [
    `create_${n}`,
    `list_${many}`,
    `read_${n}`,
    `update_${n}`,
    `delete_${n}`,
    `get_${n}`,
    `get_${n}_or_404`,
  ];
}

/**
 * Checks one endpoint against its project and the package's other endpoints (`siblings`, not
 * including itself). Every rule of the command line applies: this is also the manifest's check.
 */
export function checkEndpoint(
  endpoint: EndpointSpec,
  project: EndpointProject,
  siblings: readonly EndpointSpec[],
): void {
  const { target } = endpoint;
  if (target.kind === 'resource' && !project.resources.some((r) => r.name === target.name)) {
    fail(`endpoint ${endpoint.name}: no resource ${target.name} in this project`);
  }
  if (
    target.kind === 'module' &&
    !project.modules.some((m) => m.name === target.name && m.kind === 'router')
  ) {
    fail(`endpoint ${endpoint.name}: no router module ${target.name} in this project`);
  }
  const { method, path } = parseRoute(`${endpoint.method} ${endpoint.path}`, target);
  if (method !== endpoint.method || path !== endpoint.path) {
    fail(`endpoint ${endpoint.name}: write the route as "${method} ${path}"`);
  }
  const key = routeKey(method, pathSegments(endpoint));
  const builtIn = builtInRoutes(target).find(([k]) => k === key);
  if (builtIn) {
    fail(
      `route "${method} ${path}" clashes with ${target.kind === 'resource' ? `the ${builtIn[1]} route of ${target.name}` : `${builtIn[1]} of ${target.name}`}`,
    );
  }
  for (const sibling of siblings) {
    if (routeKey(sibling.method, pathSegments(sibling)) === key) {
      fail(
        `route "${method} ${path}" clashes with the endpoint ${sibling.name} ("${sibling.method} ${sibling.path}")`,
      );
    }
  }
  const name = endpoint.name;
  if (!IDENTIFIER.test(name)) {
    fail(
      `endpoint name ${JSON.stringify(name)}: not a usable Python name (a-z, 0-9 and _, at most 40)`,
    );
  }
  if (TAKEN_LOCALS.has(name) || builtInFunctions(target).includes(name) || name === target.name) {
    fail(
      `endpoint name ${JSON.stringify(name)}: a name the generated modules use; choose another with --name`,
    );
  }
  if (checkSummary(endpoint.summary) !== endpoint.summary) {
    fail(`endpoint ${name}: the summary has white space to collapse`);
  }
  if (!(endpoint.status in ENDPOINT_STATUSES)) {
    fail(
      `endpoint ${name}: status ${endpoint.status}: use ${Object.keys(ENDPOINT_STATUSES).join(', ')}`,
    );
  }
  if (endpoint.status === 204 && endpoint.response) {
    fail(`endpoint ${name}: status 204 answers no body, but a response is declared`);
  }
  if (endpoint.request && (method === 'GET' || method === 'DELETE')) {
    fail(
      `endpoint ${name}: a ${method} request has no body; drop --request or use POST, PUT or PATCH`,
    );
  }
  const classes = takenClassNames(target, project);
  const schemaNames = new Set<string>();
  for (const sibling of siblings) {
    if (sibling.name === name)
      fail(
        `endpoint name ${JSON.stringify(name)}: ${targetPackage(target)} already has an endpoint ${name}; choose another with --name`,
      );
    for (const schema of [sibling.request, sibling.response]) {
      if (schema && 'name' in schema) schemaNames.add(schema.name);
    }
  }
  const own: string[] = [];
  for (const [what, schema] of [
    ['request', endpoint.request],
    ['response', endpoint.response],
  ] as const) {
    if (!schema) continue;
    if ('resource' in schema) {
      if (what === 'request' || !project.resources.some((r) => r.name === schema.resource)) {
        fail(
          `endpoint ${name}: ${what} names no resource of this project (${JSON.stringify(schema.resource)})`,
        );
      }
      continue;
    }
    if (!SCHEMA_NAME.test(schema.name)) {
      fail(
        `${what} schema ${JSON.stringify(schema.name)}: a class name in PascalCase (A-Z, a-z, 0-9, at most 40)`,
      );
    }
    if (classes.has(schema.name) || schemaNames.has(schema.name) || own.includes(schema.name)) {
      fail(`${what} schema ${schema.name}: a class of that name exists already; choose another`);
    }
    own.push(schema.name);
    checkSchemaFields(schema, project, what);
  }
  if (endpoint.filled) {
    if (
      !/^[\w.:/@-]{1,100}$/.test(endpoint.filled.model) ||
      !/^[0-9a-f]{64}$/.test(endpoint.filled.sha256)
    ) {
      fail(`endpoint ${name}: "filled" needs a model id and the body's sha256`);
    }
  }
}

/** Checks every endpoint of a project, each against the others of its package. */
export function checkEndpoints(endpoints: readonly EndpointSpec[], project: EndpointProject): void {
  endpoints.forEach((endpoint, i) => {
    checkEndpoint(endpoint, project, endpointsOf(endpoints.slice(0, i), endpoint.target));
  });
}

/** The endpoints that depend on a resource or module: theirs, and responses reading it. */
export function endpointsUsing(
  endpoints: readonly EndpointSpec[],
  target: EndpointTarget,
): EndpointSpec[] {
  return endpoints.filter(
    (e) =>
      (e.target.kind === target.kind && e.target.name === target.name) ||
      (target.kind === 'resource' &&
        e.response !== undefined &&
        'resource' in e.response &&
        e.response.resource === target.name),
  );
}

/**
 * The endpoints of a package in route order: a literal segment before a parameter at the same
 * place, so that `/orders/stats` is matched before `/orders/{order_id}`; then by name.
 */
export function inRouteOrder(endpoints: readonly EndpointSpec[]): EndpointSpec[] {
  const key = (e: EndpointSpec): string =>
    pathSegments(e)
      .map((s) => ('param' in s ? '1' : `0${s.literal}`))
      .join('/');
  return [...endpoints].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) {
      // Compare segment by segment: a shorter path that is a prefix comes first.
      const [sa, sb] = [ka.split('/'), kb.split('/')];
      for (let i = 0; i < Math.min(sa.length, sb.length); i += 1) {
        if (sa[i] !== sb[i]) return (sa[i] ?? '') < (sb[i] ?? '') ? -1 : 1;
      }
      return sa.length - sb.length;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}
