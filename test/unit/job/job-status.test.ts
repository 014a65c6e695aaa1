import { describe, expect, it } from 'vitest';
import { JobExpiredError, JobFailedError, UnknownJobStatusError } from '../../../lambda/core/contract/errors';
import { JOB_STATUSES } from '../../../lambda/core/contract/job-types';
import {
  classifyStatus,
  isPastDeadline,
  maxRunHours,
  nextJobState,
  POLL_ITERATION_EVENTS,
  pollIntervalSeconds,
  pollingHistory,
  submissionAttempt,
  UNKNOWN_STATUS_CAP,
} from '../../../lambda/core/job/job-status';
import { jobState, submitJobInput } from '../../helpers/events';

const submittedAt = '2026-11-25T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(submittedAt) + minutes * 60_000);
const counters = {
  totalRecordCount: 500,
  processedRecordCount: 120,
  successRecordCount: 118,
  errorRecordCount: 2,
};

describe('status mapping (all ten statuses)', () => {
  it.each([
    ['Submitted', 'running'],
    ['Validating', 'running'],
    ['Scheduled', 'running'],
    ['InProgress', 'running'],
    ['Stopping', 'running'],
    ['Completed', 'done'],
    ['PartiallyCompleted', 'done'],
    ['Stopped', 'done'],
  ])('%s → outcome %s', (status, outcome) => {
    const job = nextJobState(jobState(), { status, counters }, at(5));
    expect(job.outcome).toBe(outcome);
    expect(job.status).toBe(status);
  });

  it('knows every status Bedrock defines', () => {
    for (const status of JOB_STATUSES) expect(classifyStatus(status)).not.toBe('unknown');
    expect(classifyStatus('Paused')).toBe('unknown');
    expect(classifyStatus('toString')).toBe('unknown');
  });

  it('keeps the progress counters and the message for the console', () => {
    const job = nextJobState(jobState(), { status: 'InProgress', message: 'running', counters }, at(5));
    expect(job.counters).toEqual(counters);
    expect(job.message).toBe('running');
    expect(job.checks).toBe(1);
  });

  it("fails with Bedrock's message when the job ends Failed", () => {
    const failed = () =>
      nextJobState(
        jobState(),
        { status: 'Failed', message: 'Could not validate GetObject permissions', counters },
        at(9),
      );
    expect(failed).toThrow(JobFailedError);
    expect(failed).toThrow(/Could not validate GetObject permissions/);
  });

  it('asks for one resubmission when the job Expired, then fails on the second expiry', () => {
    const first = nextJobState(jobState({ attempt: 1 }), { status: 'Expired', counters: {} }, at(60));
    expect(first.outcome).toBe('resubmit');
    expect(submissionAttempt(submitJobInput({ job: first }))).toBe(2);
    expect(() => nextJobState(jobState({ attempt: 2 }), { status: 'Expired', counters: {} }, at(60))).toThrow(
      JobExpiredError,
    );
  });

  it('treats an unknown status as running up to the cap, then fails clearly (row 38)', () => {
    let job = jobState();
    for (let i = 1; i < UNKNOWN_STATUS_CAP; i += 1) {
      job = nextJobState(job, { status: 'Hibernating', counters: {} }, at(i));
      expect(job.outcome).toBe('running');
      expect(job.unknownChecks).toBe(i);
    }
    expect(() => nextJobState(job, { status: 'Hibernating', counters: {} }, at(11))).toThrow(
      UnknownJobStatusError,
    );
    expect(() => nextJobState(job, { status: 'Hibernating', counters: {} }, at(11))).toThrow(
      /"Hibernating" on 10/,
    );
  });

  it('resets the unknown count when a known status comes back', () => {
    const job = nextJobState(jobState({ unknownChecks: 9 }), { status: 'InProgress', counters: {} }, at(5));
    expect(job.unknownChecks).toBe(0);
  });

  it('counts an unreadable check as unknown and keeps the last status', () => {
    const job = nextJobState(jobState({ status: 'InProgress' }), { counters }, at(5));
    expect(job).toMatchObject({ status: 'InProgress', outcome: 'running', unknownChecks: 1 });
  });
});

describe('submission attempts', () => {
  it('is 1 without a previous job, and for a previous job that is not a resubmission', () => {
    expect(submissionAttempt(submitJobInput())).toBe(1);
    expect(submissionAttempt(submitJobInput({ job: jobState({ outcome: 'running', attempt: 1 }) }))).toBe(1);
  });
});

describe('adaptive polling', () => {
  it('waits 1 minute at first, then 5, 15 and 30 minutes', () => {
    expect([0, 9, 10, 119, 120, 719, 720, 10_000].map((m) => pollIntervalSeconds(m * 60))).toEqual([
      60, 60, 300, 300, 900, 900, 1800, 1800,
    ]);
  });

  it('sets the next wait from the time since submission', () => {
    expect(nextJobState(jobState(), { status: 'InProgress', counters }, at(3)).waitSeconds).toBe(60);
    expect(nextJobState(jobState(), { status: 'InProgress', counters }, at(13 * 60)).waitSeconds).toBe(1800);
  });

  it('counts nine history events per poll iteration', () => {
    expect(POLL_ITERATION_EVENTS).toHaveLength(9);
  });

  it('keeps a 168-hour job, and one stopped at the 192-hour limit, below 5,000 events (issue 7, row 36)', () => {
    const week = pollingHistory(168 * 3600);
    const limit = pollingHistory(192 * 3600);
    // 10 checks at 1 min, 22 at 5 min, 40 at 15 min, 312 (or 360) at 30 min
    expect(week.checks).toBe(10 + 22 + 40 + 312);
    expect(week.events).toBe(week.checks * 9);
    expect(limit.events).toBeLessThan(5000);
    expect(week.events).toBeLessThan(5000);
  });

  it('finishes a 5-minute job within a minute of its end', () => {
    expect(pollingHistory(5 * 60).checks).toBe(5);
  });
});

describe('run limit', () => {
  it('defaults to the job timeout plus 24 hours, or takes MAX_RUN_HOURS', () => {
    expect(maxRunHours(undefined, 72)).toBe(96);
    expect(maxRunHours('100', 72)).toBe(100);
    expect(maxRunHours('nonsense', 24)).toBe(48);
    expect(maxRunHours('0', 24)).toBe(48);
  });

  it('is passed only after the limit', () => {
    expect(isPastDeadline(jobState({ submittedAt }), at(96 * 60), 96)).toBe(false);
    expect(isPastDeadline(jobState({ submittedAt }), at(96 * 60 + 1), 96)).toBe(true);
  });
});
