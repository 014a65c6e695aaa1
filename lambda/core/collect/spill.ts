/**
 * Where a shard's outcomes wait between reading the outputs (any order) and writing the rows (input
 * order). Items are put in numbered buckets (consecutive ranges of the shard's rows) and read back
 * bucket after bucket, so a disk-backed store reads sequentially, one bucket in memory at a time. The
 * in-memory store suits tests; the handler uses a file-backed one so memory stays bounded whatever the
 * model returns (an embedding line is tens of kilobytes).
 */

/** Stores strings in buckets and returns them by reference, as UTF-8 bytes. */
export interface SpillStore {
  /** Stores `text` in `bucket`; returns its reference. */
  put(bucket: number, text: string): Promise<number>;
  /** The UTF-8 bytes of the text stored under `ref`; cheapest when refs are read bucket by bucket. */
  get(ref: number): Promise<Buffer>;
  /** Forgets everything (between shards). */
  clear(): Promise<void>;
}

/** A {@link SpillStore} in memory. */
export class MemorySpillStore implements SpillStore {
  private items: string[] = [];

  async put(_bucket: number, text: string): Promise<number> {
    return this.items.push(text) - 1;
  }

  async get(ref: number): Promise<Buffer> {
    const text = this.items[ref];
    if (text === undefined) throw new RangeError(`No spilled item ${ref}`);
    return Buffer.from(text, 'utf8');
  }

  async clear(): Promise<void> {
    this.items = [];
  }
}
