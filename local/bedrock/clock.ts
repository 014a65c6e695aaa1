/** The emulator's time source: every timestamp and every phase change goes through it. */

/** A clock the emulator reads and waits on; inject a {@link ManualClock} to drive time from a test. */
export interface EmulatorClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves once `now() >= time` (at once when already past); rejects when `signal` aborts. */
  sleepUntil(time: number, signal: AbortSignal): Promise<void>;
  /**
   * Keeps a simulated clock from moving while a job does its work (reading input, answering, writing
   * outputs), so that work takes no simulated time; returns the release. Real clocks need none.
   */
  hold?(): () => void;
}

function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('emulator closed');
}

/** Wall-clock time with `setTimeout`. */
export const systemClock: EmulatorClock = {
  now: () => Date.now(),
  sleepUntil(time, signal) {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(aborted(signal));
      const timer = setTimeout(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, time - Date.now()),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface Sleeper {
  readonly time: number;
  readonly resolve: () => void;
}

/**
 * A clock that moves only when told to: `advance(ms)` wakes every sleeper whose time has come.
 *
 * @example const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z')); clock.advance(3_600_000);
 */
export class ManualClock implements EmulatorClock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleepUntil(time: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(aborted(signal));
    if (time <= this.current) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        time,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((entry) => entry !== sleeper);
        reject(aborted(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Moves time forward by `ms` and wakes the sleepers that are due. */
  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.time <= this.current);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.time > this.current);
    for (const sleeper of due) sleeper.resolve();
  }
}
