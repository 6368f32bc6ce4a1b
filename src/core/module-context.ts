import { pyIdentifier } from './python-text.js';
import { pascal } from './names.js';
import { MODULE_KINDS, type ModuleKind, type ModuleSpec } from './modules.js';
import { capitalise, docstring, human, tag } from './prose.js';

/**
 * What the templates of one module package see (`templates/module/`, `router/`, `service/`,
 * `task/`, `websocket/`): its names, which kinds it has, and the wording of docstrings that carry
 * its name (the first that fits a line).
 */
export interface ModuleContext extends Record<ModuleKind, boolean> {
  /** `app/<package>/`, and the URL prefix under `/api/v1`. */
  package: string;
  className: string;
  /** Words for prose: `daily reports`. */
  title: string;
  jwt: boolean;
  /** The test client of a signed-in user (JWT), else the anonymous one. */
  client: 'user_client' | 'client';
  /** The log line of the example task: its code writes it, its tests look for it. */
  taskDone: string;
  /** Docstrings (their text) that carry the name, each the first wording that fits a line. */
  docs: Record<'package' | 'schemas' | 'service' | 'serviceClass' | 'tasks' | 'websocket', string>;
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
  const title = human(name);
  return {
    ...has,
    package: pyIdentifier(name),
    className: pyIdentifier(pascal(name)),
    title,
    jwt,
    client: jwt ? 'user_client' : 'client',
    taskDone: `${name}: task done`,
    docs: {
      package: docstring(0, `The ${title} module.`, 'A module of the service.'),
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
      serviceClass: docstring(
        1,
        `The operations of ${title}, on the session of the request using them.`,
        'The operations of the module, on the session of the request using them.',
      ),
      tasks: docstring(
        0,
        `Background work of ${title}, run after a response with FastAPI's BackgroundTasks.`,
        "Background work, run after a response with FastAPI's BackgroundTasks.",
      ),
      websocket: docstring(
        0,
        `A WebSocket channel of ${title}: each message goes to every client.`,
        'A WebSocket channel: each message a client sends goes to every client.',
      ),
    },
  };
}

/** The routers `app/api/router.py` imports (`from <from> import <name> as <alias>`). */
export interface Router {
  from: string;
  name: string;
  alias: string;
}

/** What one module package adds to `app/api/router.py`: its routers, and its OpenAPI tag. */
export interface ModuleRouters {
  routers: Router[];
  tag?: { name: string; description: string };
}

/** What `app/api/router.py` includes and tags for the modules. */
export function moduleRouters(modules: readonly ModuleSpec[]): ModuleRouters[] {
  return modulePackages(modules).map(([name, kinds]) => {
    const routers: Router[] = [];
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
          tag: tag(name, `${heading}: the module's endpoints.`, "The module's endpoints."),
        }
      : { routers };
  });
}
