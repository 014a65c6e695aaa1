import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryInputKey } from '../../../lambda/core/contract/layout';
import {
  jobOfRecord,
  planRetryRound,
  type RetrySlice,
  retryInputLines,
  roundCost,
  summarizeRetry,
} from '../../../lambda/core/retry/retry-round';
import { collect, iterate } from '../../helpers/async-lines';

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';

describe('planRetryRound', () => {
  const limits = { minRecordsPerJob: 100, maxRecordsPerJob: 1000 };

  it('plans nothing when disabled or nothing was selected', () => {
    expect(planRetryRound([{ shard: 1, records: 500 }], false, limits)).toEqual({
      mode: 'none',
      records: 500,
      jobs: [],
    });
    expect(planRetryRound([], true, limits).mode).toBe('none');
  });

  it('goes on demand below the minimum, one invocation per shard', () => {
    const plan = planRetryRound(
      [
        { shard: 3, records: 20 },
        { shard: 1, records: 30 },
        { shard: 2, records: 0 },
      ],
      true,
      limits,
    );
    expect(plan).toEqual({
      mode: 'on-demand',
      records: 50,
      jobs: [
        { job: 1, slices: [{ shard: 1, records: 30 }] },
        { job: 2, slices: [{ shard: 3, records: 20 }] },
      ],
    });
  });

  it('splits an on-demand shard above the per-invocation cap into parts', () => {
    const plan = planRetryRound([{ shard: 1, records: 2500 }], true, {
      minRecordsPerJob: 5000,
      maxRecordsPerJob: 50_000,
    });
    expect(plan.jobs.map((j) => j.slices[0]!.records)).toEqual([1000, 1000, 500]);
  });

  it('goes batch at the minimum, in one job over several shards', () => {
    const plan = planRetryRound(
      [
        { shard: 1, records: 60 },
        { shard: 2, records: 40 },
      ],
      true,
      limits,
    );
    expect(plan).toEqual({
      mode: 'batch',
      records: 100,
      jobs: [
        {
          job: 1,
          slices: [
            { shard: 1, records: 60 },
            { shard: 2, records: 40 },
          ],
        },
      ],
    });
  });

  it('makes batch jobs that all fit the limits and cover every selected row exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 300 }),
        (counts, min) => {
          const max = 2 * min + 7;
          const slices: RetrySlice[] = counts.map((records, i) => ({ shard: i + 1, records }));
          const total = counts.reduce((a, b) => a + b, 0);
          const plan = planRetryRound(slices, true, { minRecordsPerJob: min, maxRecordsPerJob: max });
          const sizes = plan.jobs.map((job) => job.slices.reduce((n, s) => n + s.records, 0));
          if (total === 0) return plan.mode === 'none';
          if (total < min) return plan.mode === 'on-demand' && sizes.every((n) => n <= 1000);
          expect(plan.mode).toBe('batch');
          for (const size of sizes) {
            expect(size).toBeGreaterThanOrEqual(min);
            expect(size).toBeLessThanOrEqual(max);
          }
          for (const { shard, records } of slices) {
            const planned = plan.jobs.flatMap((j) => j.slices).filter((s) => s.shard === shard);
            expect(planned.reduce((n, s) => n + s.records, 0)).toBe(records);
          }
          return true;
        },
      ),
    );
  });
});

describe('retry input', () => {
  it('keeps only the selected records, each with the job its slice names', async () => {
    const plan = planRetryRound([{ shard: 1, records: 150 }], true, {
      minRecordsPerJob: 50,
      maxRecordsPerJob: 100,
    });
    expect(plan.jobs.map((j) => j.slices)).toEqual([
      [{ shard: 1, records: 75 }],
      [{ shard: 1, records: 75 }],
    ]);
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ recordId: `r${i}`, modelInput: {} }),
    );
    const ids = new Set(Array.from({ length: 150 }, (_, i) => `r${2 * i}`));
    const out = await collect(retryInputLines(iterate(['garbage', ...lines]), ids, jobOfRecord(plan, 1)));
    expect(out).toHaveLength(150);
    expect(out.filter((o) => o.job === 1)).toHaveLength(75);
    expect(out[0]).toEqual({ job: 1, line: lines[0] });
    expect(out[75]).toEqual({ job: 2, line: lines[150] });
    expect(retryInputKey('run-1', 2, 7)).toBe('runs/run-1/retry-input/job-02/shard-0007.jsonl');
  });
});

describe('the retry summary', () => {
  it('prices the round at the on-demand or the batch rate', () => {
    const tokens = { input: 1_000_000, output: 1_000_000 };
    expect(roundCost(CLAUDE, 'on-demand', tokens)).toBe(1.5);
    expect(roundCost(CLAUDE, 'batch', tokens)).toBe(0.75);
    expect(roundCost('acme.unknown-model-v1', 'batch', tokens)).toBeNull();
    const plan = planRetryRound([{ shard: 1, records: 20 }], true, {
      minRecordsPerJob: 100,
      maxRecordsPerJob: 1000,
    });
    const byReason = { throttled: 12, 'server-error': 8, timeout: 0, 'not-processed': 0 };
    expect(summarizeRetry(CLAUDE, plan, { total: 20, byReason }, 17, tokens)).toEqual({
      mode: 'on-demand',
      selected: 20,
      byReason,
      recovered: 17,
      stillFailing: 3,
      jobs: 1,
      tokens,
      costUsd: 1.5,
    });
  });
});
