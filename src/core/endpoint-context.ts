/**
 * What the templates of custom endpoints see: `endpoint` in `templates/endpoint/` (the service
 * function's module, its test, the package's `operations/__init__.py`), and `endpoints` /
 * `endpointSchemas` of a resource or module, for its router and its schemas (see endpoints.ts).
 */
import {
  ENDPOINT_STATUSES,
  inRouteOrder,
  pathSegments,
  rowParam,
  targetPackage,
  targetPrefix,
  type EndpointSpec,
  type SchemaSpec,
} from './endpoints.js';
import { pyIdentifier, pyString } from './python-text.js';
import { pascal } from './names.js';
import { docstring, fits, human, message, wrap } from './prose.js';
import { RUFF_LINE_LENGTH } from './python.js';
import { resourceNames, type FieldSpec, type ResourceSpec } from './resources.js';
import { fieldContext, type Project } from './resource/fields.js';
import { samples } from './resource/samples.js';

/** Where an endpoint's own files are: its service function's module and its test. */
export function endpointFiles(endpoint: Pick<EndpointSpec, 'name' | 'target'>): {
  operation: string;
  test: string;
} {
  const pkg = targetPackage(endpoint.target);
  return {
    operation: `app/${pkg}/operations/${endpoint.name}.py`,
    test: `tests/${pkg}/test_${endpoint.name}.py`,
  };
}

/**
 * A docstring's text at `depth`, wrapped to the line length: one line when it fits
 * (`"""text"""`), else lines under the opening quotes and the closing quotes on a line of their
 * own.
 */
export function wrappedDocstring(depth: number, text: string): string {
  // A leading quote would meet the opening ones (Ruff then puts a space between): escape it.
  const one = docstring(depth, text).replace(/^"/, '\\"');
  if (fits(depth, `"""${one}"""`)) return one;
  const indent = '    '.repeat(depth);
  // Wrapped as if each line ended in quotes too: Ruff joins a one-line docstring's closing
  // quotes to its line, which must then still fit.
  const lines = wrap(`"""${one}`, RUFF_LINE_LENGTH - indent.length - 3);
  if (lines.length === 1) return one;
  lines[0] = (lines[0] ?? '').slice(3);
  return `${lines.join(`\n${indent}`)}\n${indent}`;
}

/** One field of an endpoint's schema, as its class declares it. */
interface SchemaField {
  column: string;
  /** The annotation, `| None` included. */
  type: string;
  /** `Field(...)`, a literal, or empty. */
  default: string;
}

/** A field of a request (validated as resources' create schemas are) or of a response. */
function schemaField(project: Project, field: FieldSpec, request: boolean): SchemaField {
  // The field is read as if it were a column of a resource of its own: names and types only.
  const holder: ResourceSpec = { name: 'body', owned: false, fields: [field] };
  const f = fieldContext(project, holder, field);
  const values = field.values ?? [];
  const literal = `Literal[${values.map((v) => pyString(v)).join(', ')}]`;
  let type = field.type === 'enum' ? literal : request ? f.inputType : f.pyType;
  if (!request && field.type === 'url') type = 'str';
  const optional = field.required ? '' : ' | None';
  let fallback: string | undefined;
  if (field.default !== undefined) {
    fallback =
      field.type === 'enum' || field.type === 'url'
        ? pyString(field.default)
        : field.type === 'decimal'
          ? `Decimal(${pyString(field.default)})`
          : field.type === 'bool'
            ? field.default === 'true'
              ? 'True'
              : 'False'
            : field.type === 'float' && !field.default.includes('.')
              ? `${field.default}.0`
              : ['int', 'float'].includes(field.type)
                ? field.default
                : pyString(field.default);
  } else if (!field.required) fallback = 'None';
  const constraints = request ? f.constraints : [];
  const inField = [fallback === undefined ? undefined : `default=${fallback}`, ...constraints];
  return {
    column: f.column,
    type: `${type}${optional}`,
    default: constraints.length ? `Field(${inField.filter(Boolean).join(', ')})` : (fallback ?? ''),
  };
}

function schemaContext(project: Project, schema: SchemaSpec, request: boolean) {
  return {
    className: pyIdentifier(schema.name),
    request,
    fields: schema.fields.map((f) => schemaField(project, f, request)),
  };
}

/** The schemas of a package's endpoints, in its `schemas.py`, and the aliases they need. */
export function endpointSchemas(
  project: Project,
  endpoints: readonly EndpointSpec[],
): {
  schemas: Array<ReturnType<typeof schemaContext>>;
  uses: { url: boolean; datetime: boolean };
} {
  const schemas: Array<ReturnType<typeof schemaContext>> = [];
  const requestFields: FieldSpec[] = [];
  for (const e of endpoints) {
    if (e.request) {
      schemas.push(schemaContext(project, e.request, true));
      requestFields.push(...e.request.fields);
    }
    if (e.response && 'name' in e.response) {
      schemas.push(schemaContext(project, e.response, false));
    }
  }
  return {
    schemas,
    uses: {
      url: requestFields.some((f) => f.type === 'url'),
      datetime: requestFields.some((f) => f.type === 'datetime'),
    },
  };
}

/** A valid value of a request field, as a Python expression of JSON. */
function sampleValue(field: FieldSpec): string {
  if (field.type === 'ref') return '1';
  if (field.type === 'uuid') return pyString('00000000-0000-0000-0000-000000000001');
  return samples(field).literals[0] ?? 'None';
}

/** The context of one endpoint: see templates/endpoint/ and the routers' templates. */
export function endpointContext(
  project: Project,
  endpoint: EndpointSpec,
  siblings: readonly EndpointSpec[],
) {
  const pkg = targetPackage(endpoint.target);
  const resource =
    endpoint.target.kind === 'resource'
      ? project.resources.find((r) => r.name === endpoint.target.name)
      : undefined;
  const owned = project.jwt && resource?.owned === true;
  const rowName = rowParam(endpoint);
  const names = resource ? resourceNames(resource.name) : undefined;
  const row =
    rowName && names
      ? { variable: names.name, className: names.className, module: names.module }
      : null;
  const params = pathSegments(endpoint)
    .flatMap((s) => ('param' in s && s.param !== rowName ? [s.param] : []))
    .map((name) => ({ name, int: name.endsWith('_id') }));
  const response = endpoint.response;
  const read =
    response && 'resource' in response
      ? {
          read: `${resourceNames(response.resource).className}Read`,
          model: resourceNames(response.resource).className,
          module: resourceNames(response.resource).module,
        }
      : null;
  const schemaName = response && 'name' in response ? response.name : null;
  const routeParams = [
    ...(row ? [`${row.variable}: ${row.className}Dep`] : []),
    ...params.map((p) => `${p.name}: ${p.int ? 'RowIdPath' : 'str'}`),
    ...(endpoint.request ? [`data: ${endpoint.request.name}`] : []),
    'session: SessionDep',
    ...(project.jwt ? ['current_user: CurrentUser'] : []),
  ];
  const functionParams = [
    'session: Session',
    ...(row ? [`${row.variable}: ${row.className}`] : []),
    ...params.map((p) => `${p.name}: ${p.int ? 'int' : 'str'}`),
    ...(endpoint.request ? [`data: ${endpoint.request.name}`] : []),
    ...(project.jwt ? ['current_user: User'] : []),
  ];
  const callArgs = [
    'session',
    ...(row ? [row.variable] : []),
    ...params.map((p) => p.name),
    ...(endpoint.request ? ['data'] : []),
    ...(project.jwt ? ['current_user'] : []),
  ];
  const apiPath = `/api/v1${endpoint.path}`;
  const urlPath = pathSegments(endpoint)
    .map((s) =>
      'literal' in s
        ? `/${s.literal}`
        : s.param === rowName
          ? "/{row['id']}"
          : `/${s.param.endsWith('_id') ? '1' : 'example'}`,
    )
    .join('');
  const testUrl = row
    ? `f"/api/v1${targetPrefix(endpoint.target)}${urlPath}"`
    : pyString(`/api/v1${targetPrefix(endpoint.target)}${urlPath}`);
  const anonymousUrl = pyString(
    `/api/v1${targetPrefix(endpoint.target)}${urlPath.replace("{row['id']}", '1')}`,
  );
  const schemaImports = [endpoint.request?.name, schemaName].filter(
    (n): n is string => n !== undefined && n !== null,
  );
  const status = endpoint.status === 200 ? null : (ENDPOINT_STATUSES[endpoint.status] ?? null);
  const route = `${endpoint.method} ${apiPath}`;
  return {
    name: pyIdentifier(endpoint.name),
    package: pyIdentifier(pkg),
    method: endpoint.method.toLowerCase(),
    /** The path inside the package's router (its prefix removed): `/{order_id}/cancel`. */
    routePath: endpoint.path.slice(targetPrefix(endpoint.target).length),
    route,
    status,
    jwt: project.jwt,
    owned,
    row,
    routeParams,
    functionParams,
    callArgs,
    request: endpoint.request ? { className: endpoint.request.name } : null,
    /**
     * `read`: the resource's read schema the route validates the row into (else null); `body`:
     * whether it answers a body at all.
     */
    response: { read: read?.read ?? null, body: read !== null || schemaName !== null },
    /** The model the service function returns, for `--response <resource>`. */
    responseModel: read ? { className: read.model, module: read.module } : null,
    returns: read?.read ?? schemaName ?? 'None',
    serviceReturns: read?.model ?? schemaName ?? 'None',
    schemaImports,
    /** The names of the package's endpoints, for `operations/__init__.py`. */
    siblings: siblings.map((s) => s.name).sort(),
    client: project.jwt ? 'user_client' : 'client',
    testUrl,
    anonymousUrl,
    payload: endpoint.request
      ? endpoint.request.fields
          .filter((f) => f.required && f.default === undefined)
          .map((f) => ({
            key: f.type === 'ref' ? `${f.name}_id` : f.name,
            value: sampleValue(f),
          }))
      : null,
    docs: {
      summary: wrappedDocstring(1, endpoint.summary),
      module: docstring(
        0,
        `The service function of ${route}.`,
        `The service function of ${endpoint.name}.`,
        'The service function of a custom endpoint.',
      ),
      test: docstring(0, `Tests of ${route}.`, `Tests of ${endpoint.name}.`),
      package: docstring(
        0,
        `Custom operations of ${human(pkg)}: one module each, its body yours to write.`,
        'Custom operations: one module each, its body yours to write.',
      ),
      tests: docstring(
        0,
        `Tests of the custom endpoints of ${human(pkg)}.`,
        'Tests of custom endpoints.',
      ),
    },
    messages: {
      notImplemented: message(2, `${endpoint.name} is not implemented yet`, 'Not implemented yet'),
    },
    className: pascal(endpoint.name),
  };
}

export type EndpointContext = ReturnType<typeof endpointContext>;

/** The contexts of a package's endpoints, in route order (see `inRouteOrder`). */
export function packageEndpoints(
  project: Project,
  endpoints: readonly EndpointSpec[],
  kind: 'resource' | 'module',
  name: string,
): EndpointContext[] {
  const mine = endpoints.filter((e) => e.target.kind === kind && e.target.name === name);
  return inRouteOrder(mine).map((e) => endpointContext(project, e, mine));
}
