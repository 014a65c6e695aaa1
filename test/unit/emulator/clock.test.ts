import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../local/bedrock/clock';

describe('ManualClock', () => {
  it('wakes sleepers only when advanced past their time, in any order', async () => {
    const clock = new ManualClock(1_000);
    const woke: string[] = [];
    const signal = new AbortController().signal;
    const late = clock.sleepUntil(1_500, signal).then(() => woke.push('late'));
    const early = clock.sleepUntil(1_100, signal).then(() => woke.push('early'));
    clock.advance(50);
    await Promise.resolve();
    expect(woke).toEqual([]);
    clock.advance(100);
    await early;
    expect(woke).toEqual(['early']);
    clock.advance(1_000);
    await late;
    expect(woke).toEqual(['early', 'late']);
    expect(clock.now()).toBe(2_150);
  });

  it('resolves at once for a past time and rejects when aborted', async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    await expect(clock.sleepUntil(-5, controller.signal)).resolves.toBeUndefined();
    const pending = clock.sleepUntil(10, controller.signal);
    controller.abort(new Error('closed'));
    await expect(pending).rejects.toThrow('closed');
  });
});

describe('systemClock', () => {
  it('rejects a sleep when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = systemClock.sleepUntil(Date.now() + 60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
