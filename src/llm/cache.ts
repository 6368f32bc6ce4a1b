import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CACHE_FORMAT, requestKey } from '../core/llm/secrets.js';
import type { BodyReply, BodyWriter } from '../core/llm/types.js';

/**
 * Replies kept on disk by a hash of their request (provider, model, system prompt, messages,
 * token limit: see requestKey), so that a rerun asks nothing and gets the same replies. An entry
 * holds the reply only: never a key, a header or a URL. `refresh` asks again and overwrites.
 */
export type CacheMode = 'use' | 'refresh';

export interface CacheOptions {
  /** The folder (created when needed): `.fastapi-agent/llm-cache/` in a project. */
  dir: string;
  mode?: CacheMode;
  /** Removed from replies before they are kept or returned (a model cannot know them, but still). */
  secrets: readonly string[];
}

interface Entry {
  format: number;
  provider: string;
  model: string;
  text: string;
  usage?: BodyReply['usage'];
  stopReason?: string;
}

const withoutSecrets = (text: string, secrets: readonly string[]): string =>
  secrets.reduce((t, s) => (s.length >= 4 ? t.split(s).join('[redacted]') : t), text);

async function read(file: string): Promise<BodyReply | undefined> {
  let entry: Entry;
  try {
    entry = JSON.parse(await fs.readFile(file, 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (
    entry.format !== CACHE_FORMAT ||
    typeof entry.text !== 'string' ||
    typeof entry.model !== 'string'
  ) {
    return undefined;
  }
  return {
    text: entry.text,
    model: entry.model,
    ...(entry.usage ? { usage: entry.usage } : {}),
    ...(entry.stopReason ? { stopReason: entry.stopReason } : {}),
    cached: true,
  };
}

/** Written whole or not at all: a reader never sees half an entry. */
async function write(file: string, entry: Entry): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(temporary, `${JSON.stringify(entry, null, 2)}\n`);
    await fs.rename(temporary, file);
  } catch {
    // A cache that cannot be written costs a request next time, nothing more.
    await fs.rm(temporary, { force: true }).catch(() => undefined);
  }
}

export function cachingWriter(inner: BodyWriter, options: CacheOptions): BodyWriter {
  return {
    provider: inner.provider,
    model: inner.model,
    async write(request, signal) {
      const file = path.join(
        options.dir,
        `${requestKey(inner.provider, inner.model, request)}.json`,
      );
      if (options.mode !== 'refresh') {
        const hit = await read(file);
        if (hit) return hit;
      }
      const reply = await inner.write(request, signal);
      const text = withoutSecrets(reply.text, options.secrets);
      await write(file, {
        format: CACHE_FORMAT,
        provider: inner.provider,
        model: reply.model,
        text,
        ...(reply.usage ? { usage: reply.usage } : {}),
        ...(reply.stopReason ? { stopReason: reply.stopReason } : {}),
      });
      return { ...reply, text, cached: false };
    },
  };
}
