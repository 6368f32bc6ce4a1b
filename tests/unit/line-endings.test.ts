/**
 * Files checked out with CR LF line endings (git's core.autocrlf): an ending is not an edit, and
 * what the generator writes to such a file keeps its endings.
 */
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { lineEnding, merge3 } from '../../src/core/merge3.js';
import { plan, type Action } from '../../src/core/plan.js';

const crlf = (text: string): string => text.replaceAll('\n', '\r\n');
const PATH = 'app/orders/service.py';
const BASE = 'import x\n\n\ndef f():\n    return 1\n\n\ndef g():\n    return 2\n';
const NEW = BASE.replace('return 2', 'return 3');
const EDITED = BASE.replace('return 1', 'return 10');

const only = (actions: Action[]): Action => {
  expect(actions).toHaveLength(1);
  return actions[0] as Action;
};
const run = (disk: string | undefined, desired: string | undefined, base = BASE): Action =>
  only(
    plan({
      desired: new Map(desired === undefined ? [] : [[PATH, desired]]),
      base: new Map([[PATH, base]]),
      disk: new Map(disk === undefined ? [] : [[PATH, disk]]),
    }),
  );

describe('lineEnding', () => {
  test.each(
    [
      ['a\nb\n', 'lf'],
      ['a\r\nb\r\n', 'crlf'],
      ['a\r\nb', 'crlf'],
      ['a\r\nb\n', 'lf'], // mixed: as it is
      ['one line', 'lf'],
      ['', 'lf'],
    ].map(([text, ending]) => [JSON.stringify(text), ending, text]),
  )('%s is %s', (_label, ending, text) => expect(lineEnding(text as string)).toBe(ending));
});

describe('plan, with a file on disk in CR LF', () => {
  test('a CR LF copy of the base and a new render: fast-forward, keeping CR LF', () => {
    expect(run(crlf(BASE), NEW)).toEqual({ kind: 'update', path: PATH, content: crlf(NEW) });
  });

  test('a CR LF copy with a real edit and a new render: a clean merge, keeping CR LF', () => {
    const action = run(crlf(EDITED), NEW);
    expect(action).toEqual({
      kind: 'merge',
      path: PATH,
      content: crlf(EDITED.replace('return 2', 'return 3')),
    });
  });

  test('a CR LF-only change, generator unchanged: kept as it is, nothing written', () => {
    expect(run(crlf(BASE), BASE)).toEqual({ kind: 'keep', path: PATH, reason: 'unchanged' });
  });

  test('a CR LF copy of what the generator writes now: unchanged', () => {
    expect(run(crlf(NEW), NEW)).toEqual({ kind: 'keep', path: PATH, reason: 'unchanged' });
  });

  test('a CR LF copy with an edit, generator unchanged: kept', () => {
    expect(run(crlf(EDITED), BASE)).toEqual({
      kind: 'keep',
      path: PATH,
      reason: 'generator unchanged',
    });
  });

  test('a CR LF copy of the base no longer generated: deleted as unedited', () => {
    expect(run(crlf(BASE), undefined)).toEqual({ kind: 'delete', path: PATH });
  });

  test('a conflict is written in CR LF, and its markers are found in CR LF on the next run', () => {
    const mine = BASE.replace('return 2', 'return 20');
    const action = run(crlf(mine), NEW);
    expect(action).toMatchObject({ kind: 'conflict', conflicts: 1 });
    const content = (action as { content: string }).content;
    expect(lineEnding(content)).toBe('crlf');
    expect(run(content, NEW.replace('import x', 'import y'))).toEqual({
      kind: 'keep',
      path: PATH,
      reason: 'unresolved conflict markers',
    });
  });

  test('a file with mixed endings is compared as it is: an edit', () => {
    const mixed = BASE.replace('import x\n', 'import x\r\n');
    expect(run(mixed, BASE)).toEqual({ kind: 'keep', path: PATH, reason: 'generator unchanged' });
  });
});

test('merge3 on its own: a CR LF side merges as LF, the result has the endings of ours', () => {
  expect(merge3(crlf(EDITED), BASE, NEW)).toEqual({
    text: crlf(EDITED.replace('return 2', 'return 3')),
    conflicts: 0,
  });
  expect(merge3(EDITED, crlf(BASE), crlf(NEW))).toEqual({
    text: EDITED.replace('return 2', 'return 3'),
    conflicts: 0,
  });
});

test('property: a file on disk in CR LF is planned as its LF copy, and written in CR LF', () => {
  const lines = fc.array(
    fc.constantFrom('import x', 'def f():', '    return 1', 'y = 2', '', '# note', 'z = 3'),
    { minLength: 1, maxLength: 12 },
  );
  const text = lines.map((l) => `${l.join('\n')}\n`);
  fc.assert(
    fc.property(
      fc.option(text, { nil: undefined }),
      fc.option(text, { nil: undefined }),
      fc.option(text, { nil: undefined }),
      (base, disk, desired) => {
        const input = (onDisk: string | undefined) => ({
          desired: new Map(desired === undefined ? [] : [[PATH, desired]]),
          base: new Map(base === undefined ? [] : [[PATH, base]]),
          disk: new Map(onDisk === undefined ? [] : [[PATH, onDisk]]),
        });
        const lf = plan(input(disk));
        const fromCrlf = plan(input(disk === undefined ? undefined : crlf(disk)));
        expect(fromCrlf).toEqual(
          lf.map((a) =>
            'content' in a && disk !== undefined ? { ...a, content: crlf(a.content) } : a,
          ),
        );
      },
    ),
    { numRuns: 500 },
  );
});
