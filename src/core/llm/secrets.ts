import { createHash } from 'node:crypto';
import type { BodyRequest, ProviderName } from './types.js';

/** The environment variables that hold a secret for some provider. */
export const SECRET_ENV_VARS = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'OPENAI_API_KEY',
] as const;

/** The secrets set in an environment (none shorter than 4 characters: those would scrub noise). */
export function secretsIn(env: Readonly<Record<string, string | undefined>>): string[] {
  return SECRET_ENV_VARS.map((name) => env[name]?.trim() ?? '').filter((v) => v.length >= 4);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Text with every known secret, and anything shaped like a key or a bearer token, replaced by
 * `[redacted]`. Applied to every message, log line and cache entry that could hold a server's
 * words (some servers echo the key they refused).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.replace(new RegExp(escape(secret), 'g'), '[redacted]');
  }
  return out
    .replace(/\bsk-[A-Za-z0-9_-]{12,}/g, 'sk-[redacted]')
    .replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
    .replace(/(x-api-key["']?\s*[:=]\s*["']?)[^\s"',}]{4,}/gi, '$1[redacted]');
}

/** Bumped when what a cached reply means changes: older entries are then never read. */
export const CACHE_FORMAT = 1;

/**
 * The cache key of a request: what decides the reply (provider, model, system prompt, messages,
 * token limit) and nothing that could be a secret (no key, no header, no URL).
 */
export function requestKey(
  provider: ProviderName,
  model: string | undefined,
  request: BodyRequest,
): string {
  const what = [
    CACHE_FORMAT,
    provider,
    model ?? null,
    request.system,
    request.messages.map((m) => [m.role, m.content]),
    request.maxTokens ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}
