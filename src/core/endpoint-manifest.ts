/**
 * The manifest's `endpoints`, read back: each value's type first, then every rule the command
 * line applies (`checkEndpoint`), so a hand edit can hold nothing `add endpoint` would refuse.
 */
import { UserError } from './errors.js';
import {
  HTTP_METHODS,
  checkEndpoints,
  type EndpointProject,
  type EndpointSpec,
  type HttpMethod,
  type ResponseSpec,
  type SchemaSpec,
} from './endpoints.js';
import type { FieldSpec } from './resources.js';

/** Checks one field of a schema as the manifest's resources' fields are checked. */
export type FieldCheck = (value: unknown, where: string) => FieldSpec;

const ENDPOINT_KEYS = [
  'name',
  'target',
  'method',
  'path',
  'summary',
  'status',
  'request',
  'response',
  'filled',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(where: string, message: string): never {
  throw new UserError(`${where}: ${message}`);
}

function only(value: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(where, `unknown key "${key}"; keys are ${keys.join(', ')}`);
  }
}

function str(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, 'must be a string');
  return value;
}

function schema(value: unknown, where: string, field: FieldCheck): SchemaSpec {
  if (!isObject(value)) fail(where, 'must be a mapping with "name" and "fields"');
  only(value, ['name', 'fields'], where);
  if (!Array.isArray(value.fields)) fail(`${where}.fields`, 'must be a list');
  return {
    name: str(value.name, `${where}.name`),
    fields: value.fields.map((f, i) => field(f, `${where}.fields[${i}]`)),
  };
}

function response(value: unknown, where: string, field: FieldCheck): ResponseSpec {
  if (isObject(value) && 'resource' in value) {
    only(value, ['resource'], where);
    return { resource: str(value.resource, `${where}.resource`) };
  }
  return schema(value, where, field);
}

/** The manifest's `endpoints` (absent: none), each checked against the project. */
export function endpointsFromJson(
  value: unknown,
  where: string,
  project: EndpointProject,
  field: FieldCheck,
): EndpointSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(where, 'must be a list');
  const endpoints = value.map((raw, i): EndpointSpec => {
    const at = `${where}[${i}]`;
    if (!isObject(raw)) fail(at, 'must be an endpoint (a mapping)');
    only(raw, ENDPOINT_KEYS, at);
    const target = raw.target;
    if (!isObject(target) || (target.kind !== 'resource' && target.kind !== 'module')) {
      fail(`${at}.target`, 'must be {"kind": "resource" | "module", "name": ...}');
    }
    only(target, ['kind', 'name'], `${at}.target`);
    const method = str(raw.method, `${at}.method`);
    if (!(HTTP_METHODS as readonly string[]).includes(method)) {
      fail(`${at}.method`, `must be one of ${HTTP_METHODS.join(', ')}`);
    }
    if (typeof raw.status !== 'number' || !Number.isInteger(raw.status)) {
      fail(`${at}.status`, 'must be a status code');
    }
    let filled: EndpointSpec['filled'];
    if (raw.filled !== undefined) {
      if (!isObject(raw.filled)) fail(`${at}.filled`, 'must be {"model": ..., "sha256": ...}');
      only(raw.filled, ['model', 'sha256'], `${at}.filled`);
      filled = {
        model: str(raw.filled.model, `${at}.filled.model`),
        sha256: str(raw.filled.sha256, `${at}.filled.sha256`),
      };
    }
    return {
      name: str(raw.name, `${at}.name`),
      target: {
        kind: target.kind as 'resource' | 'module',
        name: str(target.name, `${at}.target.name`),
      },
      method: method as HttpMethod,
      path: str(raw.path, `${at}.path`),
      summary: str(raw.summary, `${at}.summary`),
      status: raw.status,
      ...(raw.request === undefined
        ? {}
        : { request: schema(raw.request, `${at}.request`, field) }),
      ...(raw.response === undefined
        ? {}
        : { response: response(raw.response, `${at}.response`, field) }),
      ...(filled ? { filled } : {}),
    };
  });
  try {
    checkEndpoints(endpoints, project);
  } catch (error) {
    fail(where, (error as Error).message);
  }
  return endpoints;
}
