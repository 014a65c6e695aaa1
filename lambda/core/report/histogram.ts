/**
 * A histogram of non-negative integers (tokens per row) built while the rows stream by, in memory that
 * does not grow with the file: a fixed number of equal bins starting at 0; when a value falls past the
 * last bin, the bin width doubles and neighbouring bins merge, so every value seen is still counted in
 * exactly one bin.
 */

/** Bins kept: enough resolution for a chart a phone can show, a few hundred bytes in memory. */
export const HISTOGRAM_BINS = 64;

/** One bin: values from `from` (inclusive) to `to` (exclusive). */
export interface HistogramBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** A histogram as the report shows it. */
export interface HistogramSnapshot {
  /** Values counted. */
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly binWidth: number;
  /** From the first non-empty bin to the last (empty when nothing was counted). */
  readonly bins: readonly HistogramBin[];
}

/** Counts values into {@link HISTOGRAM_BINS} bins whose width doubles as larger values arrive. */
export class StreamingHistogram {
  private readonly counts: number[];
  private width = 1;
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(private readonly binCount: number = HISTOGRAM_BINS) {
    if (!Number.isInteger(binCount) || binCount < 2 || binCount % 2 !== 0) {
      throw new Error(`binCount must be an even integer of at least 2, got ${binCount}`);
    }
    this.counts = new Array(binCount).fill(0);
  }

  /** Counts one value; negative, fractional or non-finite values are not token counts and are ignored. */
  add(value: number): void {
    if (!Number.isInteger(value) || value < 0) return;
    while (value >= this.width * this.binCount) this.widen();
    this.counts[Math.floor(value / this.width)]!++;
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** The bins from the first non-empty one to the last, and the figures. */
  snapshot(): HistogramSnapshot {
    if (this.count === 0)
      return { count: 0, min: null, max: null, mean: null, binWidth: this.width, bins: [] };
    const first = this.counts.findIndex((c) => c > 0);
    let last = this.counts.length - 1;
    while (this.counts[last] === 0) last--;
    const bins: HistogramBin[] = [];
    for (let i = first; i <= last; i++) {
      bins.push({ from: i * this.width, to: (i + 1) * this.width, count: this.counts[i]! });
    }
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: this.sum / this.count,
      binWidth: this.width,
      bins,
    };
  }

  /** Doubles the width: bins 2i and 2i+1 become bin i. */
  private widen(): void {
    const half = this.binCount / 2;
    for (let i = 0; i < half; i++) this.counts[i] = this.counts[2 * i]! + this.counts[2 * i + 1]!;
    for (let i = half; i < this.binCount; i++) this.counts[i] = 0;
    this.width *= 2;
  }
}
