/** The state of a batch job just submitted: nothing counted yet, first polled after one minute. */
import type { JobState } from '../contract/job-types';
import { FIRST_WAIT_SECONDS } from './job-status';

/** The new job's state: `Submitted`, `running`, submitted at `now` (ISO 8601, re-serialised), waiting `FIRST_WAIT_SECONDS`. */
export function submittedJob(jobArn: string, jobName: string, attempt: number, now: string): JobState {
  return {
    jobArn,
    jobName,
    attempt,
    submittedAt: new Date(now).toISOString(),
    status: 'Submitted',
    outcome: 'running',
    waitSeconds: FIRST_WAIT_SECONDS,
    checks: 0,
    unknownChecks: 0,
    counters: { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 },
  };
}
