/**
 * A {@link SpillStore} on local disk (Lambda's `/tmp`): one file per bucket, appended in 64 KiB writes
 * from a per-bucket buffer that items are encoded into; reading a bucket loads that one file, so reads
 * are sequential and memory holds one bucket, the pending buffers and the offsets. File calls are
 * synchronous on purpose: a thread-pool round trip per item would dominate the run (measured in
 * bench/collect.bench.ts), and a Lambda serves one request at a time.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpillStore } from '../core/collect/spill';

/**
 * Bytes a bucket's buffer holds before it is appended to its file. A shard has up to 100 buckets, each
 * with its buffer: at 256 KiB they held 25 MiB; at 64 KiB, 6 MiB, with no measurable cost in writes
 * (bench/RESULTS.md, sixth session: peak RSS 137 → 120 MB for the core, 265 → 222 MB through S3).
 */
const FLUSH_BYTES = 64 * 1024;

/** A file-backed spill store; call {@link FileSpillStore.dispose} when done. */
export class FileSpillStore implements SpillStore {
  private buckets: number[] = [];
  private offsets: number[] = [];
  private lengths: number[] = [];
  private pending = new Map<number, { chunk: Buffer; bytes: number; written: number }>();
  private loaded: { bucket: number; data: Buffer } | undefined;

  private constructor(private readonly dir: string) {}

  /** Creates the store in a fresh temporary folder. */
  static async create(parent = tmpdir()): Promise<FileSpillStore> {
    return new FileSpillStore(await mkdtemp(join(parent, 'collect-')));
  }

  async put(bucket: number, text: string): Promise<number> {
    let state = this.pending.get(bucket);
    if (state === undefined) {
      state = { chunk: Buffer.allocUnsafe(FLUSH_BYTES), bytes: 0, written: 0 };
      this.pending.set(bucket, state);
    }
    const maxBytes = text.length * 3;
    if (state.bytes + maxBytes > FLUSH_BYTES) this.flush(bucket);
    this.buckets.push(bucket);
    this.offsets.push(state.written + state.bytes);
    if (maxBytes > FLUSH_BYTES) {
      const bytes = Buffer.from(text, 'utf8');
      appendFileSync(this.path(bucket), bytes);
      state.written += bytes.length;
      this.lengths.push(bytes.length);
    } else {
      const length = state.chunk.write(text, state.bytes);
      state.bytes += length;
      this.lengths.push(length);
    }
    if (this.loaded?.bucket === bucket) this.loaded = undefined;
    return this.buckets.length - 1;
  }

  async get(ref: number): Promise<Buffer> {
    const bucket = this.buckets[ref];
    if (bucket === undefined) throw new RangeError(`No spilled item ${ref}`);
    if (this.loaded?.bucket !== bucket) {
      this.flush(bucket);
      this.loaded = undefined;
      this.loaded = { bucket, data: readFileSync(this.path(bucket)) };
    }
    const offset = this.offsets[ref]!;
    return this.loaded.data.subarray(offset, offset + this.lengths[ref]!);
  }

  async clear(): Promise<void> {
    for (const bucket of this.pending.keys()) rmSync(this.path(bucket), { force: true });
    this.pending.clear();
    this.buckets = [];
    this.offsets = [];
    this.lengths = [];
    this.loaded = undefined;
  }

  /** Deletes the files. */
  async dispose(): Promise<void> {
    await this.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  private flush(bucket: number): void {
    const state = this.pending.get(bucket);
    if (state === undefined || state.bytes === 0) return;
    appendFileSync(this.path(bucket), state.chunk.subarray(0, state.bytes));
    state.written += state.bytes;
    state.bytes = 0;
  }

  private path(bucket: number): string {
    return join(this.dir, `bucket-${bucket}.bin`);
  }
}
