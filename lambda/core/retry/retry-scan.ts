/**
 * The first round of one shard, read for the second chance: which rows failed for a retryable reason,
 * and which were never processed. Reads the output lines once (keeping the ids seen and the retryable
 * errors), then the row sidecar once; offers each row to a `RetrySelector`. Pure: lines in.
 */

import { RowErrorCode } from '../contract/errors';
import { type OutputMode, readOutputLine } from '../jsonl/outcome';
import { sidecarRecordId } from '../jsonl/sidecar';
import { type RetrySelector, type RowOutcome, retryReason } from './selection';

/**
 * Offers every row of `shard` to `selector`: a row whose output line is a retryable error, and a row
 * without any output line (`missing`, `NOT_PROCESSED`: the job ended before reaching it). Returns how
 * many rows were selected.
 */
export async function scanShard(
  shard: number,
  outputLines: AsyncIterable<string>,
  sidecarLines: AsyncIterable<string>,
  mode: OutputMode,
  selector: RetrySelector,
): Promise<number> {
  const seen = new Set<string>();
  const retryable = new Map<string, RowOutcome>();
  for await (const line of outputLines) {
    const read = readOutputLine(line, mode);
    if (read === undefined) continue;
    if (read.outcome.status === 'ok') {
      seen.add(read.recordId);
      retryable.delete(read.recordId);
      continue;
    }
    if (seen.has(read.recordId)) continue;
    seen.add(read.recordId);
    const row: RowOutcome = {
      recordId: read.recordId,
      status: 'error',
      ...(read.outcome.errorCode === undefined ? {} : { errorCode: read.outcome.errorCode }),
      ...(read.outcome.errorMessage === undefined ? {} : { errorMessage: read.outcome.errorMessage }),
    };
    if (retryReason(row) !== undefined) retryable.set(read.recordId, row);
    else retryable.delete(read.recordId);
  }
  let selected = 0;
  for await (const line of sidecarLines) {
    const recordId = sidecarRecordId(line);
    if (recordId === undefined) continue;
    const row: RowOutcome = seen.has(recordId)
      ? (retryable.get(recordId) ?? { recordId, status: 'ok' })
      : { recordId, status: 'missing', errorCode: RowErrorCode.NotProcessed };
    if (selector.add(shard, row) !== undefined) selected++;
  }
  return selected;
}
