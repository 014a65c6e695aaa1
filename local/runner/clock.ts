/**
 * The local run's clock: wall-clock time plus the time the state machine "waited". Wait states and
 * retry intervals are compressed to milliseconds of real time, and each one moves this clock forward
 * by its nominal duration, so the Bedrock emulator sees a job age as it would in AWS.
 */
import type { EmulatorClock } from '../bedrock/clock';
import { realTime } from './shifted-date';

interface Sleeper {
  readonly time: number;
  readonly wake: () => void;
}

/** A clock that runs with real time and jumps forward on {@link SimulatedClock.advance}. */
export class SimulatedClock implements EmulatorClock {
  private offset = 0;
  private target = 0;
  private holds = 0;
  private sleepers = new Set<Sleeper>();

  now(): number {
    return realTime() + this.offset;
  }

  /** Milliseconds the clock is ahead of real time. */
  get skew(): number {
    return this.offset;
  }

  sleepUntil(time: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (time <= this.now()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const sleeper: Sleeper = { time, wake: () => finish() };
      const arm = () => {
        timer = setTimeout(() => (this.now() >= time ? finish() : arm()), Math.max(0, time - this.now()));
      };
      const finish = () => {
        clearTimeout(timer);
        this.sleepers.delete(sleeper);
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        clearTimeout(timer);
        this.sleepers.delete(sleeper);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
      arm();
    });
  }

  /** Moves the clock forward by `ms` (see {@link advanceTo}). */
  advance(ms: number): void {
    if (ms > 0) this.advanceTo(this.now() + ms);
  }

  /** Moves the clock to `time` if it is behind (once no {@link hold} is active) and wakes the sleepers due. */
  advanceTo(time: number): void {
    this.target = Math.max(this.target, time);
    if (this.holds === 0) this.apply();
  }

  /**
   * Keeps the clock from jumping until the returned release is called: a signed request in flight must
   * reach its server within S3's 15-minute skew limit.
   */
  hold(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) this.apply();
    };
  }

  private apply(): void {
    if (this.target <= this.now()) return;
    this.offset += this.target - this.now();
    const now = this.now();
    for (const sleeper of [...this.sleepers]) if (sleeper.time <= now) sleeper.wake();
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('clock stopped');
}
