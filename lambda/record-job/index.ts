/**
 * Record job result: the last state of every Map iteration (batch job or on-demand invocation, either
 * round). Writes the iteration's `JobResult` to `runs/<runId>/jobs/` (lambda/core/layout.ts), where Plan
 * retry and Collect results read it, and returns an empty object, so the Map's results (discarded) and the
 * execution state stay small whatever the number of shards.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { resultKeyOf } from '../core/shard-input';
import { isFailedJob, type JobRecordInput, type JobResult } from '../core/types';
import { requireEnv } from '../io/config';
import { putJson } from '../io/s3';
import { traced } from '../io/telemetry';

/** Step Functions task handler: writes the result, returns `{}` (the iteration's output). */
export async function handler(input: JobRecordInput): Promise<Record<string, never>> {
  const s3 = traced(new S3Client({}));
  try {
    await putJson(s3, requireEnv('WORK_BUCKET'), resultKeyOf(input), withDeadlineSwitch(input));
    return {};
  } finally {
    s3.destroy();
  }
}

/** The result, with the job's deadline switch (Check job stopped it for the deadline) when there was one. */
function withDeadlineSwitch(input: JobRecordInput): JobResult {
  const deadlineSwitch = input.job?.deadlineSwitch;
  if (deadlineSwitch === undefined || isFailedJob(input.result)) return input.result;
  return { ...input.result, deadlineSwitch };
}
