import { describe, expect, it } from 'vitest';
import type { JobState } from '../../../lambda/core/contract/job-types';
import { runDeadline } from '../../../lambda/core/deadline/estimate';
import { applyDeadline, deadlineApplies } from '../../../lambda/core/deadline/switch';
import { jobState, submitJobInput } from '../../helpers/events';

const started = '2026-11-25T12:00:00.000Z';
const minutes = (m: number) => new Date(Date.parse(started) + m * 60_000);
const counters = (total: number, processed: number) => ({
  totalRecordCount: total,
  processedRecordCount: processed,
  successRecordCount: processed,
  errorRecordCount: 0,
});
// 200 records, due 1 hour after the start: the last moment to switch them all is 42.5 minutes in.
const withDeadline = (job: JobState, extra: object = {}) => ({
  ...submitJobInput({ deadline: runDeadline(1, 200), runStartedAt: started }),
  job,
  ...extra,
});
const running = (m: number, processed = 0, extra: Partial<JobState> = {}) =>
  jobState({
    submittedAt: started,
    status: 'InProgress',
    counters: counters(200, processed),
    waitSeconds: 300,
    ...extra,
    checks: m,
  });

describe('deadlineApplies', () => {
  it('applies to first-round jobs of a run with a deadline only', () => {
    expect(deadlineApplies(withDeadline(jobState()))).toBe(true);
    expect(deadlineApplies(submitJobInput())).toBe(false);
    expect(deadlineApplies({ ...submitJobInput({ deadline: null, runStartedAt: started }) })).toBe(false);
    expect(deadlineApplies(withDeadline(jobState(), { round: 2 }))).toBe(false);
  });
});

describe('applyDeadline', () => {
  it('leaves a job alone without a deadline', () => {
    const job = running(30);
    expect(applyDeadline({ ...submitJobInput(), job }, job, minutes(30))).toEqual({ job, stop: false });
  });

  it('shortens the wait so the next check comes before the last moment to switch', () => {
    const job = running(40);
    const step = applyDeadline(withDeadline(job), job, minutes(40));
    expect(step.stop).toBe(false);
    expect(step.job.waitSeconds).toBe(150);
    expect(step.job.deadlineSwitch).toBeUndefined();
  });

  it('stops the job at the last moment and records the switch', () => {
    const job = running(42, 0);
    const step = applyDeadline(withDeadline(job), job, minutes(42));
    expect(step.stop).toBe(true);
    expect(step.job.waitSeconds).toBe(60);
    expect(step.job.deadlineSwitch).toEqual({
      at: minutes(42).toISOString(),
      dueAt: minutes(60).toISOString(),
      processed: 0,
      remaining: 200,
      onDemandSeconds: 1050,
    });
  });

  it('keeps the switch on later checks and never stops twice', () => {
    const job = running(42);
    const first = applyDeadline(withDeadline(job), job, minutes(42));
    const stopping = jobState({ ...first.job, status: 'Stopping', deadlineSwitch: undefined });
    const next = applyDeadline(withDeadline(first.job), stopping, minutes(43));
    expect(next.stop).toBe(false);
    expect(next.job.deadlineSwitch).toEqual(first.job.deadlineSwitch);
    const stopped = jobState({ ...first.job, status: 'Stopped', outcome: 'done', deadlineSwitch: undefined });
    expect(applyDeadline(withDeadline(first.job), stopped, minutes(44)).job.deadlineSwitch).toEqual(
      first.job.deadlineSwitch,
    );
  });

  it('does not weigh a job that is done', () => {
    const job = running(50, 200, { status: 'Completed', outcome: 'done' });
    expect(applyDeadline(withDeadline(job), job, minutes(50))).toEqual({ job, stop: false });
  });

  it('uses the run’s records while Bedrock reports no count yet', () => {
    const job = jobState({ submittedAt: started, status: 'Validating', waitSeconds: 60 });
    const step = applyDeadline(withDeadline(job), job, minutes(42));
    expect(step.stop).toBe(true);
    expect(step.job.deadlineSwitch?.remaining).toBe(200);
  });

  it('lets the job go on when even on demand is too late, and says so', () => {
    const job = running(50);
    const step = applyDeadline(withDeadline(job), job, minutes(50));
    expect(step.stop).toBe(false);
    expect(step.decision?.action).toBe('too-late');
    expect(step.job).toEqual(job);
  });
});
