/**
 * What a Map iteration derives from its item (run id, round, numbers) instead of carrying keys in the
 * execution state: where its input is and where its result goes (lambda/core/contract/layout.ts).
 */
import { JobResultMissingError } from '../contract/errors';
import type { CaughtError, FailedJob } from '../contract/job-types';
import { batchInputKey, jobResultKey, retryInputKey, retryInputPrefix } from '../contract/layout';
import type { SubmitJobInput } from '../contract/types';

type Item = Pick<SubmitJobInput, 'runId' | 'shard' | 'round' | 'part'>;

/** A batch job's input: the shard's JSONL, or a retry job's folder `retry-input/job-NN/`. */
export function batchJobInputKey(item: Item): string {
  return (item.round ?? 1) === 1
    ? batchInputKey(item.runId, item.shard)
    : retryInputPrefix(item.runId, item.shard);
}

/** An on-demand invocation's input: the shard's JSONL, or its part `retry-input/job-NN/shard-NNNN.jsonl`. */
export function onDemandInputKey(item: Item): string {
  return (item.round ?? 1) === 1
    ? batchInputKey(item.runId, item.shard)
    : retryInputKey(item.runId, item.part ?? item.shard, item.shard);
}

/** Where the iteration's `JobResult` goes: by shard in the first round, by job or part in the second. */
export function resultKeyOf(item: Item): string {
  const round = item.round ?? 1;
  return jobResultKey(item.runId, round, round === 1 ? item.shard : (item.part ?? item.shard));
}

/** The result a shard gets when its iteration left none (it ended without reaching Record job result). */
export function missingResult(shard: number, key: string): FailedJob {
  const error = new JobResultMissingError(
    `Shard ${shard} has no job result at ${key}: its iteration ended without recording one; see the execution history.`,
  );
  const caught: CaughtError = {
    Error: error.name,
    Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message }),
  };
  return { shard, error: caught };
}
