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
 * Three-way merge by lines: `ours` (the file on disk), `base` (what the generator wrote last time)
 * and `theirs` (what it writes now). Changes made on one side only are taken; the same change on
 * both is taken once; overlapping different changes (adjacent lines included, as with
 * `git merge-file`) are kept both, between conflict markers.
 */
export function merge3(ours: string, base: string, theirs: string): MergeResult {
  const regions = diff3Merge(ours.split('\n'), base.split('\n'), theirs.split('\n'), {
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
  return { text: lines.join('\n'), conflicts };
}

/** Whether a file still holds conflict markers written by `merge3` (refuse to merge it again). */
export function hasConflictMarkers(text: string): boolean {
  return text.split('\n').some((l) => l === CONFLICT_MARKERS.ours || l === CONFLICT_MARKERS.theirs);
}
