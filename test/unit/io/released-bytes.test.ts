import { describe, expect, it } from 'vitest';
import { ReleasedBytes } from '../../../lambda/io/released-bytes';

/** Which of `promises` have settled, after pending callbacks ran. */
async function settled(promises: readonly Promise<void>[]): Promise<boolean[]> {
  const done = promises.map(() => false);
  promises.forEach((p, i) => {
    p.then(() => {
      done[i] = true;
    });
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ReleasedBytes', () => {
  it('resolves each promise once the bytes before its offset are released, in any order of reports', async () => {
    const bytes = new ReleasedBytes();
    const waits = [bytes.after(10), bytes.after(20), bytes.after(30)];
    expect(await settled(waits)).toEqual([false, false, false]);
    bytes.release(20);
    expect(await settled(waits)).toEqual([true, true, false]);
    bytes.release(5);
    expect(await settled(waits)).toEqual([true, true, false]);
    expect(await settled([bytes.after(15)])).toEqual([true]);
    bytes.release(31);
    expect(await settled(waits)).toEqual([true, true, true]);
  });

  it('resolves everything, now and later, once the stream ends', async () => {
    const bytes = new ReleasedBytes();
    const waiting = bytes.after(100);
    bytes.end();
    expect(await settled([waiting, bytes.after(1_000)])).toEqual([true, true]);
  });
});
