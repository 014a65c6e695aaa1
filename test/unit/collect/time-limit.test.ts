import { describe, expect, it } from 'vitest';
import { COLLECT_MARGIN_MS, LINES_PER_CHECK, withinTime } from '../../../lambda/core/collect/time-limit';
import { RunTooLargeError } from '../../../lambda/core/contract/errors';
import { NO_DEADLINE } from '../../../lambda/core/on-demand/budget';

async function* numbers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

async function drain<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const line of lines) seen.push(line);
  return seen;
}

const place = { position: 3, shards: 10, rows: 500_000 };

describe('withinTime', () => {
  it('passes every line on, in order, while time remains', async () => {
    expect(await drain(withinTime(numbers(2_500), NO_DEADLINE, place))).toEqual(
      Array.from({ length: 2_500 }, (_, i) => i),
    );
  });

  it('looks at the clock before the first line and once every LINES_PER_CHECK lines', async () => {
    let looks = 0;
    const deadline = {
      remainingMs: () => {
        looks++;
        return 600_000;
      },
    };
    await drain(withinTime(numbers(2 * LINES_PER_CHECK + 1), deadline, place));
    expect(looks).toBe(3);
  });

  it('stops with RUN_TOO_LARGE, where it got and how to split, once the margin is reached', async () => {
    let remaining = 120_000;
    const deadline = { remainingMs: () => remaining };
    const seen: number[] = [];
    const error = await (async () => {
      try {
        for await (const line of withinTime(numbers(5_000), deadline, place)) {
          seen.push(line);
          if (line === LINES_PER_CHECK - 1) remaining = COLLECT_MARGIN_MS;
        }
      } catch (caught) {
        return caught;
      }
      throw new Error('not stopped');
    })();
    expect(seen).toHaveLength(LINES_PER_CHECK);
    expect(error).toBeInstanceOf(RunTooLargeError);
    const { code, message } = error as RunTooLargeError;
    expect(code).toBe('RUN_TOO_LARGE');
    expect(message).toContain('at shard 3 of 10');
    expect(message).toContain('were billed, but no results were published');
    // Two of ten shards joined: 500,000 rows x 2 / 10 x 0.8.
    expect(message).toContain('files of at most 80000 rows');
  });

  it('gives no row count when the first shard did not finish', async () => {
    const late = { remainingMs: () => 0 };
    await expect(drain(withinTime(numbers(1), late, { ...place, position: 1 }))).rejects.toThrow(
      /Split the file into files and upload/,
    );
  });
});
