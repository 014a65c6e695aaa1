/** Writes the inputs of an on-demand second round: the selected records of each shard, per planned job. */

import type { S3Client } from '@aws-sdk/client-s3';
import { retryInputKey } from '../core/contract/layout';
import type { ShardRef } from '../core/contract/types';
import { readLines } from '../core/jsonl/lines';
import { jobOfRecord, type RetryPlan, retryInputLines } from '../core/retry/retry-round';
import type { RetrySelection } from '../core/retry/selection';
import { openObject, openUpload, type S3Sink } from './s3';

/** One written input: the plan's job and the shard reference the invocation reads. */
export interface RetryInputRef {
  readonly job: number;
  readonly shard: ShardRef;
}

/**
 * Streams each selected shard's batch input once and writes the selected records to
 * `retry-input/job-NN/shard-NNNN.jsonl`, one file per planned job. Uploads are aborted on failure.
 */
export async function writeRetryInputs(
  s3: S3Client,
  bucket: string,
  runId: string,
  plan: RetryPlan,
  selection: RetrySelection,
  shards: ReadonlyMap<number, ShardRef>,
): Promise<RetryInputRef[]> {
  const refs: RetryInputRef[] = [];
  for (const { shard, recordIds } of selection.shards) {
    const source = shards.get(shard);
    if (source === undefined) continue;
    const body = await openObject(s3, bucket, source.inputKey);
    if (body === undefined) throw new Error(`The shard ${source.inputKey} is missing`);
    const open = new Map<number, { sink: S3Sink; records: number; bytes: number }>();
    try {
      for await (const { job, line } of retryInputLines(
        readLines(body),
        recordIds,
        jobOfRecord(plan, shard),
      )) {
        let entry = open.get(job);
        if (entry === undefined) {
          const key = retryInputKey(runId, job, shard);
          entry = { sink: openUpload(s3, bucket, key, 'application/jsonl'), records: 0, bytes: 0 };
          open.set(job, entry);
        }
        const text = `${line}\n`;
        await entry.sink.write(text);
        entry.records++;
        entry.bytes += Buffer.byteLength(text);
      }
      for (const [job, entry] of open) {
        await entry.sink.close();
        refs.push({
          job,
          shard: {
            ...source,
            inputKey: retryInputKey(runId, job, shard),
            records: entry.records,
            bytes: entry.bytes,
          },
        });
      }
    } catch (error) {
      await Promise.allSettled([...open.values()].map((entry) => entry.sink.abort()));
      throw error;
    }
  }
  return refs.sort((a, b) => a.job - b.job);
}
