import { FEATURES } from './features.js';
import { hasConflictMarkers, lineEnding, merge3, toLf, withEnding } from './merge3.js';
import type { FileTree } from './render.js';

/**
 * How the generator treats a file it wrote before:
 * - `merge`: re-rendered and merged three ways with the user's edits (most files);
 * - `create-only`: written once, then the user's (`.env`, `README.md`, `AGENTS.md`, `.claude/`,
 *   migrations).
 */
export type FilePolicy = 'merge' | 'create-only';

const CREATE_ONLY = [
  /^\.env$/,
  /^README\.md$/,
  /^AGENTS\.md$/,
  // The coding agent's files (core/claude-files.ts): its guidance and its commands.
  /^\.claude\//,
  // Every migration tool's revision files.
  ...FEATURES.flatMap((f) => (f.revisions ? [f.revisions.createOnly] : [])),
];

export function filePolicy(path: string): FilePolicy {
  return CREATE_ONLY.some((p) => p.test(path)) ? 'create-only' : 'merge';
}

export type Action =
  | { kind: 'create'; path: string; content: string }
  | { kind: 'update'; path: string; content: string }
  | { kind: 'merge'; path: string; content: string }
  | { kind: 'conflict'; path: string; content: string; conflicts: number }
  | { kind: 'delete'; path: string }
  /** Nothing to write: unchanged, or the user's version is kept (see `reason`). */
  | { kind: 'keep'; path: string; reason: KeepReason };

export type KeepReason =
  | 'unchanged'
  | 'generator unchanged'
  | 'create-only'
  | 'deleted by you'
  | 'edited, no longer generated'
  | 'unresolved conflict markers';

export interface PlanInput {
  /** What the generator renders now. */
  desired: FileTree;
  /** What it rendered last time (merge-policy files only). */
  base: FileTree;
  /** The files on disk now, for every path of `desired` and `base` (absent: not on disk). */
  disk: FileTree;
  /** Delete files the generator no longer renders even when the user edited them. */
  deleteEdited?: boolean;
  /** Recreate files the user deleted. */
  recreateDeleted?: boolean;
}

/**
 * What to do with each file (base B, disk C, new render D), as in the design:
 * B- C- D: create. B- C=D: keep. B- C≠D: merge against an empty base (both added: a conflict
 * unless one side is empty). C=B: update to D. D=B: keep C. else merge3(C, B, D). B and D but
 * no C: the user deleted it: keep it deleted. B, no D: delete if C=B, else keep (warn).
 * A file on disk whose line breaks are all CR LF (git's `core.autocrlf`) is compared as LF: that
 * difference alone is no edit. What is written to it keeps its CR LF endings.
 * Pure; actions come in path order.
 */
export function plan(input: PlanInput): Action[] {
  const { desired, base, disk } = input;
  const paths = [...new Set([...desired.keys(), ...base.keys()])].sort();
  const actions: Action[] = [];
  for (const path of paths) {
    const B = base.get(path);
    const onDisk = disk.get(path);
    const D = desired.get(path);
    // C: the file on disk, with LF breaks; `out` gives what is written its endings back.
    const ending = onDisk === undefined ? 'lf' : lineEnding(onDisk);
    const C = onDisk === undefined ? undefined : toLf(onDisk);
    const out = (text: string): string => withEnding(text, ending);
    if (D === undefined) {
      if (C === undefined) continue;
      if (C === B || input.deleteEdited) actions.push({ kind: 'delete', path });
      else actions.push({ kind: 'keep', path, reason: 'edited, no longer generated' });
      continue;
    }
    if (C === undefined) {
      if (B !== undefined && !input.recreateDeleted) {
        actions.push({ kind: 'keep', path, reason: 'deleted by you' });
      } else {
        actions.push({ kind: 'create', path, content: D });
      }
      continue;
    }
    if (filePolicy(path) === 'create-only') {
      actions.push({ kind: 'keep', path, reason: C === D ? 'unchanged' : 'create-only' });
      continue;
    }
    if (C === D) {
      actions.push({ kind: 'keep', path, reason: 'unchanged' });
    } else if (hasConflictMarkers(C)) {
      actions.push({ kind: 'keep', path, reason: 'unresolved conflict markers' });
    } else if (B !== undefined && C === B) {
      actions.push({ kind: 'update', path, content: out(D) });
    } else if (B !== undefined && D === B) {
      actions.push({ kind: 'keep', path, reason: 'generator unchanged' });
    } else {
      const merged = merge3(C, B ?? '', D);
      const content = out(merged.text);
      actions.push(
        merged.conflicts > 0
          ? { kind: 'conflict', path, content, conflicts: merged.conflicts }
          : { kind: 'merge', path, content },
      );
    }
  }
  return actions;
}

/**
 * The base to store after applying `actions`: what the generator rendered for every merge-policy
 * file it still renders, except where a conflict is left unresolved (that file keeps its old base,
 * so the next run merges against the same ancestor).
 */
export function nextBase(
  desired: FileTree,
  base: FileTree,
  actions: readonly Action[],
): Map<string, string> {
  const unresolved = new Set(
    actions
      .filter((a) => a.kind === 'keep' && a.reason === 'unresolved conflict markers')
      .map((a) => a.path),
  );
  const next = new Map<string, string>();
  for (const [path, content] of desired) {
    if (filePolicy(path) !== 'merge') continue;
    const previous = base.get(path);
    next.set(path, unresolved.has(path) && previous !== undefined ? previous : content);
  }
  return next;
}
