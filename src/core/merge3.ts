import { diff3Merge } from 'node-diff3';

export interface MergeResult {
  text: string;
  /** Number of conflicting regions, each written between git-style markers. */
  conflicts: number;
}

export const CONFLICT_MARKERS = {
  ours: '<<<<<<< yours',
  separator: '=======',
  theirs: '>>>>>>> generator',
} as const;

/**
 * A text's line endings: `crlf` when every line break is CR LF (a file checked out by git with
 * `core.autocrlf`, or saved by a Windows editor), else `lf`. Mixed endings count as `lf`: such a
 * text is compared and merged as it is.
 */
export type LineEnding = 'lf' | 'crlf';

export function lineEnding(text: string): LineEnding {
  const crlf = text.split('\r\n').length - 1;
  if (crlf === 0) return 'lf';
  return text.split('\n').length - 1 === crlf ? 'crlf' : 'lf';
}

/** `text` with LF line breaks, when its breaks are all CR LF (see lineEnding). */
export function toLf(text: string): string {
  return lineEnding(text) === 'crlf' ? text.replaceAll('\r\n', '\n') : text;
}

/** An LF `text` written with `ending` line breaks. */
export function withEnding(text: string, ending: LineEnding): string {
  return ending === 'crlf' ? text.replaceAll('\n', '\r\n') : text;
}

/**
 * Three-way merge by lines: `ours` (the file on disk), `base` (what the generator wrote last time)
 * and `theirs` (what it writes now). Changes made on one side only are taken; the same change on
 * both is taken once; overlapping different changes (adjacent lines included, as with
 * `git merge-file`) are kept both, between conflict markers. Line endings are not changes: a
 * side whose breaks are all CR LF is merged as LF, and the result has the endings of `ours`.
 */
export function merge3(ours: string, base: string, theirs: string): MergeResult {
  const ending = lineEnding(ours);
  const lf = (text: string): string[] => toLf(text).split('\n');
  const regions = diff3Merge(lf(ours), lf(base), lf(theirs), {
    excludeFalseConflicts: true,
  });
  const lines: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      lines.push(...region.ok);
    } else if (region.conflict) {
      conflicts += 1;
      lines.push(
        CONFLICT_MARKERS.ours,
        ...region.conflict.a,
        CONFLICT_MARKERS.separator,
        ...region.conflict.b,
        CONFLICT_MARKERS.theirs,
      );
    }
  }
  return { text: withEnding(lines.join('\n'), ending), conflicts };
}

/** Whether a file still holds conflict markers written by `merge3` (refuse to merge it again). */
export function hasConflictMarkers(text: string): boolean {
  return toLf(text)
    .split('\n')
    .some((l) => l === CONFLICT_MARKERS.ours || l === CONFLICT_MARKERS.theirs);
}
