import { describe, expect, it } from 'vitest';
import type { FinishedJob } from '../../../lambda/core/contract/job-types';
import { nextJobState } from '../../../lambda/core/job/job-status';
import { nextJobTimes, withJobTimes } from '../../../lambda/core/job/job-times';
import { jobState } from '../../helpers/events';

const T = (minute: number) => `2026-12-01T06:${String(minute).padStart(2, '0')}:00.000Z`;
const counters = { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 };

describe("a job's times for the report's timeline", () => {
  it('takes submitted and ended from Bedrock, and the start from the first check that saw it InProgress', () => {
    let times = nextJobTimes(undefined, 'Scheduled', { submitTime: T(0), lastModifiedTime: T(2) });
    expect(times).toEqual({ submitted: T(0) });
    times = nextJobTimes(times, 'InProgress', { submitTime: T(0), lastModifiedTime: T(5) });
    expect(times).toEqual({ submitted: T(0), started: T(5) });
    times = nextJobTimes(times, 'InProgress', { submitTime: T(0), lastModifiedTime: T(9) });
    expect(times.started).toBe(T(5));
    times = nextJobTimes(times, 'Completed', { submitTime: T(0), lastModifiedTime: T(20), endTime: T(20) });
    expect(times).toEqual({ submitted: T(0), started: T(5), ended: T(20) });
  });

  it('leaves the start out when the first check already saw the job ended', () => {
    const times = nextJobTimes(undefined, 'Completed', {
      submitTime: T(0),
      lastModifiedTime: T(7),
      endTime: T(7),
    });
    expect(times).toEqual({ submitted: T(0), ended: T(7) });
  });

  it('keeps what it knew when a check could not read the job', () => {
    expect(nextJobTimes({ submitted: T(0), started: T(3) }, undefined, undefined)).toEqual({
      submitted: T(0),
      started: T(3),
    });
  });

  it("is carried in the job state by every check, starting from Submit job's submittedAt", () => {
    const state = jobState({ submittedAt: T(1) });
    const checked = nextJobState(
      state,
      { status: 'InProgress', counters, times: { lastModifiedTime: T(4) } },
      new Date(T(6)),
    );
    expect(checked.times).toEqual({ submitted: T(1), started: T(4) });
  });

  it("is added to the iteration's result by Record job result, unless it has its own or there is no job", () => {
    const result: FinishedJob = { shard: 1, jobArn: 'arn:x', status: 'Completed', counters };
    const times = { submitted: T(0), ended: T(9) };
    expect(withJobTimes(result, { times })).toEqual({ ...result, times });
    expect(withJobTimes(result, undefined)).toBe(result);
    const own = { ...result, times: { submitted: T(1) } };
    expect(withJobTimes(own, { times })).toBe(own);
  });
});
