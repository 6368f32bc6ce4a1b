import { pascal } from './names.js';
import { MODULE_KINDS, type ModuleKind, type ModuleSpec } from './modules.js';
import {
  Imports,
  capitalise,
  docstring,
  human,
  py,
  statements,
  tagLine,
} from './resource-context.js';

/**
 * What the templates of one module package see (`templates/module/`, `router/`, `service/`,
 * `task/`, `websocket/`): its names, which kinds it has, and the lines whose length depends on
 * its name, laid out as ruff formats them.
 */
export interface ModuleContext extends Record<ModuleKind, boolean> {
  /** `app/<package>/`, and the URL prefix under `/api/v1`. */
  package: string;
  className: string;
  /** Words for prose: `daily reports`. */
  title: string;
  jwt: boolean;
  docstring: string;
  /** Module docstrings that carry the name, each the first wording that fits a line. */
  docs: Record<'schemas' | 'service' | 'tasks', string>;
  routerFile: Record<string, unknown>;
  serviceFile: Record<string, unknown>;
  taskFile: Record<string, unknown>;
  websocketFile: Record<string, unknown>;
}

/** The module packages of a project, in name order, each with the kinds it has. */
export function modulePackages(modules: readonly ModuleSpec[]): Array<[string, Set<ModuleKind>]> {
  const byName = new Map<string, Set<ModuleKind>>();
  for (const module of modules) {
    const kinds = byName.get(module.name) ?? new Set<ModuleKind>();
    kinds.add(module.kind);
    byName.set(module.name, kinds);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function moduleContext(
  name: string,
  kinds: ReadonlySet<ModuleKind>,
  jwt: boolean,
): ModuleContext {
  const has = Object.fromEntries(MODULE_KINDS.map((k) => [k, kinds.has(k)])) as Record<
    ModuleKind,
    boolean
  >;
  const C = pascal(name);
  const title = human(name);
  const names = { name, C, title, jwt, has };
  return {
    ...has,
    package: name,
    className: C,
    title,
    jwt,
    docstring: docstring(0, `The ${title} module.`, 'A module of the service.'),
    docs: {
      schemas: docstring(
        0,
        `Request and response bodies of the ${title} endpoints.`,
        "Request and response bodies of the module's endpoints.",
      ),
      service: docstring(
        0,
        `Business logic of ${title}: raises domain errors, never HTTP ones.`,
        'Business logic: raises domain errors, never HTTP ones.',
      ),
      tasks: docstring(
        0,
        `Background work of ${title}, run after a response with FastAPI's BackgroundTasks.`,
        "Background work, run after a response with FastAPI's BackgroundTasks.",
      ),
    },
    routerFile: routerFile(names),
    serviceFile: serviceFile(names),
    taskFile: taskFile(names),
    websocketFile: websocketFile(names),
  };
}

interface Names {
  name: string;
  C: string;
  title: string;
  jwt: boolean;
  has: Record<ModuleKind, boolean>;
}

/** The log line of the example task: its code writes it, its tests look for it. */
const taskDone = (name: string): string => `${name}: task done`;

function routerFile({ name, C, jwt, has }: Names): Record<string, unknown> {
  const imports = new Imports()
    .from('fastapi', 'APIRouter')
    .from(`app.${name}.schemas`, `${C}Message`);
  if (jwt) imports.from('fastapi', 'Depends').from('app.auth.dependencies', 'get_current_user');
  if (has.service) imports.from(`app.${name}.dependencies`, `${C}ServiceDep`);
  if (has.task) {
    imports.from('fastapi', 'BackgroundTasks', 'status').from(`app.${name}.tasks`, `run_${name}`);
  }
  const guard = jwt ? ', dependencies=[Depends(get_current_user)]' : '';
  const tests = new Imports().from('httpx', 'AsyncClient');
  if (has.task) tests.import('logging').import('pytest');
  const client = jwt ? 'user_client' : 'client';
  return {
    imports: imports.render(),
    declaration: py(0, `router = APIRouter(prefix="/${name}", tags=["${name}"]${guard})`),
    readSignature: py(
      0,
      `async def read_${name}(${has.service ? `service: ${C}ServiceDep` : ''}) -> ${C}Message:`,
    ),
    readReturn: py(
      1,
      `return ${C}Message(message=${has.service ? 'await service.message()' : '"ready"'})`,
    ),
    startSignature: py(
      0,
      `async def start_${name}(background_tasks: BackgroundTasks) -> ${C}Message:`,
    ),
    startBody: statements(
      1,
      `background_tasks.add_task(run_${name})`,
      `return ${C}Message(message="started")`,
    ),
    testImports: tests.render(),
    readTestSignature: py(0, `async def test_read_${name}(${client}: AsyncClient) -> None:`),
    anonymousTestSignature: py(
      0,
      `async def test_${name}_needs_a_signed_in_user(client: AsyncClient) -> None:`,
    ),
    startTestSignature: py(
      0,
      `async def test_start_${name}_runs_the_task(${client}: AsyncClient, caplog: pytest.LogCaptureFixture) -> None:`,
    ),
    captureTaskLog: py(1, `with caplog.at_level(logging.INFO, logger="app.${name}.tasks"):`),
    startRequest: py(2, `response = await ${client}.post("/api/v1/${name}")`),
    readRequest: py(1, `response = await ${client}.get("/api/v1/${name}")`),
    anonymousRequest: py(1, `response = await client.get("/api/v1/${name}")`),
    taskDone: JSON.stringify(taskDone(name)),
  };
}

function serviceFile({ name, C, title }: Names): Record<string, unknown> {
  return {
    dependencyImports: new Imports()
      .from('typing', 'Annotated')
      .from('fastapi', 'Depends')
      .from('app.db.session', 'SessionDep')
      .from(`app.${name}.service`, `${C}Service`)
      .render(),
    signature: py(0, `def get_${name}_service(session: SessionDep) -> ${C}Service:`),
    alias: py(0, `${C}ServiceDep = Annotated[${C}Service, Depends(get_${name}_service)]`),
    classDoc: docstring(
      1,
      `The operations of ${title}, on the session of the request using them.`,
      'The operations of the module, on the session of the request using them.',
    ),
    testImports: new Imports()
      .from('fastapi', 'FastAPI')
      .from(`app.${name}.dependencies`, `get_${name}_service`)
      .render(),
    build: py(2, `service = get_${name}_service(session)`),
    testSignature: py(0, `async def test_${name}_service_message(app: FastAPI) -> None:`),
  };
}

function taskFile({ name }: Names): Record<string, unknown> {
  return {
    signature: py(0, `async def run_${name}() -> None:`),
    log: py(1, `logger.info(${JSON.stringify(taskDone(name))})`),
    testImports: new Imports()
      .import('logging')
      .import('pytest')
      .from(`app.${name}.tasks`, `run_${name}`)
      .render(),
    testSignature: py(
      0,
      `async def test_run_${name}_logs(caplog: pytest.LogCaptureFixture) -> None:`,
    ),
    captureLog: py(1, `with caplog.at_level(logging.INFO, logger="app.${name}.tasks"):`),
    done: JSON.stringify(taskDone(name)),
  };
}

function websocketFile({ name, C, title, jwt }: Names): Record<string, unknown> {
  const imports = new Imports()
    .import('asyncio')
    .import('contextlib')
    .from('typing', 'Any')
    .from('fastapi', 'APIRouter', 'WebSocket', 'WebSocketDisconnect');
  if (jwt) imports.from('app.auth.dependencies', 'WebSocketUser');
  const tests = new Imports()
    .from('fastapi', 'FastAPI')
    .from('httpx', 'AsyncClient')
    .from('httpx_ws', 'AsyncWebSocketSession', 'aconnect_ws')
    .from('httpx_ws.transport', 'ASGIWebSocketTransport');
  if (jwt) {
    tests
      .import('pytest')
      .from('fastapi', 'status')
      .from('httpx_ws', 'WebSocketDisconnect')
      .from('app.core.config', 'Settings')
      .from('app.core.security', 'create_access_token')
      .from('app.users.models', 'User');
  }
  const message = jwt ? '{"sender": user.id, "message": text}' : '{"message": text}';
  return {
    imports: imports.render(),
    moduleDoc: docstring(
      0,
      `A WebSocket channel of ${title}: each message goes to every client.`,
      'A WebSocket channel: each message a client sends goes to every client.',
    ),
    connections: `${C}Connections`,
    declaration: py(0, `websocket_router = APIRouter(prefix="/${name}", tags=["${name}"])`),
    signature: py(
      0,
      `async def ${name}_channel(websocket: WebSocket${jwt ? ', user: WebSocketUser' : ''}) -> None:`,
    ),
    broadcast: py(4, `await connections.broadcast(${message})`),
    testImports: tests.render(),
    url: JSON.stringify(`/api/v1/${name}/ws`),
    expected: jwt ? '{"sender": user.id, "message": "hello"}' : '{"message": "hello"}',
  };
}

/** What `app/api/router.py` includes and tags for the modules. */
export function moduleRouters(modules: readonly ModuleSpec[]): Array<{
  routers: Array<{ from: string; name: string; alias: string }>;
  tag?: string;
}> {
  return modulePackages(modules).map(([name, kinds]) => {
    const routers: Array<{ from: string; name: string; alias: string }> = [];
    if (kinds.has('router')) {
      routers.push({ from: `app.${name}.router`, name: 'router', alias: `${name}_router` });
    }
    if (kinds.has('websocket')) {
      routers.push({
        from: `app.${name}.websocket`,
        name: 'websocket_router',
        alias: `${name}_websocket_router`,
      });
    }
    const heading = capitalise(human(name));
    return kinds.has('router')
      ? {
          routers,
          tag: tagLine(name, [`${heading}: the module's endpoints.`, "The module's endpoints."]),
        }
      : { routers };
  });
}
