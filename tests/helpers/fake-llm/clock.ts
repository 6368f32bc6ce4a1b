/**
 * A clock for tests of retries: every wait resolves at once and is recorded, and time moves on by
 * the wait; except a wait of `timeoutMs` exactly (resilientWriter's timeout on each try), which
 * only ends when its signal is aborted, so that no try times out unless a test wants it to.
 */
import type { Clock } from '../../../src/core/llm/types.js';

export interface RecordingClock extends Clock {
  /** The waits that resolved, in ms, in order. */
  sleeps: number[];
}

export function recordingClock(
  timeoutMs: number,
  start = Date.parse('2026-01-01T00:00:00Z'),
): RecordingClock {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep(ms, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      if (ms === timeoutMs) {
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}
