/**
 * A small cache of formatted Python, kept between runs in the user's cache folder: one JSON file
 * per formatter version and settings, mapping the hash of what went in to what came out.
 * Everything about it is optional: a cache that cannot be read or written is simply not used.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Entries kept at most: a few projects' worth; the oldest go first. */
const MAX_ENTRIES = 4000;

export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** `CFA_CACHE_DIR`, else the XDG cache folder; null (no cache) when neither can be found. */
export function defaultCacheDir(): string | null {
  if (process.env.CFA_CACHE_DIR !== undefined) return process.env.CFA_CACHE_DIR || null;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'create-fastapi-agent');
}

export interface FormatCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  save(): void;
}

export function openFormatCache(dir: string, name: string): FormatCache {
  const file = formatCacheFile(dir, name);
  const entries = new Map<string, string>();
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      for (const [key, value] of Object.entries(data)) {
        if (typeof value === 'string') entries.set(key, value);
      }
    }
  } catch {
    // No cache yet, or one that cannot be read: start afresh.
  }
  let changed = false;
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      changed = true;
    },
    save() {
      if (!changed) return;
      const kept = [...entries].slice(-MAX_ENTRIES);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, JSON.stringify(Object.fromEntries(kept)), { mode: 0o600 });
        renameSync(temporary, file);
        changed = false;
      } catch {
        // A cache that cannot be written costs time, never correctness.
      }
    },
  };
}

/**
 * The seed a build wrote (`{ name, entries }`): its entries when it was made for `name` (the same
 * formatter version, settings and steps), none otherwise or when it cannot be read.
 */
export function readFormatSeed(file: string, name: string): ReadonlyMap<string, string> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; entries?: unknown };
    if (data.name !== name || !data.entries || typeof data.entries !== 'object') return new Map();
    return new Map(
      Object.entries(data.entries as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  } catch {
    return new Map();
  }
}

/** Where a cache of this name is kept in `dir`. */
export function formatCacheFile(dir: string, name: string): string {
  return path.join(dir, `${name}.json`);
}
