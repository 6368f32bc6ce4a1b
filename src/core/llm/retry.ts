import {
  LlmRequestError,
  type BodyRequest,
  type BodyReply,
  type BodyWriter,
  type Clock,
} from './types.js';

/**
 * Retries and timeouts around any BodyWriter, on an injected clock: a try that fails for a reason
 * that may pass (429, 5xx, a dropped connection, no reply in time) is tried again after the wait
 * the server asks for (`retry-after-ms`, `retry-after`) or else an exponential backoff with jitter,
 * a bounded number of times.
 */
export interface RetryPolicy {
  /** Tries after the first, for a failure that may pass. */
  retries: number;
  /** The first backoff (without a `retry-after`); each next one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server asking to wait longer than this is not waited for: the request fails at once. */
  maxRetryAfterMs: number;
  /** Each try's limit, from sending the request to the reply's last byte. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  retries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 180_000,
};

/** How long the server asked to wait, in ms, or undefined when it did not say (or said nonsense). */
export function retryAfterDelay(error: LlmRequestError, now: number): number | undefined {
  const ms = error.retryAfterMs?.trim();
  if (ms && /^\d+(?:\.\d+)?$/.test(ms)) return Number(ms);
  const value = error.retryAfter?.trim();
  if (!value) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `retry` (1-based) without a `retry-after`: half fixed, half random. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}

const seconds = (ms: number): string =>
  ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;

export interface RetryEvent {
  /** The try that failed (1-based). */
  attempt: number;
  delayMs: number;
  error: LlmRequestError;
}

export interface ResilienceOptions {
  policy?: Partial<RetryPolicy>;
  clock: Clock;
  /** For the backoff's jitter (tests pass a constant). */
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

function again(error: LlmRequestError, message: string): LlmRequestError {
  return new LlmRequestError(error.kind, message, {
    retryable: false,
    ...(error.status === undefined ? {} : { status: error.status }),
  });
}

/** `inner`, with a timeout on each try and bounded retries (see RetryPolicy). */
export function resilientWriter(inner: BodyWriter, options: ResilienceOptions): BodyWriter {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  const { clock } = options;

  async function once(request: BodyRequest, signal: AbortSignal): Promise<BodyReply> {
    const attempt = new AbortController();
    const timer = new AbortController();
    const forward = (): void => attempt.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    clock.sleep(policy.timeoutMs, timer.signal).then(
      () => {
        timedOut = true;
        attempt.abort(new LlmRequestError('timeout', 'timed out'));
      },
      () => undefined,
    );
    const stopped = new Promise<never>((_, reject) => {
      attempt.signal.addEventListener('abort', () => reject(attempt.signal.reason), { once: true });
    });
    stopped.catch(() => undefined);
    const work = inner.write(request, attempt.signal);
    // A provider that ignores the signal settles later: nobody waits for it then.
    work.catch(() => undefined);
    try {
      return await Promise.race([work, stopped]);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timedOut) {
        throw new LlmRequestError(
          'timeout',
          `${inner.provider} sent no complete reply within ${seconds(policy.timeoutMs)}`,
          { retryable: true },
        );
      }
      throw error;
    } finally {
      timer.abort();
      signal.removeEventListener('abort', forward);
    }
  }

  return {
    provider: inner.provider,
    model: inner.model,
    async write(request, signal) {
      for (let attempt = 1; ; attempt += 1) {
        if (signal.aborted) throw signal.reason;
        try {
          return await once(request, signal);
        } catch (error) {
          if (!(error instanceof LlmRequestError)) throw error;
          if (!error.retryable) throw error;
          if (attempt > policy.retries) {
            throw again(error, `${error.message} (gave up after ${attempt} tries)`);
          }
          const asked = retryAfterDelay(error, clock.now());
          if (asked !== undefined && asked > policy.maxRetryAfterMs) {
            throw again(
              error,
              `${error.message}; the server asks to wait ${seconds(asked)}, more than the ${seconds(policy.maxRetryAfterMs)} allowed`,
            );
          }
          const delayMs = asked ?? backoffDelay(attempt, policy, random);
          options.onRetry?.({ attempt, delayMs, error });
          await clock.sleep(delayMs, signal);
        }
      }
    },
  };
}
