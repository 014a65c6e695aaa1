/** Carries a job's deadline switch from the iteration state (`$.job`) into its recorded result. */
import { isFailedJob, type JobResult } from '../contract/job-types';
import type { JobRecordInput } from '../contract/types';

/** The result, with the job's deadline switch (Check job stopped it for the deadline) when there was one. */
export function withDeadlineSwitch(input: JobRecordInput, result: JobResult): JobResult {
  const deadlineSwitch = input.job?.deadlineSwitch;
  if (deadlineSwitch === undefined || isFailedJob(result)) return result;
  return { ...result, deadlineSwitch };
}
