/**
 * The practice list of the seed guidance file and of the bundled agent, pinned row by row: a
 * change to detection that moves any of them (a value, its source, its line, what else is offered
 * or turned down) fails here, and the pin is updated on purpose or the change is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@jest/globals';
import { practicesReport } from '../../src/commands/practices.js';
import { parseAgentFile } from '../../src/core/agent.js';
import { detectPractices } from '../../src/core/practices.js';
import { BUNDLED_AGENT, PACKAGE_ROOT } from '../../src/io/paths.js';

const SEED = path.resolve(PACKAGE_ROOT, '..', 'shared', 'seed', 'fastapi-backend-developer.md');
const PINS = path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'pinned');

/** One line per report row: `option=value source [line N] [also ...] [rejected ...]`. */
function rows(file: string): string[] {
  const agent = parseAgentFile(readFileSync(file, 'utf8'), file);
  return practicesReport(agent, detectPractices(agent)).practices.map(
    (r) =>
      `${r.option}=${r.value} ${r.source}` +
      (r.line === null ? '' : ` line ${r.line}`) +
      (r.alternatives.length ? ` also ${r.alternatives.join(',')}` : '') +
      (r.rejected.length ? ` rejected ${r.rejected.join(',')}` : ''),
  );
}

const pinned = (name: string): string[] =>
  JSON.parse(readFileSync(path.join(PINS, name), 'utf8')) as string[];

const seedExists = existsSync(SEED);
if (!seedExists) console.warn(`skipped: the seed agent file is not at ${SEED}`);
(seedExists ? test : test.skip)('the seed guidance file gives its pinned practice list', () => {
  expect(rows(SEED)).toEqual(pinned('seed-practices.json'));
});

test('the bundled agent gives its pinned practice list', () => {
  expect(rows(BUNDLED_AGENT)).toEqual(pinned('bundled-practices.json'));
});
