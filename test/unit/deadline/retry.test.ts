import { describe, expect, it } from 'vitest';
import { RowErrorCode } from '../../../lambda/core/contract/errors';
import type { JobResult } from '../../../lambda/core/contract/job-types';
import {
  DeadlineRetrySelector,
  planAfterDeadline,
  switchedShards,
} from '../../../lambda/core/deadline/retry';

const limits = { minRecordsPerJob: 100, maxRecordsPerJob: 50_000 };
const notProcessed = (recordId: string) =>
  ({ recordId, status: 'missing', errorCode: RowErrorCode.NotProcessed }) as const;
const throttled = (recordId: string) =>
  ({
    recordId,
    status: 'error',
    errorCode: RowErrorCode.ModelError,
    errorMessage: '429: slow down',
  }) as const;
const counters = { totalRecordCount: 0, processedRecordCount: 0, successRecordCount: 0, errorRecordCount: 0 };

describe('switchedShards', () => {
  it('lists the shards whose job was stopped for the deadline', () => {
    const jobs: JobResult[] = [
      { shard: 1, jobArn: 'a', status: 'Completed', counters },
      {
        shard: 2,
        jobArn: 'b',
        status: 'Stopped',
        counters,
        deadlineSwitch: { at: 'x', dueAt: 'y', processed: 0, remaining: 5, onDemandSeconds: 900 },
      },
      { shard: 3, error: { Error: 'JobFailedError' } },
    ];
    expect([...switchedShards(jobs)]).toEqual([2]);
  });
});

describe('DeadlineRetrySelector', () => {
  it('takes only the unprocessed rows of switched shards when the second chance is off', () => {
    const selector = new DeadlineRetrySelector(false, new Set([2]));
    expect(selector.wants(1)).toBe(false);
    expect(selector.wants(2)).toBe(true);
    expect(selector.add(2, notProcessed('a'))).toBe('not-processed');
    expect(selector.add(2, throttled('b'))).toBeUndefined();
    expect(selector.add(1, notProcessed('c'))).toBeUndefined();
    expect(selector.selection().total).toBe(1);
  });

  it('takes the usual retryable rows too when the second chance is on', () => {
    const selector = new DeadlineRetrySelector(true, new Set([2]));
    expect(selector.wants(1)).toBe(true);
    selector.add(2, notProcessed('a'));
    selector.add(2, throttled('b'));
    selector.add(1, notProcessed('c'));
    expect(selector.selection()).toMatchObject({ total: 3, byReason: { 'not-processed': 2, throttled: 1 } });
  });
});

describe('planAfterDeadline', () => {
  it('sends a switch’s rows on demand however many they are, in parts of at most 1,000', () => {
    const plan = planAfterDeadline([{ shard: 1, records: 2_500 }], false, 1, limits);
    expect(plan.mode).toBe('on-demand');
    expect(plan.jobs.map((job) => job.slices[0]?.records)).toEqual([1_000, 1_000, 500]);
  });

  it('plans the usual round without a switch', () => {
    expect(planAfterDeadline([{ shard: 1, records: 2_500 }], true, 0, limits).mode).toBe('batch');
    expect(planAfterDeadline([{ shard: 1, records: 2_500 }], false, 0, limits).mode).toBe('none');
  });
});
