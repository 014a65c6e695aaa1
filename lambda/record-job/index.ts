/**
 * Record job result: the last state of every Map iteration (batch job or on-demand invocation, either
 * round). Writes the iteration's `JobResult` to `runs/<runId>/jobs/` (lambda/core/contract/layout.ts), where Plan
 * retry and Collect results read it, and returns an empty object, so the Map's results (discarded) and the
 * execution state stay small whatever the number of shards.
 */

import type { JobRecordInput } from '../core/contract/types';
import { withDeadlineSwitch } from '../core/deadline/recorded-switch';
import { withJobTimes } from '../core/job/job-times';
import { resultKeyOf } from '../core/job/shard-input';
import { s3Client } from '../io/clients';
import { requireEnv } from '../io/config';
import { putJson } from '../io/s3';

/** Step Functions task handler: writes the result, returns `{}` (the iteration's output). */
export async function handler(input: JobRecordInput): Promise<Record<string, never>> {
  const s3 = s3Client();
  await putJson(
    s3,
    requireEnv('WORK_BUCKET'),
    resultKeyOf(input),
    withDeadlineSwitch(input, withJobTimes(input.result, input.job)),
  );
  return {};
}
