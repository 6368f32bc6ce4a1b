import type { Manifest } from '../core/manifest.js';
import {
  findModule,
  normaliseModuleName,
  type ModuleKind,
  type ModuleSpec,
} from '../core/modules.js';
import { checkNoEndpoints } from './endpoints.js';
import type { UpdateRequest } from './update.js';

const modulesOf = (manifest: Manifest): ModuleSpec[] => manifest.modules ?? [];

/** `add router|service|task|websocket NAME`: one file and its tests in `app/<name>/`. */
export function addModuleRequest(manifest: Manifest, kind: ModuleKind, raw: string): UpdateRequest {
  const name = normaliseModuleName(kind, raw, {
    modules: modulesOf(manifest),
    resources: manifest.resources,
    jwt: (manifest.options.auth as string[]).includes('jwt'),
  });
  return {
    resources: (m) => m.resources,
    modules: (m) => [...modulesOf(m), { kind, name }],
    slug: `add_${name}_${kind}`,
  };
}

/** `remove router|service|task|websocket NAME`: its files go; files you edited need --force. */
export function removeModuleRequest(
  manifest: Manifest,
  kind: ModuleKind,
  raw: string,
  force: boolean,
): UpdateRequest {
  const name = findModule(modulesOf(manifest), kind, raw);
  if (kind === 'router') checkNoEndpoints(manifest, { kind: 'module', name });
  return {
    resources: (m) => m.resources,
    modules: (m) => modulesOf(m).filter((x) => x.kind !== kind || x.name !== name),
    slug: `remove_${name}_${kind}`,
    deleteEdited: force,
  };
}
