/**
 * A job's times for report.html's timeline, carried in its state from check to check: Bedrock's
 * `submitTime` and `endTime`, and as its start the `lastModifiedTime` of the first check that saw the
 * job InProgress (Bedrock changes it when the status changes). A job first seen already ended has no
 * start: the checks never saw it running.
 */
import type { JobTimes } from '../contract/job-types';

/** The times GetModelInvocationJob returned (ISO 8601). */
export interface ObservedTimes {
  readonly submitTime?: string;
  readonly lastModifiedTime?: string;
  readonly endTime?: string;
}

/**
 * The times after one more check that saw `status` and `observed`.
 *
 * @example nextJobTimes(undefined, 'InProgress', { submitTime: 'T0', lastModifiedTime: 'T1' }) // { submitted: 'T0', started: 'T1' }
 */
export function nextJobTimes(
  previous: JobTimes | undefined,
  status: string | undefined,
  observed: ObservedTimes | undefined,
): JobTimes {
  const submitted = observed?.submitTime ?? previous?.submitted;
  const started = previous?.started ?? (status === 'InProgress' ? observed?.lastModifiedTime : undefined);
  const ended = observed?.endTime ?? previous?.ended;
  return {
    ...(submitted === undefined ? {} : { submitted }),
    ...(started === undefined ? {} : { started }),
    ...(ended === undefined ? {} : { ended }),
  };
}

/**
 * The iteration's result with the times its last check saw (from `$.job`, still in the iteration's
 * state), so runs/<runId>/jobs/*.json carry them; a result that has times, or no job, is unchanged.
 */
export function withJobTimes<T extends { readonly times?: JobTimes }>(
  result: T,
  job: { readonly times?: JobTimes } | undefined,
): T {
  if (result.times !== undefined || job?.times === undefined) return result;
  return { ...result, times: job.times };
}
