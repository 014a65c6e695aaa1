/**
 * The bound on what dedupe's carry store (carry-store.ts) takes of Collect's `/tmp`. Collect writes rows
 * in row order; it puts a shared record's outcome in the store when the record's own row is written and
 * releases it after its last duplicate row, reusing its slot. So the store holds at most the peak of the
 * overlapping [own row, last duplicate row] spans ({@link CarrySpans}), each in one slot
 * ({@link carrySlotBytes}). Prepare computes the peak and refuses, before any job is created, a run whose
 * worst case does not fit the storage the stack gave Collect ({@link checkCollectDisk}).
 */

import { spillBytesPerRecord, spillBytesPerShard } from '../collect/spill-size';
import { CollectStorageTooSmallError } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';

const MIB = 1024 * 1024;

/** Disk bytes per write block: a slot of a multiple of it never takes more disk than its size. */
const BLOCK = 4096;

/**
 * The size of one carry-store slot for `pipeline`: what one spilled record may take
 * ({@link spillBytesPerRecord}: the carry store keeps the same rendered bytes, plus a row number within its
 * 2 KB of overhead), rounded up to whole 4 KiB blocks.
 */
export function carrySlotBytes(pipeline: PipelineDefinition): number {
  return Math.ceil(spillBytesPerRecord(pipeline) / BLOCK) * BLOCK;
}

/**
 * The most bytes of Collect's `/tmp` a run of `pipeline` can take: one shard's spill
 * ({@link spillBytesPerShard}) and `carried` slots of the carry store.
 */
export function collectDiskBytes(pipeline: PipelineDefinition, carried: number): number {
  return spillBytesPerShard(pipeline) + carried * carrySlotBytes(pipeline);
}

/**
 * The [own row, last duplicate row] span of every shared record, and their peak overlap: the most records
 * Collect's carry store holds at once. Memory: two 4-byte arrays over the run's records, never a string
 * per row.
 *
 * @example s.record(0, 1); s.record(1, 2); s.duplicate(0, 3); s.duplicate(1, 4); s.peak() // 2
 */
export class CarrySpans {
  private firstRow = new Uint32Array(1024);
  /** 0 for a record no duplicate row shares. */
  private lastRow = new Uint32Array(1024);
  private records = 0;

  /** Record `ordinal` (the next one) is written at 1-based row `row`. */
  record(ordinal: number, row: number): void {
    if (ordinal >= this.firstRow.length) {
      this.firstRow = grown(this.firstRow, ordinal);
      this.lastRow = grown(this.lastRow, ordinal);
    }
    this.firstRow[ordinal] = row;
    this.records = Math.max(this.records, ordinal + 1);
  }

  /** Row `row` (after the record's own) gets the outcome of record `ordinal`. */
  duplicate(ordinal: number, row: number): void {
    this.lastRow[ordinal] = row;
  }

  /** The most spans open at once, counted at each record's row after the duplicate rows before it. */
  peak(): number {
    let shared = 0;
    for (let k = 0; k < this.records; k++) if (this.lastRow[k] !== 0) shared++;
    const starts = new Uint32Array(shared);
    const ends = new Uint32Array(shared);
    for (let k = 0, i = 0; k < this.records; k++) {
      if (this.lastRow[k] === 0) continue;
      starts[i] = this.firstRow[k]!;
      ends[i++] = this.lastRow[k]!;
    }
    starts.sort();
    ends.sort();
    let open = 0;
    let most = 0;
    for (let i = 0, j = 0; i < shared; ) {
      if (ends[j]! < starts[i]!) {
        open--;
        j++;
      } else {
        most = Math.max(most, ++open);
        i++;
      }
    }
    return most;
  }
}

function grown(array: Uint32Array, index: number): Uint32Array<ArrayBuffer> {
  const next = new Uint32Array(Math.max(index + 1, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Refuses a run whose worst case ({@link collectDiskBytes}) is above `storageMiB`, Collect's ephemeral
 * storage as deployed.
 *
 * @throws CollectStorageTooSmallError saying the MiB needed and available, and the ways out.
 */
export function checkCollectDisk(pipeline: PipelineDefinition, carried: number, storageMiB: number): void {
  const needed = collectDiskBytes(pipeline, carried);
  if (needed <= storageMiB * MIB) return;
  throw new CollectStorageTooSmallError(
    `Dedupe would make Collect keep up to ${carried} answers at once for later identical rows, ` +
      `besides one shard's results: up to ${Math.ceil(needed / MIB)} MiB of its /tmp, but the stack gave it ` +
      `${storageMiB} MiB. Nothing was sent. Put identical rows next to each other in the file, or set ` +
      `"dedupe": false in pipeline "${pipeline.name}", or deploy with a larger collectStorageMiB (up to ` +
      `Lambda's 10,240), then upload the file again.`,
  );
}
