import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../lambda/core/on-demand/backoff';
import { runBounded } from '../../../lambda/core/on-demand/runner';

async function* numbers(count: number): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) yield i;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('runBounded', () => {
  it('never runs more than `concurrency` items at once, and runs every item once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const counts = await runBounded(numbers(25), 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      seen.push(n);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(counts).toEqual({ started: 25, skipped: 0 });
  });

  it('stops taking items once mayStart says no and counts the rest as skipped', async () => {
    const seen: number[] = [];
    const counts = await runBounded(
      numbers(10),
      2,
      async (n) => {
        seen.push(n);
        await tick();
      },
      () => seen.length < 4,
    );
    expect(counts).toEqual({ started: 4, skipped: 6 });
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it('rejects with the first error a worker throws', async () => {
    await expect(
      runBounded(numbers(10), 2, async (n) => {
        if (n === 3) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});

describe('backoffDelay', () => {
  it('doubles the ceiling per attempt up to the cap, scaled by the random draw', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, DEFAULT_BACKOFF, () => 0.999999))).toEqual([
      499, 999, 1999, 3999,
    ]);
    expect(backoffDelay(20, DEFAULT_BACKOFF, () => 0.5)).toBe(DEFAULT_BACKOFF.capMs / 2);
    expect(backoffDelay(3, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });
});
