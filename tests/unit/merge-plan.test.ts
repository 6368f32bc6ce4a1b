import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { CONFLICT_MARKERS, hasConflictMarkers, merge3 } from '../../src/core/merge3.js';
import { filePolicy, nextBase, plan, type Action } from '../../src/core/plan.js';

describe('merge3', () => {
  const base = 'a\nb\nc\nd\ne\n';
  test('takes changes from both sides when they do not overlap', () => {
    const ours = 'a\nB\nc\nd\ne\n';
    const theirs = 'a\nb\nc\nd\nE\n';
    expect(merge3(ours, base, theirs)).toEqual({ text: 'a\nB\nc\nd\nE\n', conflicts: 0 });
  });
  test('the same change on both sides is taken once', () => {
    expect(merge3('a\nX\nc\nd\ne\n', base, 'a\nX\nc\nd\ne\n')).toEqual({
      text: 'a\nX\nc\nd\ne\n',
      conflicts: 0,
    });
  });
  test('overlapping changes keep both, between markers', () => {
    const result = merge3('a\nmine\nc\nd\ne\n', base, 'a\ntheirs\nc\nd\ne\n');
    expect(result.conflicts).toBe(1);
    expect(result.text).toBe(
      [
        'a',
        CONFLICT_MARKERS.ours,
        'mine',
        CONFLICT_MARKERS.separator,
        'theirs',
        CONFLICT_MARKERS.theirs,
        'c',
        'd',
        'e',
        '',
      ].join('\n'),
    );
    expect(hasConflictMarkers(result.text)).toBe(true);
  });
});

const tree = (entries: Record<string, string>) => new Map(Object.entries(entries));
const kinds = (actions: Action[]) =>
  Object.fromEntries(
    actions.map((a) => [a.path, a.kind === 'keep' ? `keep: ${a.reason}` : a.kind]),
  );

describe('plan', () => {
  test('follows the rules of the design, file by file', () => {
    const base = tree({
      'same.py': 'x\n',
      'ff.py': 'old\n',
      'mine.py': 'b\n',
      'gone.py': 'g\n',
      'drop.py': 'd\n',
      'drop-edited.py': 'e\n',
      'deleted.py': 'z\n',
    });
    const disk = tree({
      'same.py': 'x\n',
      'ff.py': 'old\n',
      'mine.py': 'mine\n',
      'drop.py': 'd\n',
      'drop-edited.py': 'edited\n',
      'adopt.py': 'n\n',
      'clash.py': 'user\n',
    });
    const desired = tree({
      'same.py': 'x\n',
      'ff.py': 'new\n',
      'mine.py': 'b\n',
      'new.py': 'n\n',
      'adopt.py': 'n\n',
      'clash.py': 'gen\n',
      'deleted.py': 'z2\n',
    });
    expect(kinds(plan({ desired, base, disk }))).toEqual({
      'adopt.py': 'keep: unchanged',
      'clash.py': 'conflict',
      'deleted.py': 'keep: deleted by you',
      'drop-edited.py': 'keep: edited, no longer generated',
      'drop.py': 'delete',
      'ff.py': 'update',
      'mine.py': 'keep: generator unchanged',
      'new.py': 'create',
      'same.py': 'keep: unchanged',
    });
  });

  test('create-only files are never rewritten; deleting edited files needs the flag', () => {
    const base = tree({ 'app/x.py': 'a\n' });
    const disk = tree({ '.env': 'SECRET_KEY=mine\n', 'app/x.py': 'edited\n' });
    const desired = tree({ '.env': 'SECRET_KEY=new\n' });
    expect(kinds(plan({ desired, base, disk, deleteEdited: true }))).toEqual({
      '.env': 'keep: create-only',
      'app/x.py': 'delete',
    });
    expect(filePolicy('migrations/versions/0001_initial.py')).toBe('create-only');
    expect(filePolicy('app/main.py')).toBe('merge');
  });

  test('a file still holding conflict markers is not merged again, and keeps its base', () => {
    const base = tree({ 'a.py': 'old\n' });
    const disk = tree({
      'a.py': `${CONFLICT_MARKERS.ours}\nx\n${CONFLICT_MARKERS.separator}\ny\n${CONFLICT_MARKERS.theirs}\n`,
    });
    const desired = tree({ 'a.py': 'new\n' });
    const actions = plan({ desired, base, disk });
    expect(kinds(actions)).toEqual({ 'a.py': 'keep: unresolved conflict markers' });
    expect(nextBase(desired, base, actions).get('a.py')).toBe('old\n');
  });
});

/** Applies a plan to the disk, as the writer does. */
function apply(disk: Map<string, string>, actions: Action[]): Map<string, string> {
  const out = new Map(disk);
  for (const action of actions) {
    if (action.kind === 'delete') out.delete(action.path);
    else if (action.kind !== 'keep') out.set(action.path, action.content);
  }
  return out;
}

type Edit = { kind: 'insert' | 'change' | 'delete'; at: number };
const editArb = fc.record({
  kind: fc.constantFrom('insert', 'change', 'delete') as fc.Arbitrary<Edit['kind']>,
  at: fc.nat(40),
});

/** Applies edits to a file's lines; inserted and changed lines carry a unique tag. */
function edit(text: string, edits: Edit[], tag: string, made: string[]): string {
  const lines = text.split('\n');
  edits.forEach((e, i) => {
    const at = lines.length > 1 ? e.at % (lines.length - 1) : 0;
    const line = `${tag}-${i}-${Math.random().toString(36).slice(2, 8)}`;
    if (e.kind === 'insert') {
      lines.splice(at, 0, line);
      made.push(line);
    } else if (e.kind === 'change' && lines.length > 1) {
      lines[at] = line;
      made.push(line);
    } else if (e.kind === 'delete' && lines.length > 2) {
      lines.splice(at, 1);
    }
  });
  return lines.join('\n');
}

test('property: no line the user added or changed is ever lost, and conflicts are reported where markers are', () => {
  const fileArb = fc.array(
    fc.constantFrom(
      'import x',
      'def f():',
      '    return 1',
      'y = 2',
      '',
      'class A:',
      '    pass',
      '# note',
    ),
    { minLength: 3, maxLength: 30 },
  );
  fc.assert(
    fc.property(
      fc.dictionary(
        fc.constantFrom('app/a.py', 'app/b.py', 'app/c/d.py', 'tests/t.py', 'README.md'),
        fileArb,
        { minKeys: 1 },
      ),
      fc.array(fc.tuple(fc.nat(10), fc.array(editArb, { maxLength: 6 })), { maxLength: 5 }),
      fc.array(fc.tuple(fc.nat(10), fc.array(editArb, { maxLength: 6 })), { maxLength: 5 }),
      fc.boolean(),
      fc.boolean(),
      (files, userEdits, generatorEdits, dropOne, addOne) => {
        const base = new Map(
          Object.entries(files).map(([p, lines]) => [p, `${lines.join('\n')}\n`]),
        );
        const paths = [...base.keys()];
        const userLines = new Map<string, string[]>();
        const disk = new Map(base);
        for (const [which, edits] of userEdits) {
          const path = paths[which % paths.length] as string;
          const made: string[] = [];
          disk.set(path, edit(disk.get(path) as string, edits, 'user', made));
          userLines.set(path, [...(userLines.get(path) ?? []), ...made]);
        }
        const desired = new Map(base);
        for (const [which, edits] of generatorEdits) {
          const path = paths[which % paths.length] as string;
          desired.set(path, edit(desired.get(path) as string, edits, 'gen', []));
        }
        if (dropOne) desired.delete(paths[0] as string);
        if (addOne) desired.set('app/new.py', 'new = 1\n');
        // README.md is create-only: the generator does not keep a base of it.
        const mergeBase = new Map([...base].filter(([p]) => filePolicy(p) === 'merge'));
        const actions = plan({ desired, base: mergeBase, disk });
        const result = apply(disk, actions);
        for (const [path, lines] of userLines) {
          // Lines the user's own later edits removed again are not the user's any more.
          const kept = lines.filter((line) =>
            (disk.get(path) as string).split('\n').includes(line),
          );
          if (kept.length === 0) continue;
          const text = result.get(path);
          expect(text).toBeDefined();
          for (const line of kept) expect(text?.split('\n')).toContain(line);
        }
        for (const action of actions) {
          const text = result.get(action.path);
          expect({
            path: action.path,
            markers: text !== undefined && hasConflictMarkers(text),
          }).toEqual({
            path: action.path,
            markers:
              action.kind === 'conflict' ||
              (action.kind === 'keep' && action.reason === 'unresolved conflict markers'),
          });
        }
      },
    ),
    { numRuns: Number(process.env.CFA_PROPERTY_RUNS ?? 300) },
  );
});
