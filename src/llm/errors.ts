import { formatWithOptions } from 'node:util';
import { UserError } from '../core/errors.js';
import { LlmRequestError } from '../core/llm/types.js';
import { MODEL_ENV } from '../core/llm/models.js';
import { scrubSecrets } from '../core/llm/secrets.js';

/**
 * What the SDKs throw, made into this project's errors: a UserError (one line, exit 2) when no
 * request can succeed (refused key, no such model, server unreachable), an LlmRequestError when
 * this one failed (429, 5xx, a malformed reply...). No SDK error is ever rethrown as it is: its
 * message, cause and headers could hold the key, so only scrubbed words are kept.
 */
export interface ErrorContext {
  provider: 'anthropic' | 'openai';
  /** The SDK's connection error classes (the timeout one extends the other). */
  sdk: { APIConnectionError: ErrorClass; APIConnectionTimeoutError: ErrorClass };
  /** Where requests go, credentials left out: for messages. */
  endpoint: string;
  keyVar: string;
  baseVar: string;
  model: string;
  secrets: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor, for instanceof
type ErrorClass = abstract new (...args: any[]) => Error;

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  headers?: { get?: (name: string) => string | null };
  error?: unknown;
  cause?: unknown;
  code?: unknown;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/** The first `code` (ECONNREFUSED...) along an error's causes. */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const { code, cause } = current as SdkErrorShape;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/** The server's own words about the error (`error.message` in both APIs' bodies). */
function serverWords(error: SdkErrorShape): string {
  const body = error.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const words = body?.error?.message ?? body?.message ?? error.message;
  return typeof words === 'string' ? words : '';
}

/** A URL fit for a message: no user, password, query or fragment. */
export function shownEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(an invalid URL)';
  }
}

export function fromSdkError(error: unknown, ctx: ErrorContext): Error {
  const e = (
    error && typeof error === 'object' ? error : { message: String(error) }
  ) as SdkErrorShape;
  const scrub = (s: string): string => scrubSecrets(s, ctx.secrets).replace(/\s+/g, ' ').trim();
  const detail = scrub(serverWords(e)).slice(0, 300);
  const who = ctx.provider;
  if (typeof e.status === 'number') {
    const status = e.status;
    const header = (h: string): string | null => e.headers?.get?.(h) ?? null;
    if (status === 401) {
      return new UserError(`${who} refused the API key (401 Unauthorized): check ${ctx.keyVar}`);
    }
    if (status === 403) {
      return new UserError(
        `${who} refused the request (403 Forbidden): ${detail || 'no reason given'}`,
      );
    }
    if (status === 404) {
      return new UserError(
        `${who} at ${ctx.endpoint} answered 404 for model ${JSON.stringify(ctx.model)}: ` +
          `check the model id (--model, ${MODEL_ENV}) and ${ctx.baseVar}`,
      );
    }
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return new LlmRequestError(
        status === 429 ? 'rate-limited' : 'server',
        `${who} answered ${status}${detail ? ` (${detail})` : ''}`,
        {
          retryable: true,
          status,
          retryAfter: header('retry-after'),
          retryAfterMs: header('retry-after-ms'),
        },
      );
    }
    return new LlmRequestError('bad-request', `${who} refused the request (${status}): ${detail}`, {
      status,
    });
  }
  const code = causeCode(error);
  if (code && UNREACHABLE.has(code)) {
    return new UserError(
      `cannot reach ${who} at ${ctx.endpoint} (${code}): is the server running? (${ctx.baseVar})`,
    );
  }
  if (error instanceof ctx.sdk.APIConnectionTimeoutError) {
    return new LlmRequestError('timeout', `${who} did not answer in time`, { retryable: true });
  }
  if (error instanceof ctx.sdk.APIConnectionError) {
    return new LlmRequestError(
      'connection',
      `lost the connection to ${who} at ${ctx.endpoint}${code ? ` (${code})` : ''}`,
      { retryable: true },
    );
  }
  if (error instanceof SyntaxError) {
    return new LlmRequestError('malformed', `${who} sent a reply that is not valid JSON`);
  }
  return new LlmRequestError('malformed', `${who} sent a reply that could not be read: ${detail}`);
}

export type LogSink = (line: string) => void;

/** The SDKs' logger interface: every line scrubbed of secrets before it reaches `sink`. */
export function scrubbingLogger(
  secrets: readonly string[],
  sink: LogSink,
): Record<'error' | 'warn' | 'info' | 'debug', (message: string, ...rest: unknown[]) => void> {
  const line =
    (level: string) =>
    (message: string, ...rest: unknown[]): void =>
      sink(
        scrubSecrets(
          `${level}: ${formatWithOptions({ depth: 4, breakLength: Infinity }, message, ...rest)}`,
          secrets,
        ),
      );
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}
