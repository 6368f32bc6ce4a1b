/** add / remove / regenerate on a project on disk, with small templates compiled in memory. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  addFieldRequest,
  addResourceRequest,
  removeFieldRequest,
  removeResourceRequest,
} from '../../src/commands/resources.js';
import { updateProject, type UpdateDeps } from '../../src/commands/update.js';
import { MANIFEST_PATH, type Manifest } from '../../src/core/manifest.js';
import { renderProject } from '../../src/core/render.js';
import { newProjectTree } from '../../src/core/state.js';
import { findProject, readBase, readManifest } from '../../src/io/project.js';
import { compileTemplates } from '../../src/io/templates.js';
import { writeProjectAtomically } from '../../src/io/write-tree.js';
import { testSpec } from '../helpers/spec.js';
import { loadProjectLinter, loadPythonFormatter } from '../../src/io/ruff.js';

const python = await loadPythonFormatter();

const templates = await compileTemplates(
  new Map([
    [
      'base',
      [
        {
          path: 'app/api/router.py.hbs',
          source:
            '{{#each resources}}\nfrom app.{{module}} import router as {{name}}_router\n{{/each}}\n\nROUTERS = [\n{{#each resources}}\n    {{name}}_router,\n{{/each}}\n]\n',
        },
        { path: 'dot-env.hbs', source: 'SECRET_KEY={{secretKey}}\n' },
      ],
    ],
    [
      'resource',
      [
        {
          path: 'app/{{resource.module}}/service.py.hbs',
          source:
            '"""{{resource.className}} service."""\n\n\ndef list_{{resource.plural}}() -> list[str]:\n    return [\n{{#each resourceSpec.fields}}\n        "{{name}}",\n{{/each}}\n    ]\n',
        },
      ],
    ],
    [
      'migration',
      [
        {
          path: 'revision.py.hbs',
          source:
            'revision = "{{migrationSpec.revision}}"\n{{#each migrationSpec.ops}}\n# {{kind}} {{resource.name}}\n{{/each}}\n',
        },
      ],
    ],
  ]),
);

let dir: string;
const out: string[] = [];
const deps: UpdateDeps = {
  log: (line) => out.push(line),
  warn: (line) => out.push(`warning: ${line}`),
  templates: async () => templates,
  python: async () => python,
  lint: loadProjectLinter,
  randomHex: () => 'cd'.repeat(32),
  version: '9.9.9',
};

beforeEach(async () => {
  out.length = 0;
  dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'cfa-update-')), 'shop');
  const spec = testSpec({ auth: ['jwt'] });
  await writeProjectAtomically(dir, newProjectTree(spec, renderProject(spec, templates, python)), {
    force: false,
  });
});
afterEach(async () => {
  await fs.rm(path.dirname(dir), { recursive: true, force: true });
});

const read = (file: string) => fs.readFile(path.join(dir, file), 'utf8');

describe('a new project records what it was made from', () => {
  test('manifest and base, and no secret in the base', async () => {
    const manifest = await readManifest(dir);
    expect(manifest.resources.map((r) => r.name)).toEqual(['item']);
    expect(manifest.migrations.map((m) => m.revision)).toEqual(['0001']);
    const base = await readBase(dir);
    expect(base.get('app/items/service.py')).toBe(await read('app/items/service.py'));
    expect(base.has('.env')).toBe(false);
    expect(base.has('migrations/versions/0001_initial.py')).toBe(false);
  });

  test('tool caches left inside the base are not taken for generated files', async () => {
    await fs.mkdir(path.join(dir, '.fastapi-agent/base/.ruff_cache'), { recursive: true });
    await fs.writeFile(path.join(dir, '.fastapi-agent/base/.ruff_cache/.gitignore'), '*\n');
    await fs.mkdir(path.join(dir, '.ruff_cache'), { recursive: true });
    await fs.writeFile(path.join(dir, '.ruff_cache/.gitignore'), '*\n');
    expect([...(await readBase(dir)).keys()].some((f) => f.includes('ruff'))).toBe(false);
    await updateProject(
      dir,
      { resources: (m: Manifest) => m.resources, slug: 'update_schema' },
      deps,
    );
    expect(await read('.ruff_cache/.gitignore')).toBe('*\n');
  });

  test('commands find the project from a folder inside it, and refuse outside one', async () => {
    await fs.mkdir(path.join(dir, 'app', 'deep'), { recursive: true });
    expect(findProject(path.join(dir, 'app', 'deep'))).toBe(dir);
    expect(() => findProject(os.tmpdir())).toThrow(
      /not inside a project made by create-fastapi-agent/,
    );
  });
});

describe('add resource', () => {
  test('writes its modules, wires it in, and writes a migration', async () => {
    const manifest = await readManifest(dir);
    const result = await updateProject(
      dir,
      addResourceRequest(manifest, 'Orders', 'number:str:unique,total:decimal'),
      deps,
    );
    expect(result.conflicts).toEqual([]);
    expect(await read('app/orders/service.py')).toContain('"number",\n        "total",');
    expect(await read('app/api/router.py')).toContain(
      'from app.orders import router as order_router',
    );
    expect(await read('migrations/versions/0002_add_orders.py')).toBe(
      'revision = "0002"\n# create_table order\n',
    );
    const after = await readManifest(dir);
    expect(after.resources.map((r) => r.name)).toEqual(['item', 'order']);
    expect(after.migratedResources).toEqual(after.resources);
    expect(out).toContain('created   app/orders/service.py');
  });

  test('refuses a name the project has, and a ref to nothing', async () => {
    const manifest = await readManifest(dir);
    expect(() => addResourceRequest(manifest, 'items', 'a:int')).toThrow(/already has "item"/);
    expect(() => addResourceRequest(manifest, 'user', 'a:int')).toThrow(/already has "user"/);
    await expect(
      updateProject(dir, addResourceRequest(manifest, 'order', 'c:ref(customer)'), deps),
    ).rejects.toThrow(/ref\(customer\) names no resource/);
  });
});

describe('changing a resource keeps the user’s edits', () => {
  beforeEach(async () => {
    await updateProject(
      dir,
      addResourceRequest(await readManifest(dir), 'order', 'number:str'),
      deps,
    );
  });

  test('add field merges into an edited module, and the migration adds the column', async () => {
    const file = 'app/orders/service.py';
    const edited = `${await read(file)}\n\ndef mine() -> int:\n    return 42\n`;
    await fs.writeFile(path.join(dir, file), edited);
    const result = await updateProject(
      dir,
      addFieldRequest(await readManifest(dir), 'orders', 'note:text:optional'),
      deps,
    );
    expect(result.conflicts).toEqual([]);
    const merged = await read(file);
    expect(merged).toContain('def mine() -> int:');
    expect(merged).toContain('"note",');
    expect(await read('migrations/versions/0003_add_orders_note.py')).toContain(
      '# add_column order',
    );
    expect(out).toContain(`merged    ${file} (your edits kept)`);
  });

  test('editing the manifest and running regenerate does the same', async () => {
    const manifestFile = path.join(dir, MANIFEST_PATH);
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
    manifest.resources[1].fields.push({
      name: 'paid',
      type: 'bool',
      required: true,
      unique: false,
      index: false,
    });
    await fs.writeFile(manifestFile, JSON.stringify(manifest));
    await updateProject(dir, { resources: (m) => m.resources, slug: 'update_schema' }, deps);
    expect(await read('app/orders/service.py')).toContain('"paid",');
    expect(await read('migrations/versions/0003_update_schema.py')).toContain('# add_column order');
  });

  test('a conflicting edit gives markers in that file only, reported', async () => {
    const file = 'app/orders/service.py';
    await fs.writeFile(
      path.join(dir, file),
      (await read(file)).replace('"number",', '"number_renamed",'),
    );
    const router = await read('app/api/router.py');
    const result = await updateProject(
      dir,
      addFieldRequest(await readManifest(dir), 'order', 'extra:int'),
      deps,
    );
    expect(result.conflicts).toEqual([file]);
    expect(await read(file)).toMatch(
      /<<<<<<< yours\n {8}"number_renamed",\n=======\n {8}"number",\n {8}"extra",\n>>>>>>> generator/,
    );
    expect(await read('app/api/router.py')).toBe(router);
    // Running again before resolving does not merge into the markers.
    const again = await updateProject(
      dir,
      { resources: (m) => m.resources, slug: 'update_schema' },
      deps,
    );
    expect(again.conflicts).toEqual([file]);
  });

  test('a generated file you deleted stays deleted, unless asked to recreate it', async () => {
    await fs.rm(path.join(dir, 'app/orders/service.py'));
    await updateProject(dir, addFieldRequest(await readManifest(dir), 'order', 'extra:int'), deps);
    await expect(fs.access(path.join(dir, 'app/orders/service.py'))).rejects.toThrow();
    expect(out).toContain('kept      app/orders/service.py (deleted by you)');
    const request = {
      resources: (m: Manifest) => m.resources,
      slug: 'update_schema',
      recreateDeleted: true,
    };
    await updateProject(dir, request, deps);
    expect(await read('app/orders/service.py')).toContain('"extra",');
  });

  test('--dry-run prints the diff and writes nothing', async () => {
    const before = await readManifest(dir);
    await updateProject(
      dir,
      { ...addFieldRequest(before, 'order', 'extra:int'), dryRun: true },
      deps,
    );
    expect(out.join('\n')).toMatch(/\+\s+"extra",/);
    expect(await readManifest(dir)).toEqual(before);
    expect(await read('app/orders/service.py')).not.toContain('extra');
  });

  test('remove field, then remove resource: edited files are kept unless forced', async () => {
    await updateProject(dir, addFieldRequest(await readManifest(dir), 'order', 'extra:int'), deps);
    await updateProject(dir, removeFieldRequest(await readManifest(dir), 'order', 'extra'), deps);
    expect(await read('app/orders/service.py')).not.toContain('extra');
    await fs.appendFile(path.join(dir, 'app/orders/service.py'), '# mine\n');
    await updateProject(dir, removeResourceRequest(await readManifest(dir), 'order', false), deps);
    expect(await read('app/orders/service.py')).toContain('# mine');
    expect(await read('app/api/router.py')).not.toContain('orders');
    expect(await read('migrations/versions/0005_remove_orders.py')).toContain('# drop_table order');
    expect(out).toContain('kept      app/orders/service.py (edited, no longer generated)');
  });

  test('remove resource asks before deleting edited files, when someone can answer', async () => {
    await fs.appendFile(path.join(dir, 'app/orders/service.py'), '# mine\n');
    const asked: string[][] = [];
    const request = {
      ...removeResourceRequest(await readManifest(dir), 'order', false),
      confirmDeleteEdited: async (paths: string[]) => {
        asked.push(paths);
        return true;
      },
    };
    await updateProject(dir, request, deps);
    expect(asked).toEqual([['app/orders/service.py']]);
    await expect(fs.access(path.join(dir, 'app/orders/service.py'))).rejects.toThrow();
  });

  test('a resource that others reference cannot be removed', async () => {
    await updateProject(
      dir,
      addResourceRequest(await readManifest(dir), 'line', 'order:ref(order)'),
      deps,
    );
    const manifest = await readManifest(dir);
    expect(() => removeResourceRequest(manifest, 'order', false)).toThrow(/referenced by line/);
  });
});
