import { describe, expect, it } from 'vitest';
import { ReleasedBytes } from '../../../lambda/io/released-bytes';
import { settledNow } from '../../helpers/settled';

describe('ReleasedBytes', () => {
  it('resolves each promise once the bytes before its offset are released, in any order of reports', async () => {
    const bytes = new ReleasedBytes();
    const waits = [bytes.after(10), bytes.after(20), bytes.after(30)];
    expect(await settledNow(waits)).toEqual([false, false, false]);
    bytes.release(20);
    expect(await settledNow(waits)).toEqual([true, true, false]);
    bytes.release(5);
    expect(await settledNow(waits)).toEqual([true, true, false]);
    expect(await settledNow([bytes.after(15)])).toEqual([true]);
    bytes.release(31);
    expect(await settledNow(waits)).toEqual([true, true, true]);
  });

  it('gives the same promise when asked again for the same offset, so waiters do not pile up', async () => {
    const bytes = new ReleasedBytes();
    const first = bytes.after(10);
    expect(bytes.after(10)).toBe(first);
    const later = bytes.after(20);
    expect(later).not.toBe(first);
    bytes.release(10);
    expect(await settledNow([first, later])).toEqual([true, false]);
    expect(bytes.after(20)).toBe(later);
  });

  it('resolves everything, now and later, once the stream ends', async () => {
    const bytes = new ReleasedBytes();
    const waiting = bytes.after(100);
    bytes.end();
    expect(await settledNow([waiting, bytes.after(1_000)])).toEqual([true, true]);
  });
});
