/**
 * A project's Python is formatted with one character standing for each of its names (title,
 * database name), so that it is the same, and cached once, for every project; the names go back
 * in afterwards. For random names of every allowed length, and titles with every allowed
 * character, the result must be exactly what Ruff makes of the file with its names.
 */
import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseAgentFile } from '../../src/core/agent.js';
import { detectPractices } from '../../src/core/practices.js';
import { renderProject } from '../../src/core/render.js';
import { buildSpec, type ProjectSpec } from '../../src/core/spec.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadPythonFormatter } from '../../src/io/ruff.js';
import { loadTemplates } from '../../src/io/templates.js';

const templates = await loadTemplates(TEMPLATES_DIR);
const python = await loadPythonFormatter({ cacheDir: null });
const agent = parseAgentFile('---\nname: a\n---\nUse PostgreSQL and JWT.\n', 'a.md');
const practices = detectPractices(agent);

function spec(name: string, title: string | undefined, db: string): ProjectSpec | null {
  try {
    return buildSpec({
      answers: { name, ...(title === undefined ? {} : { title }), options: { db } },
      practices,
      agent: { path: 'a.md', name: 'a', description: '', text: agent.text },
      secretKey: 'ab'.repeat(32),
      generatorVersion: '0.0.0',
    });
  } catch {
    return null; // a name the generator refuses: not this test's concern
  }
}

test('names of every length and character come back where Ruff would put them', () => {
  let projects = 0;
  let files = 0;
  fc.assert(
    fc.property(
      fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/),
      fc.option(fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .,()'-]{0,79}$/), { nil: undefined }),
      fc.constantFrom('sqlite', 'postgresql', 'mysql'),
      (name, title, db) => {
        const made = spec(name, title, db);
        if (made === null) return;
        projects += 1;
        for (const [path, content] of renderProject(made, templates, python)) {
          if (!path.endsWith('.py')) continue;
          files += 1;
          expect([path, python.format(content, path)]).toEqual([path, content]);
        }
        const config = renderProject(made, templates, python).get('app/core/config.py') ?? '';
        expect(config).toContain(JSON.stringify(made.title));
        expect(config).not.toMatch(/[\ue000-\ue0ff]/u);
      },
    ),
    { numRuns: 40, seed: 20261130 },
  );
  console.log(`name marks: ${projects} projects, ${files} Python files checked against Ruff`);
  expect(projects).toBeGreaterThan(20);
});
