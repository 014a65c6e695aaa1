import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, StreamingHistogram } from '../../../lambda/core/report/histogram';

describe('StreamingHistogram: tokens per row in bounded memory', () => {
  it('counts small values in bins of one, from the first non-empty bin to the last', () => {
    const h = new StreamingHistogram();
    for (const v of [3, 3, 5, 7]) h.add(v);
    const s = h.snapshot();
    expect(s).toMatchObject({ count: 4, min: 3, max: 7, mean: 4.5, binWidth: 1 });
    expect(s.bins).toEqual([
      { from: 3, to: 4, count: 2 },
      { from: 4, to: 5, count: 0 },
      { from: 5, to: 6, count: 1 },
      { from: 6, to: 7, count: 0 },
      { from: 7, to: 8, count: 1 },
    ]);
  });

  it('doubles the bin width as larger values arrive, keeping every count', () => {
    const h = new StreamingHistogram(4);
    for (const v of [0, 1, 2, 3]) h.add(v);
    h.add(9); // past [0, 4): widths 2 then 4, range [0, 16)
    const s = h.snapshot();
    expect(s.binWidth).toBe(4);
    expect(s.bins).toEqual([
      { from: 0, to: 4, count: 4 },
      { from: 4, to: 8, count: 0 },
      { from: 8, to: 12, count: 1 },
    ]);
  });

  it('ignores what is not a token count (negative, fractional, NaN, infinite)', () => {
    const h = new StreamingHistogram();
    for (const v of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) h.add(v);
    expect(h.snapshot()).toEqual({ count: 0, min: null, max: null, mean: null, binWidth: 1, bins: [] });
  });

  it('never holds more than its bins, whatever the values; each value lands in the bin that covers it', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2_000_000_000 }), { minLength: 1, maxLength: 300 }), (values) => {
        const h = new StreamingHistogram();
        for (const v of values) h.add(v);
        const s = h.snapshot();
        expect(s.bins.length).toBeLessThanOrEqual(HISTOGRAM_BINS);
        expect(s.bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
        for (const bin of s.bins) {
          expect(bin.count).toBe(values.filter((v) => v >= bin.from && v < bin.to).length);
        }
        expect(s.min).toBe(Math.min(...values));
        expect(s.max).toBe(Math.max(...values));
      }),
    );
  });

  it('refuses a bin count it cannot halve', () => {
    expect(() => new StreamingHistogram(3)).toThrow(/even integer/);
  });
});
