/** What `app/api/router.py` sees: the routers it includes, and the OpenAPI tags. */
import type { ModuleRouters, Router } from '../module-context.js';
import { capitalise, human, tag } from '../prose.js';
import { resourceNames } from '../resources.js';
import type { ProjectSpec } from '../spec.js';
import { projectOf } from './fields.js';

/**
 * `app/api/router.py`: the routers it includes (auth, each resource's, then the modules'), and
 * the OpenAPI tags of resources and modules.
 */
export function apiRouterContext(
  spec: ProjectSpec,
  modules: readonly ModuleRouters[],
): { routers: Router[]; tags: Array<{ name: string; description: string }> } {
  const project = projectOf(spec);
  const routers: Router[] = [];
  const include = (from: string, name: string, alias: string): void => {
    routers.push({ from, name, alias });
  };
  if (project.jwt) {
    include('app.auth.router', 'router', 'auth_router');
    include('app.users.router', 'router', 'users_router');
  }
  for (const resource of project.resources) {
    const { module } = resourceNames(resource.name);
    include(`app.${module}.router`, 'router', `${module}_router`);
  }
  for (const module of modules) routers.push(...module.routers);
  const resourceTags = project.resources.map((resource) => {
    const { plural: many } = resourceNames(resource.name);
    const what =
      resource.owned && project.jwt
        ? "users manage their own, admins every user's."
        : 'create, list, read, update and delete.';
    return tag(many, `${capitalise(human(many))}: ${what}`, capitalise(what));
  });
  return {
    routers,
    tags: [...resourceTags, ...modules.flatMap((m) => (m.tag ? [m.tag] : []))],
  };
}
