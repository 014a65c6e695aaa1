import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../local/runner/clock';

const START = Date.parse('2026-11-25T12:00:00Z');
const forever = () => new AbortController().signal;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the simulated clock', () => {
  it('never moves with machine time, only when told to', async () => {
    const clock = new SimulatedClock(START);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(clock.now()).toBe(START);
    clock.advance(60_000);
    await tick();
    expect(clock.now()).toBe(START + 60_000);
    expect(clock.elapsed).toBe(60_000);
  });

  it('wakes a sleeper as soon as a jump passes its time', async () => {
    const clock = new SimulatedClock(START);
    const woke: number[] = [];
    const sleeping = clock.sleepUntil(START + 3_600_000, forever()).then(() => woke.push(clock.now()));
    clock.advance(60_000);
    await tick();
    expect(woke).toEqual([]);
    clock.advance(3_600_000);
    await sleeping;
    expect(woke).toEqual([START + 3_600_000]);
  });

  it('does not jump while held, and moves to the furthest time asked on release', async () => {
    const clock = new SimulatedClock(START);
    const release = clock.hold();
    clock.advanceTo(START + 30 * 60_000);
    clock.advanceTo(START + 10 * 60_000);
    await tick();
    expect(clock.now()).toBe(START);
    release();
    release();
    await clock.settled();
    expect(clock.now()).toBe(START + 30 * 60_000);
  });

  it('wakes sleepers in time order, each at its own time, finishing its held work before the next', async () => {
    const clock = new SimulatedClock(START);
    const seen: string[] = [];
    const worker = async (name: string, at: number, workMs: number) => {
      await clock.sleepUntil(at, forever());
      const release = clock.hold();
      seen.push(`${name} wakes at +${(clock.now() - START) / 60_000} min`);
      await new Promise((resolve) => setTimeout(resolve, workMs));
      seen.push(`${name} done at +${(clock.now() - START) / 60_000} min`);
      release();
    };
    const late = worker('late', START + 20 * 60_000, 1);
    const early = worker('early', START + 5 * 60_000, 30);
    clock.advanceTo(START + 60 * 60_000);
    await Promise.all([late, early]);
    await clock.settled();
    expect(seen).toEqual([
      'early wakes at +5 min',
      'early done at +5 min',
      'late wakes at +20 min',
      'late done at +20 min',
    ]);
    expect(clock.now()).toBe(START + 60 * 60_000);
  });

  it('moves on by itself to the next sleeper only when no execution runs', async () => {
    const clock = new SimulatedClock(START);
    const ended = clock.executionStarted();
    const sleeping = clock.sleepUntil(START + 90_000, forever());
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(clock.now()).toBe(START);
    ended();
    await sleeping;
    expect(clock.now()).toBe(START + 90_000);
  });

  it('rejects a sleeper when its signal aborts', async () => {
    const clock = new SimulatedClock(START);
    const controller = new AbortController();
    const sleeping = clock.sleepUntil(START + 60_000, controller.signal);
    controller.abort(new Error('closed'));
    await expect(sleeping).rejects.toThrow('closed');
  });
});
