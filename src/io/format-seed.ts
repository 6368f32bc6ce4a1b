/**
 * Build step: the formatted Python of the usual new projects (every database, ORM and auth the
 * generator renders, with the bundled guidance file), written to `dist/format-seed.json`. A first
 * run on a machine then finds most files already formatted and formats only the few its project
 * name changes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAgentFile } from '../core/agent.js';
import { renderedValues } from '../core/features.js';
import { detectPractices } from '../core/practices.js';
import { renderProject } from '../core/render.js';
import { buildSpec } from '../core/spec.js';
import { formatCacheFile } from './format-cache.js';
import { FORMAT_CACHE_NAME, loadPythonFormatter } from './ruff.js';
import { loadTemplates } from './templates.js';

export async function writeFormatSeed(
  templatesDir: string,
  precompiled: string,
  agentFile: string,
  outFile: string,
): Promise<number> {
  const templates = await loadTemplates(templatesDir, precompiled);
  const agent = parseAgentFile(readFileSync(agentFile, 'utf8'), agentFile);
  const practices = detectPractices(agent);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cfa-seed-'));
  try {
    const python = await loadPythonFormatter({ cacheDir: dir });
    for (const db of renderedValues('db')) {
      for (const orm of renderedValues('orm')) {
        for (const auth of renderedValues('auth')) {
          const spec = buildSpec({
            answers: { name: 'seed', options: { db, orm, auth: [auth] } },
            practices,
            agent: { path: agentFile, name: agent.name, description: '', text: agent.text },
            secretKey: '0'.repeat(64),
            generatorVersion: 'seed',
          });
          renderProject(spec, templates, python);
        }
      }
    }
    python.flush?.();
    const entries = JSON.parse(readFileSync(formatCacheFile(dir, FORMAT_CACHE_NAME), 'utf8'));
    writeFileSync(outFile, JSON.stringify({ name: FORMAT_CACHE_NAME, entries }));
    return Object.keys(entries as object).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
