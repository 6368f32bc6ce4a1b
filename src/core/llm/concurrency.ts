/** Several requests at once, in order of the items, with progress as each one ends. */

export interface Progress<T, R> {
  /** Items finished so far, this one included. */
  done: number;
  total: number;
  item: T;
  index: number;
  result: R;
}

export interface ConcurrencyOptions<T, R> {
  /** At most this many tasks at once (default 4). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress<T, R>) => void;
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * Runs `task` on every item, `concurrency` at a time, and returns the results in the items' order.
 * A task that throws stops the run: no task starts after it, the others' signal is aborted, and
 * once they have settled the first error is thrown. (A failure that should not stop the others
 * is the task's to return as a result.)
 */
export async function runConcurrently<T, R>(
  items: readonly T[],
  task: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  options: ConcurrencyOptions<T, R> = {},
): Promise<R[]> {
  const limit = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const stop = new AbortController();
  const outer = options.signal;
  const forward = (): void => stop.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  if (outer?.aborted) forward();
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;

  async function worker(): Promise<void> {
    while (!failure && !stop.signal.aborted && next < items.length) {
      const index = next;
      next += 1;
      const item = items[index] as T;
      try {
        const result = await task(item, index, stop.signal);
        results[index] = result;
        done += 1;
        options.onProgress?.({ done, total: items.length, item, index, result });
      } catch (error) {
        failure ??= { error };
        stop.abort(error);
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  } finally {
    outer?.removeEventListener('abort', forward);
  }
  if (failure) throw failure.error;
  if (outer?.aborted) throw outer.reason;
  return results;
}
