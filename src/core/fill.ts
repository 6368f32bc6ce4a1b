/**
 * `fill`, the pure half: which endpoints' bodies to ask for, what a model is told about each one
 * (gathered from the project's files, given here as text), the module a reply makes, and the
 * summary at the end. The edge (commands/fill.ts) reads the files, asks, checks and writes.
 */
import { bodyState, findFunction, type BodyState } from './endpoint-body.js';
import { endpointFiles } from './endpoint-context.js';
import { rowParam, targetPackage, type EndpointSpec } from './endpoints.js';
import { UserError } from './errors.js';
import type { BodyContext, TestContext } from './llm/prompt.js';
import { SAFE_STDLIB_IMPORTS, type ParsedBody, type ReplyRules } from './llm/reply.js';
import { TEST_IMPORTS, type TestRules } from './llm/test-reply.js';
import { spliceBody } from './endpoint-body.js';
import { resourceNames } from './resources.js';

/** The stub's error: a body that only raises it is no body. */
export const STUB_ERROR = 'NotImplementedYetError';
export const ERRORS_MODULE = 'app/core/errors.py';
export const CONFTEST = 'tests/conftest.py';

/** The domain libraries a body may import, by ORM: no web framework, no I/O of their own. */
export function domainImports(orm: string): string[] {
  const libs: Record<string, string[]> = {
    sqlalchemy: ['sqlalchemy'],
    sqlmodel: ['sqlmodel', 'sqlalchemy'],
    tortoise: ['tortoise'],
  };
  return ['pydantic', ...(libs[orm] ?? [])];
}

export interface FillTarget {
  endpoint: EndpointSpec;
  state: BodyState;
}

export interface Skipped {
  name: string;
  state: BodyState;
  reason: string;
}

const SKIP_REASONS: Record<BodyState, (e: EndpointSpec) => string> = {
  stub: () => 'still a stub',
  model: (e) => `written by ${e.filled?.model ?? 'a model'} (--refresh asks again)`,
  user: () => 'written by hand: never replaced',
  missing: (e) => `no function ${e.name} in ${endpointFiles(e).operation}`,
};

/**
 * The endpoints to fill, from those named (all when none) and the state of each body: stubs,
 * and with `refresh` bodies a model wrote that nobody edited since. A name the project does not
 * have is an error.
 */
export function selectEndpoints(
  endpoints: readonly EndpointSpec[],
  names: readonly string[],
  modules: ReadonlyMap<string, string>,
  refresh: boolean,
): { todo: FillTarget[]; skipped: Skipped[] } {
  const unknown = names.filter((n) => !endpoints.some((e) => e.name === n));
  if (unknown.length > 0) {
    throw new UserError(
      `fill: no endpoint ${unknown.map((n) => JSON.stringify(n)).join(', ')} in this project; endpoints: ${endpoints.map((e) => e.name).join(', ') || 'none'}`,
    );
  }
  const todo: FillTarget[] = [];
  const skipped: Skipped[] = [];
  for (const endpoint of endpoints) {
    if (names.length > 0 && !names.includes(endpoint.name)) continue;
    const text = modules.get(endpointFiles(endpoint).operation);
    const state = text === undefined ? 'missing' : bodyState(text, endpoint);
    if (state === 'stub' || (state === 'model' && refresh)) todo.push({ endpoint, state });
    else skipped.push({ name: endpoint.name, state, reason: SKIP_REASONS[state](endpoint) });
  }
  return { todo, skipped };
}

/** The source of a top-level `class Name` (or `def`), or '' when the text has none. */
export function topLevelBlock(text: string, name: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const header = new RegExp(`^(?:class|(?:async\\s+)?def)\\s+${name.replace(/\W/g, '')}\\b`);
  let start = lines.findIndex((l) => header.test(l));
  if (start < 0) return '';
  while (start > 0 && /^@/.test(lines[start - 1] ?? '')) start -= 1;
  let end = start + 1;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    if (line.trim() !== '' && !/^[ \t)\]]/.test(line)) break;
  }
  return lines.slice(start, end).join('\n').replace(/\s+$/, '');
}

/** Every top-level class of a module, as source (the project's error types). */
export function topLevelClasses(text: string): string {
  const names = [...text.matchAll(/^class\s+(\w+)/gm)].map((m) => m[1] ?? '');
  return names.map((n) => topLevelBlock(text, n)).join('\n\n\n');
}

/** A module's top-level functions, each as its `def` line(s) and docstring, body elided. */
export function functionHeads(text: string, only?: (decorators: string) => boolean): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const heads: string[] = [];
  for (const [i, line] of lines.entries()) {
    const m = /^(?:async\s+)?def\s+(\w+)/.exec(line);
    if (!m?.[1]) continue;
    let d = i;
    while (d > 0 && /^@/.test(lines[d - 1] ?? '')) d -= 1;
    const decorators = lines.slice(d, i).join('\n');
    if (only && !only(decorators)) continue;
    const found = findFunction(text, m[1]);
    if (!found) continue;
    const doc = found.docstring ? `\n    """${found.docstring.split('\n')[0] ?? ''}"""` : '';
    heads.push(`${decorators ? `${decorators}\n` : ''}${found.signature}${doc}\n    ...`);
  }
  return heads.join('\n\n\n');
}

/** The files whose text fillContext reads for an endpoint (absent ones are left out). */
export function contextFiles(endpoint: EndpointSpec): string[] {
  const pkg = targetPackage(endpoint.target);
  const files = endpointFiles(endpoint);
  const out = [
    files.operation,
    files.test,
    `app/${pkg}/schemas.py`,
    `app/${pkg}/service.py`,
    ERRORS_MODULE,
    CONFTEST,
  ];
  for (const module of touchedResources(endpoint)) {
    out.push(`app/${module}/models.py`, `app/${module}/schemas.py`);
  }
  return [...new Set(out)];
}

/** The resource packages whose models the body touches: the row of its path, its response. */
function touchedResources(endpoint: EndpointSpec): string[] {
  const out: string[] = [];
  if (rowParam(endpoint) && endpoint.target.kind === 'resource') {
    out.push(resourceNames(endpoint.target.name).module);
  }
  if (endpoint.response && 'resource' in endpoint.response) {
    out.push(resourceNames(endpoint.response.resource).module);
  }
  return [...new Set(out)];
}

export interface EndpointAsk {
  context: BodyContext;
  rules: ReplyRules;
  tests: TestRules;
}

/** What a model is told of an endpoint, and what its reply must respect. */
export function fillContext(
  endpoint: EndpointSpec,
  files: ReadonlyMap<string, string>,
  orm: string,
): EndpointAsk {
  const pkg = targetPackage(endpoint.target);
  const paths = endpointFiles(endpoint);
  const read = (file: string): string => files.get(file) ?? '';
  const found = findFunction(read(paths.operation), endpoint.name);
  if (!found) throw new UserError(`fill: no function ${endpoint.name} in ${paths.operation}`);
  const schemaNames: Array<[string, string]> = [];
  if (endpoint.request) schemaNames.push([`app/${pkg}/schemas.py`, endpoint.request.name]);
  if (endpoint.response && 'name' in endpoint.response) {
    schemaNames.push([`app/${pkg}/schemas.py`, endpoint.response.name]);
  }
  const models: string[] = [];
  for (const module of touchedResources(endpoint)) {
    const className = resourceNames(
      module === resourceNames(endpoint.target.name).module
        ? endpoint.target.name
        : endpoint.response && 'resource' in endpoint.response
          ? endpoint.response.resource
          : endpoint.target.name,
    ).className;
    models.push(topLevelBlock(read(`app/${module}/models.py`), className));
    schemaNames.push([`app/${module}/schemas.py`, `${className}Read`]);
  }
  const schemas = [...new Map(schemaNames.map((s) => [s.join(':'), s])).values()]
    .map(([file, name]) => topLevelBlock(read(file), name))
    .filter(Boolean);
  const allowedImports = [...SAFE_STDLIB_IMPORTS, 'app', ...domainImports(orm)];
  const testImports = [...SAFE_STDLIB_IMPORTS, ...TEST_IMPORTS, 'app', ...domainImports(orm)];
  const current = read(paths.test);
  const keep = [`test_${endpoint.name}_needs_a_signed_in_user`].filter((k) =>
    new RegExp(`def ${k}\\b`).test(current),
  );
  const tests: TestContext = {
    path: paths.test,
    current,
    fixtures: functionHeads(read(CONFTEST), (d) => /fixture/.test(d)),
    keep,
    allowedImports: testImports,
  };
  const service = `app/${pkg}/service.py`;
  return {
    context: {
      functionName: endpoint.name,
      modulePath: paths.operation,
      signature: found.signature,
      docstring: found.docstring,
      schemas: schemas.join('\n\n\n'),
      models: models.filter(Boolean).join('\n\n\n'),
      moduleFunctions: functionHeads(read(service)),
      moduleFunctionsPath: service,
      errorTypes: topLevelClasses(read(ERRORS_MODULE)),
      allowedImports,
      tests,
    },
    rules: {
      functionName: endpoint.name,
      signature: found.signature,
      allowedImports,
      stubError: STUB_ERROR,
    },
    tests: { path: paths.test, allowedImports: testImports, keep },
  };
}

/**
 * The module with the reply's body in place and its imports added under the module's own (the
 * formatter then sorts them and drops those no longer used, the stub's error among them).
 */
export function assembleModule(moduleText: string, name: string, parsed: ParsedBody): string {
  const spliced = spliceBody(moduleText, { name }, parsed.body);
  if (parsed.imports.length === 0) return spliced;
  const lines = spliced.split('\n');
  let at = -1;
  for (const [i, line] of lines.entries()) {
    if (/^(?:async\s+)?def\s|^class\s|^@/.test(line)) break;
    if (/^(?:from\s+\S+\s+import|import)\s/.test(line)) at = i;
  }
  // After the last import (a parenthesised one ends at its closing bracket).
  if (at >= 0 && /\($/.test(lines[at] ?? '')) {
    while (at < lines.length && !/^\)/.test(lines[at] ?? '')) at += 1;
  }
  lines.splice(at + 1, 0, ...parsed.imports);
  return lines.join('\n');
}
