/**
 * Held-out measurement of practice detection: 16 guidance files in tests/fixtures/guidance-heldout,
 * written after detection was tuned, without reading the detection code or the tuned corpus, in the
 * same layout as tests/fixtures/guidance (the file under its real name beside an expected.json) and
 * scored the same way as practices-guidance-corpus.test.ts: option=value pairs found (chosen values
 * and offered alternatives) against those expected, per option; a pick not expected on a negation,
 * scope or non-backend file, or one listed in `mustNot`, is a wrong pick.
 *
 * The figures, misses and wrong picks are printed. Written to document rather than gate, with weak
 * floors (precision >= 0.9, recall >= 0.85); raised since (see below). Format, metadata, warning
 * and preferred-value mismatches are printed, not asserted.
 *
 * Measured when it was written (detection at 8e251cc, untouched): precision 0.837, recall 0.941
 * (128 of 136 stated pairs found, 25 false positives, 8 misses), 25 wrong picks; below the
 * precision floor, so this test fails until detection improves. Per option (precision / recall):
 * db 0.700/1.000, orm 0.933/1.000, migrations 1.000/1.000, auth 0.938/1.000, roles 0.714/0.625,
 * websocket 0.714/0.833, cors 1.000/1.000, security-headers 1.000/1.000, metrics 1.000/1.000,
 * docker 0.778/1.000, cache 0.857/1.000, rate-limit 0.625/0.625, tasks 0.889/1.000, broker
 * 0.800/1.000, logging 0.800/1.000, versioning 0.800/1.000, python-tool 0.857/0.857, ci 0.800/1.000.
 * Where it fails: SQLite used only in tests counted (4 files); the data-engineering and Angular
 * files read as backend guides (12 picks, no warning); negations in Korean, Chinese and French
 * ("SQLAlchemy를 직접 쓰지 말고", "不提供 WebSocket", "Pas besoin de Redis", another team's Redis);
 * "don't switch to JSON logging", "Don't prefix routes with /api/v1"; rate limiting done by the
 * ingress or belonging to an external API read as in-memory; database roles read as app roles;
 * roles named as "perfiles"/"perfis" missed; "statt Poetry verwenden wir uv" reported as default.
 *
 * No longer held out: detection was then fixed by class of error (file-level judgement, test-only
 * and other-system scopes, negation cue rows, roles named as profiles, formats), each class also
 * tried in other languages and wordings in practices-classes.test.ts, and reads this set at
 * precision 1.000, recall 1.000 (136 of 136), 0 wrong picks and no format, metadata or warning
 * mismatch. Its figures now measure tuned detection, as the tuned corpus's do; the floors are the
 * issue's targets (precision >= 0.97, recall >= 0.95, 0 wrong picks). A new held-out set, written
 * without reading the detection code, is what measures how it generalises.
 */
import path from 'node:path';
import { expect, test } from '@jest/globals';
import { PACKAGE_ROOT } from '../../src/io/paths.js';
import { loadCorpus, scoreCorpus, scoreTable } from '../helpers/guidance-corpus.js';

const cases = loadCorpus(path.join(PACKAGE_ROOT, 'tests', 'fixtures', 'guidance-heldout'));
const score = () => scoreCorpus(cases);

/** Format, metadata and "no backend practices" warning, as the tuned corpus checks them. */
function shapeMismatches(): string[] {
  const out: string[] = [];
  for (const { name, agent, set, expected } of cases) {
    if (agent.format !== expected.format) {
      out.push(`${name}: format ${agent.format}, expected ${expected.format}`);
    }
    if (expected.metadata && JSON.stringify(agent.metadata) !== JSON.stringify(expected.metadata)) {
      out.push(
        `${name}: metadata ${JSON.stringify(agent.metadata)}, expected ${JSON.stringify(expected.metadata)}`,
      );
    }
    const warnings = [...agent.warnings, ...set.warnings];
    const noBackend = warnings.some((w) =>
      /states no backend practice|not guidance for building/.test(w),
    );
    if (noBackend !== (expected.warns ?? []).includes('no practices')) {
      out.push(`${name}: "no backend practices" warning ${noBackend ? 'given' : 'missing'}`);
    }
  }
  return out;
}

test('the held-out corpus has 16 files in eight languages', () => {
  expect(cases.length).toBe(16);
  const languages = new Set(cases.map((c) => c.expected.language));
  expect([...languages].sort()).toEqual(['de', 'en', 'es', 'fr', 'ja', 'ko', 'pt', 'zh']);
});

test('held-out precision and recall are printed; floors precision >= 0.97, recall >= 0.95', () => {
  const { perOption, wrong, falsePositives, misses, preferred } = score();
  const { rows, tp, fp, fn, precision, recall } = scoreTable(perOption);
  const shapes = shapeMismatches();
  console.log(
    [
      `held-out practice detection over ${cases.length} guidance files`,
      ...rows,
      `true positives ${tp}, false positives ${fp}, misses ${fn}`,
      `wrong picks (unexpected on negation, scope and non-backend files, or mustNot): ${wrong.length}`,
      ...wrong.map((w) => `  ${w}`),
      '',
      `false positives: ${falsePositives.length}`,
      ...falsePositives.map((w) => `  ${w}`),
      `misses: ${misses.length}`,
      ...misses.map((w) => `  ${w}`),
      `preferred value not chosen: ${preferred.length}`,
      ...preferred.map((w) => `  ${w}`),
      `format, metadata and warning mismatches: ${shapes.length}`,
      ...shapes.map((w) => `  ${w}`),
    ].join('\n'),
  );
  expect(precision).toBeGreaterThanOrEqual(0.97);
  expect(recall).toBeGreaterThanOrEqual(0.95);
  expect(wrong).toEqual([]);
});
