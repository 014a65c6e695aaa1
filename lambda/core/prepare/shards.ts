/**
 * Streams records into shards (one shard = one batch job) within the record and byte limits, and keeps
 * every shard at or above the minimum whenever a valid split exists.
 *
 * How, without knowing the total up front: the last `minRecords` records are held back in memory (a
 * FIFO) instead of being written at once. A record leaves the FIFO only when a newer one arrives, and
 * goes into the open shard (a new shard is started when the open one would exceed a limit). At the end
 * the held-back records join the open shard if they fit; otherwise they start the last shard, which then
 * has exactly `minRecords` records. A shard that was closed for being full holds at least
 * `maxRecords - minRecords >= minRecords` records (the validator enforces `maxRecords >= 2 * minRecords`),
 * so no shard is below the minimum when the total is at least the minimum. Memory held: at most
 * `minRecords` rendered records plus one input chunk's output.
 */

import type { PrepareKeys } from '../contract/layout';
import type { ShardRef } from '../contract/types';
import { CONTENT_TYPE, type Sink, type SinkFactory } from './sink';

/**
 * One record ready to write: its JSONL line `lines[lineStart, lineEnd)` and its sidecar line
 * `sides[sideStart, sideEnd)`, both ending in `\n`. Offsets into shared slabs rather than Buffer views,
 * so a record costs one plain object.
 */
export interface PendingRecord {
  readonly lines: Buffer;
  readonly lineStart: number;
  readonly lineEnd: number;
  readonly sides: Buffer;
  readonly sideStart: number;
  readonly sideEnd: number;
}

/** Shard limits; `maxBytes` is the smaller of the per-file and per-job byte limits. */
export interface ShardLimits {
  readonly minRecords: number;
  readonly maxRecords: number;
  readonly maxBytes: number;
}

interface OpenShard {
  readonly shard: number;
  records: number;
  bytes: number;
  pending: PendingRecord[];
  input?: Sink;
  rows?: Sink;
  closing: boolean;
}

/**
 * Writes records to shard and sidecar sinks. `add` is synchronous; call `drain` between input chunks
 * to hand the buffered text to the sinks, and `finish` once at the end.
 *
 * @example
 * const writer = new ShardWriter(sinks, LOCAL_KEYS, { minRecords: 100, maxRecords: 50_000, maxBytes: 1e9 });
 * writer.add(record); await writer.drain(); const shards = await writer.finish();
 */
export class ShardWriter {
  private readonly held: PendingRecord[] = [];
  private heldStart = 0;
  private readonly shards: OpenShard[] = [];
  private readonly done: ShardRef[] = [];
  private readonly sinks: Sink[] = [];

  constructor(
    private readonly factory: SinkFactory,
    private readonly keys: PrepareKeys,
    private readonly limits: ShardLimits,
  ) {}

  /** Queues a record. */
  add(record: PendingRecord): void {
    this.held.push(record);
    if (this.held.length - this.heldStart > this.limits.minRecords) {
      this.assign(this.held[this.heldStart]!);
      this.held[this.heldStart++] = undefined as never;
      if (this.heldStart > 4096 && this.heldStart * 2 > this.held.length) {
        this.held.splice(0, this.heldStart);
        this.heldStart = 0;
      }
    }
  }

  /** Writes buffered text and closes shards that are full. */
  async drain(): Promise<void> {
    for (const shard of this.shards) await this.flush(shard);
    while (this.shards.length > 0 && this.shards[0]!.closing) await this.close(this.shards.shift()!);
  }

  /** Places the held-back records, closes every shard and returns them in order. */
  async finish(): Promise<ShardRef[]> {
    const rest = this.held.slice(this.heldStart);
    this.held.length = 0;
    this.heldStart = 0;
    const open = this.current();
    const bytes = rest.reduce((sum, r) => sum + r.lineEnd - r.lineStart, 0);
    const fits =
      open !== undefined &&
      open.records + rest.length <= this.limits.maxRecords &&
      open.bytes + bytes <= this.limits.maxBytes;
    if (open !== undefined && !fits && rest.length > 0) open.closing = true;
    for (const record of rest) this.assign(record);
    const last = this.current();
    if (last) last.closing = true;
    await this.drain();
    return this.done;
  }

  /**
   * After {@link drain}: resolves once the open sinks no longer need any bytes written so far (closed
   * ones are done with theirs), or undefined when one of them cannot tell.
   */
  released(): Promise<void> | undefined {
    const released = this.sinks.map((sink) => sink.released?.());
    if (released.includes(undefined)) return undefined;
    return Promise.all(released).then(() => undefined);
  }

  /** The oldest record still held back (not yet written), if any. */
  oldest(): PendingRecord | undefined {
    return this.held[this.heldStart];
  }

  /** Aborts every sink still open. */
  async abort(): Promise<void> {
    await Promise.allSettled(this.sinks.map((sink) => sink.abort()));
    this.sinks.length = 0;
  }

  private current(): OpenShard | undefined {
    const last = this.shards[this.shards.length - 1];
    return last && !last.closing ? last : undefined;
  }

  private assign(record: PendingRecord): void {
    let shard = this.current();
    const bytes = record.lineEnd - record.lineStart;
    if (
      shard !== undefined &&
      (shard.records + 1 > this.limits.maxRecords || shard.bytes + bytes > this.limits.maxBytes)
    ) {
      shard.closing = true;
      shard = undefined;
    }
    if (shard === undefined) {
      const previous = this.shards[this.shards.length - 1]?.shard ?? this.done.length;
      shard = { shard: previous + 1, records: 0, bytes: 0, pending: [], closing: false };
      this.shards.push(shard);
    }
    shard.records++;
    shard.bytes += bytes;
    shard.pending.push(record);
  }

  private async flush(shard: OpenShard): Promise<void> {
    if (shard.pending.length === 0) return;
    if (shard.input === undefined) {
      shard.input = this.track(this.factory.open(this.keys.batchInput(shard.shard), CONTENT_TYPE.jsonl));
      shard.rows = this.track(this.factory.open(this.keys.rows(shard.shard), CONTENT_TYPE.jsonl));
    }
    const pending = shard.pending;
    shard.pending = [];
    for (const region of contiguous(pending, 'lines')) await shard.input.write(region);
    for (const region of contiguous(pending, 'sides')) await shard.rows!.write(region);
  }

  private async close(shard: OpenShard): Promise<void> {
    await this.flush(shard);
    if (shard.input === undefined) return;
    await shard.input.close();
    await shard.rows!.close();
    this.untrack(shard.input);
    this.untrack(shard.rows!);
    this.done.push({
      shard: shard.shard,
      inputKey: this.keys.batchInput(shard.shard),
      rowsKey: this.keys.rows(shard.shard),
      records: shard.records,
      bytes: shard.bytes,
    });
  }

  private track(sink: Sink): Sink {
    this.sinks.push(sink);
    return sink;
  }

  private untrack(sink: Sink): void {
    const at = this.sinks.indexOf(sink);
    if (at >= 0) this.sinks.splice(at, 1);
  }
}

/** Views over the records' line (or sidecar) bytes, one per run of records adjacent in one slab. */
function contiguous(records: readonly PendingRecord[], which: 'lines' | 'sides'): Buffer[] {
  const out: Buffer[] = [];
  const lines = which === 'lines';
  let slab: Buffer | undefined;
  let start = 0;
  let end = 0;
  for (const r of records) {
    const buf = lines ? r.lines : r.sides;
    const from = lines ? r.lineStart : r.sideStart;
    const to = lines ? r.lineEnd : r.sideEnd;
    if (buf === slab && from === end) {
      end = to;
      continue;
    }
    if (slab !== undefined) out.push(slab.subarray(start, end));
    slab = buf;
    start = from;
    end = to;
  }
  if (slab !== undefined) out.push(slab.subarray(start, end));
  return out;
}
