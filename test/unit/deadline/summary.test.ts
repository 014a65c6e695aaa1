import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../../lambda/core/contract/job-types';
import { runDeadline } from '../../../lambda/core/deadline/estimate';
import { summarizeDeadline } from '../../../lambda/core/deadline/summary';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const started = '2026-11-25T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(started) + minutes * 60_000).toISOString();
const counters = (total: number, processed: number) => ({
  totalRecordCount: total,
  processedRecordCount: processed,
  successRecordCount: processed,
  errorRecordCount: 0,
});
const finished = (shard: number, processed: number, switchedAt?: number): JobResult => ({
  shard,
  jobArn: `arn:aws:bedrock:us-east-1:111122223333:model-invocation-job/job${shard}`,
  status: switchedAt === undefined ? 'Completed' : 'Stopped',
  counters: counters(100, processed),
  ...(switchedAt === undefined
    ? {}
    : {
        deadlineSwitch: {
          at: at(switchedAt),
          dueAt: at(120),
          processed,
          remaining: 100 - processed,
          onDemandSeconds: 975,
        },
      }),
});
const facts = {
  modelId: HAIKU,
  deadline: runDeadline(2, 300)!,
  runStartedAt: started,
  publishedAt: at(90),
  onDemandTokens: { input: 0, output: 0 },
};

describe('summarizeDeadline', () => {
  it('reports a run that met its deadline without a switch', () => {
    const jobs = [1, 2, 3].map((shard) => ({ job: finished(shard, 100), records: 100 }));
    expect(summarizeDeadline({ ...facts, jobs })).toEqual({
      hours: 2,
      dueAt: at(120),
      met: true,
      feasible: true,
      switched: false,
      switchedAt: null,
      jobsSwitched: 0,
      onDemandRows: 0,
      onDemandTokens: { input: 0, output: 0 },
      switchCostUsd: 0,
    });
  });

  it('counts the rows the stopped jobs had not processed, the first switch, and what on demand cost over batch', () => {
    const jobs = [
      { job: finished(1, 100), records: 100 },
      { job: finished(2, 40, 95), records: 100 },
      { job: finished(3, 25, 93), records: 100 },
    ];
    // 1M input and 1M output tokens on Claude 3 Haiku: 1.50 on demand, 0.75 in batch.
    const summary = summarizeDeadline({ ...facts, jobs, onDemandTokens: { input: 1e6, output: 1e6 } });
    expect(summary).toMatchObject({
      switched: true,
      switchedAt: at(93),
      jobsSwitched: 2,
      onDemandRows: 60 + 75,
      switchCostUsd: 0.75,
      met: true,
    });
  });

  it('says when results came after the deadline', () => {
    expect(summarizeDeadline({ ...facts, jobs: [], publishedAt: at(121) }).met).toBe(false);
  });

  it('reports a deadline that even the on-demand path could not meet', () => {
    const summary = summarizeDeadline({ ...facts, deadline: runDeadline(1, 10_000)!, jobs: [] });
    expect(summary.feasible).toBe(false);
    expect(summary.cannotBeMet).toMatch(/^Deadline cannot be met: even on demand the run's 10000 records/);
  });

  it('has no switch cost for a model without a price', () => {
    const summary = summarizeDeadline({ ...facts, modelId: 'acme.unknown-v1:0', jobs: [] });
    expect(summary.switchCostUsd).toBeNull();
  });

  it('ignores failed shards', () => {
    const failed: JobResult = { shard: 1, error: { Error: 'JobFailedError' } };
    expect(summarizeDeadline({ ...facts, jobs: [{ job: failed, records: 100 }] }).jobsSwitched).toBe(0);
  });
});
