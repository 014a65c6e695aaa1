/**
 * The local run's clock: simulated time only, never measured. It starts at the real time the stack starts
 * and then moves only when the state machine waits (a Wait state or a retry interval, by its nominal
 * duration). Work takes no simulated time: a function invocation or a job phase in the emulator holds the
 * clock, so a Wait elsewhere cannot jump past it, and sleepers wake in time order, each finishing its work
 * before the next. The same file therefore gives the same timeline on a slow machine and a fast one.
 */
import type { EmulatorClock } from '../bedrock/clock';

interface Sleeper {
  readonly time: number;
  readonly wake: () => void;
}

/** Real milliseconds of complete idleness (no work, no wait) after which the clock jumps to the next sleeper. */
const IDLE_JUMP_MS = 20;

/** A simulated clock that jumps forward on {@link SimulatedClock.advanceTo}. */
export class SimulatedClock implements EmulatorClock {
  private time: number;
  private target: number;
  private holds = 0;
  private executions = 0;
  private applying = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly sleepers = new Set<Sleeper>();
  private settledWaiters: Array<() => void> = [];
  readonly start: number;

  constructor(start = Date.now()) {
    this.start = start;
    this.time = start;
    this.target = start;
  }

  now(): number {
    return this.time;
  }

  /** Simulated milliseconds since the clock started. */
  get elapsed(): number {
    return this.time - this.start;
  }

  sleepUntil(time: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (time <= this.time) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = {
        time,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.sleepers.delete(sleeper);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleepers.add(sleeper);
      this.scheduleIdleJump();
    });
  }

  /** Moves the clock forward by `ms` (see {@link advanceTo}). */
  advance(ms: number): void {
    if (ms > 0) this.advanceTo(this.time + ms);
  }

  /** Moves the clock to `time` if it is behind, once no {@link hold} is active, waking sleepers in order. */
  advanceTo(time: number): void {
    this.target = Math.max(this.target, time);
    void this.apply();
  }

  /**
   * Keeps the clock where it is until the returned release is called: the work in progress (a function
   * invocation, a job phase) happens at one instant of simulated time.
   */
  hold(): () => void {
    this.holds += 1;
    clearTimeout(this.idleTimer);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) void this.apply();
    };
  }

  /**
   * Marks an execution as running until the returned function is called. While one runs, only its waits
   * move the clock; once none runs, time moves on by itself to the next sleeper when everything is idle.
   */
  executionStarted(): () => void {
    this.executions += 1;
    clearTimeout(this.idleTimer);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.executions -= 1;
      this.scheduleIdleJump();
    };
  }

  /** Resolves once nothing holds the clock and every sleeper due by now has done its work. */
  settled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private isSettled(): boolean {
    return this.holds === 0 && !this.applying && this.due(this.target) === undefined;
  }

  private due(limit: number): Sleeper | undefined {
    let earliest: Sleeper | undefined;
    for (const sleeper of this.sleepers) {
      if (sleeper.time <= limit && (earliest === undefined || sleeper.time < earliest.time))
        earliest = sleeper;
    }
    return earliest;
  }

  /** Wakes the sleepers due by the target one at a time, letting each take its hold before the next. */
  private async apply(): Promise<void> {
    if (this.applying) return;
    this.applying = true;
    try {
      while (this.holds === 0) {
        const next = this.due(this.target);
        if (next === undefined) {
          this.time = Math.max(this.time, this.target);
          break;
        }
        this.sleepers.delete(next);
        this.time = Math.max(this.time, next.time);
        next.wake();
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.applying = false;
    }
    if (this.isSettled()) {
      const waiters = this.settledWaiters;
      this.settledWaiters = [];
      for (const waiter of waiters) waiter();
      this.scheduleIdleJump();
    }
  }

  /**
   * With no execution running and nothing at work (for example a job still stopping after its run was
   * aborted), time moves on to the next sleeper, as it would in AWS.
   */
  private scheduleIdleJump(): void {
    clearTimeout(this.idleTimer);
    if (this.sleepers.size === 0 || this.executions > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.holds > 0 || this.applying || this.executions > 0) return;
      const next = this.due(Number.POSITIVE_INFINITY);
      if (next !== undefined) this.advanceTo(next.time);
    }, IDLE_JUMP_MS);
    this.idleTimer.unref();
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('clock stopped');
}
