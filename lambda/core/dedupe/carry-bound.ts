/**
 * The bound on what dedupe's carry store (carry-store.ts) takes of Collect's `/tmp`. Collect puts the
 * outcome of every record that duplicate rows share into one append-only file when the record's own row
 * is written, and frees nothing before the run's results are written: so the most records the store holds
 * at once is the number of distinct shared records, wherever their duplicate rows sit. Prepare counts them
 * (`Deduper.carried`, one bit per record) and refuses, before any job is created, a run whose worst case
 * does not fit the storage the stack gave Collect ({@link checkCollectDisk}).
 */

import { spillBytesPerRecord, spillBytesPerShard } from '../collect/spill-size';
import { CollectStorageTooSmallError } from '../contract/errors';
import type { PipelineDefinition } from '../contract/types';

const MIB = 1024 * 1024;

/**
 * The most bytes of Collect's `/tmp` a run of `pipeline` can take: one shard's spill
 * ({@link spillBytesPerShard}) and `carried` outcomes in the carry store, each at most what one spilled
 * record takes ({@link spillBytesPerRecord}: the same rendered bytes, plus a row number within its
 * 2 KB of overhead).
 */
export function collectDiskBytes(pipeline: PipelineDefinition, carried: number): number {
  return spillBytesPerShard(pipeline) + carried * spillBytesPerRecord(pipeline);
}

/**
 * Refuses a run whose worst case ({@link collectDiskBytes}) is above `storageMiB`, Collect's ephemeral
 * storage as deployed.
 *
 * @throws CollectStorageTooSmallError saying the MiB needed and available, and the two ways out.
 */
export function checkCollectDisk(pipeline: PipelineDefinition, carried: number, storageMiB: number): void {
  const needed = collectDiskBytes(pipeline, carried);
  if (needed <= storageMiB * MIB) return;
  throw new CollectStorageTooSmallError(
    `Dedupe would make Collect keep the answers of ${carried} records that later identical rows share, ` +
      `besides one shard's results: up to ${Math.ceil(needed / MIB)} MiB of its /tmp, but the stack gave it ` +
      `${storageMiB} MiB. Nothing was sent. Set "dedupe": false in pipeline "${pipeline.name}", or deploy ` +
      `with a larger collectStorageMiB (up to Lambda's 10,240), then upload the file again.`,
  );
}
