import { describe, expect, it } from 'vitest';
import { finishedJobOf } from '../../../lambda/core/on-demand/finished-job';
import type { OnDemandReport } from '../../../lambda/core/on-demand/process';
import { onDemandJobArn } from '../../../lambda/core/on-demand/pseudo-job';

const report = (untouched: number): OnDemandReport => ({
  total: 10,
  success: 7,
  error: 3 - untouched,
  untouched,
  retryableErrors: 0,
  unreadable: 0,
  retries: 0,
  throttled: 0,
  inputTokens: 5,
  outputTokens: 9,
});

describe('finishedJobOf', () => {
  it('is Completed with batch-style counters when every record was processed', () => {
    expect(finishedJobOf(3, 'abc123def456', report(0))).toEqual({
      shard: 3,
      jobArn: onDemandJobArn('abc123def456'),
      status: 'Completed',
      counters: {
        totalRecordCount: 10,
        processedRecordCount: 10,
        successRecordCount: 7,
        errorRecordCount: 3,
      },
    });
  });

  it('is PartiallyCompleted when records were left for lack of time', () => {
    const result = finishedJobOf(1, 'abc123def456', report(2));
    expect(result.status).toBe('PartiallyCompleted');
    expect(result.counters.processedRecordCount).toBe(8);
  });
});
