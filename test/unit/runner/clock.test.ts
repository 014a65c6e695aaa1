import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../local/runner/clock';

describe('the simulated clock', () => {
  it('wakes a sleeper as soon as a jump passes its time', async () => {
    const clock = new SimulatedClock();
    const woke: string[] = [];
    const sleeping = clock.sleepUntil(clock.now() + 3_600_000, new AbortController().signal).then(() => {
      woke.push('hour');
    });
    clock.advance(60_000);
    await Promise.resolve();
    expect(woke).toEqual([]);
    clock.advance(3_600_000);
    await sleeping;
    expect(woke).toEqual(['hour']);
    expect(clock.skew).toBe(3_660_000);
  });

  it('does not jump while held, and moves to the furthest time asked on release', () => {
    const clock = new SimulatedClock();
    const start = clock.now();
    const release = clock.hold();
    clock.advanceTo(start + 30 * 60_000);
    clock.advanceTo(start + 10 * 60_000);
    expect(clock.skew).toBe(0);
    release();
    release();
    expect(clock.now() - start).toBeGreaterThanOrEqual(30 * 60_000);
    expect(clock.now() - start).toBeLessThan(30 * 60_000 + 1000);
  });

  it('rejects a sleeper when its signal aborts', async () => {
    const clock = new SimulatedClock();
    const controller = new AbortController();
    const sleeping = clock.sleepUntil(clock.now() + 60_000, controller.signal);
    controller.abort(new Error('closed'));
    await expect(sleeping).rejects.toThrow('closed');
  });
});
