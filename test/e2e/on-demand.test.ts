import { afterAll, describe, expect, it } from 'vitest';
import { LocalStacks, questionsCsv, type RunFiles, reconcile, type Summary } from '../helpers/local-stack';

/** summary.json with the members this file reads beyond the shared helper's. */
type OnDemandSummary = Summary & {
  readonly mode: string;
  readonly cost: { batchUsd: number | null; onDemandUsd: number | null };
};

const summaryOf = (run: RunFiles) => run.summary as OnDemandSummary;
const FAST_BACKOFF = { ON_DEMAND_BACKOFF_BASE_MS: '1' };

// One set of stacks for the file: they share the embedded S3 that the handlers' clients keep.
const stacks = new LocalStacks();
afterAll(() => stacks.close());

describe('runs below the batch minimum (issue 6)', () => {
  it('runs a 40-row file on demand: no batch job, the four results files, summary mode on-demand', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, questionsCsv(40), { pipeline: 'small', fileName: 'forty.csv' });

    expect(run.outcome.error).toBeUndefined();
    expect(run.outcome.status).toBe('succeeded');
    expect(Object.keys(run.outcome.files).sort()).toEqual([
      'errors.csv',
      'report.html',
      'results.csv',
      'results.jsonl',
      'summary.json',
    ]);
    const summary = summaryOf(run);
    expect(summary.counts).toEqual({ input: 40, ok: 40, error: 0, rejected: 0, missing: 0 });
    expect(summary.mode).toBe('on-demand');
    expect(summary.cost.batchUsd).toBeNull();
    expect(summary.cost.onDemandUsd).toBeGreaterThan(0);
    expect(summary.tokens.input).toBeGreaterThan(0);
    expect(summary.jobs).toHaveLength(1);
    expect(summary.jobs[0]?.jobArn).toMatch(/^on-demand\/[a-z0-9]{12}$/);
    expect(summary.jobs[0]?.status).toBe('Completed');
    expect(run.rows.map((row) => row.id)).toEqual(Array.from({ length: 40 }, (_, i) => `q${i + 1}`));
    expect(run.rows.every((row) => row.status === 'ok' && row.output !== '')).toBe(true);
    expect(stack.bedrock.jobs()).toEqual([]);
    expect(stack.bedrock.runtimeStats().calls).toBe(40);
    expect(stack.notifications.at(-1)?.state).toBe('Notify success');
  });

  it('rides out throttling with its own backoff and still answers every row', async () => {
    const stack = await stacks.start({ runtimeErrorRate: 0.3, seed: 7 }, { environment: FAST_BACKOFF });
    const run = await stacks.run(stack, questionsCsv(30), { pipeline: 'small', fileName: 'throttled.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(summaryOf(run).counts).toEqual({ input: 30, ok: 30, error: 0, rejected: 0, missing: 0 });
    const stats = stack.bedrock.runtimeStats();
    expect(stats.injected).toBeGreaterThan(0);
    expect(stats.calls).toBe(30 + stats.injected);
  });

  it('keeps every row when the model never answers: throttled rows stay error with 429, counts reconcile', async () => {
    const stack = await stacks.start({ runtimeErrorRate: 1 }, { environment: FAST_BACKOFF });
    const run = await stacks.run(stack, questionsCsv(12), {
      pipeline: 'small',
      fileName: 'always-throttled.csv',
    });

    expect(run.outcome.status).toBe('succeeded');
    const summary = summaryOf(run);
    expect(summary.counts).toEqual({ input: 12, ok: 0, error: 12, rejected: 0, missing: 0 });
    expect(reconcile(summary)[0]).toBe(reconcile(summary)[1]);
    expect(run.rows.map((row) => row.id)).toEqual(Array.from({ length: 12 }, (_, i) => `q${i + 1}`));
    expect(run.rows.every((row) => row.status === 'error')).toBe(true);
    expect(run.errors).toHaveLength(12);
    expect(run.errors.every((row) => /429: ThrottlingException/.test(JSON.stringify(row)))).toBe(true);
    expect(stack.bedrock.jobs()).toEqual([]);
  });

  it('fails a "fail" pipeline below the minimum with BELOW_MIN_RECORDS and creates no job', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, questionsCsv(40), {
      pipeline: 'small-fail',
      fileName: 'too-few.csv',
    });

    expect(run.outcome.status).toBe('failed');
    expect(run.outcome.error?.code).toBe('BELOW_MIN_RECORDS');
    expect(run.outcome.error?.message).toContain('40 valid records');
    expect(stack.bedrock.jobs()).toEqual([]);
    expect(stack.bedrock.runtimeStats().calls).toBe(0);
    expect(run.outcome.files['results.csv']).toBeUndefined();
  });
});

type RetrySummary = {
  mode: string;
  selected: number;
  byReason: Record<string, number>;
  recovered: number;
  stillFailing: number;
  jobs: number;
  tokens: { input: number; output: number };
  costUsd: number | null;
};
const retryOf = (run: RunFiles) => (run.summary as unknown as { retry: RetrySummary }).retry;
const ids = (count: number) => Array.from({ length: count }, (_, i) => `q${i + 1}`);

describe('the second chance (issue 6)', () => {
  it('recovers 20% retryable record errors in an on-demand second round; each row appears once', async () => {
    const stack = await stacks.start({ recordErrorRate: 0.2, seed: 2 });
    const run = await stacks.run(stack, questionsCsv(20), { pipeline: 'retry', fileName: 'recover.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const retry = retryOf(run);
    expect(retry).toMatchObject({ mode: 'on-demand', selected: 4, recovered: 4, stillFailing: 0 });
    expect(retry.byReason['server-error']).toBe(4);
    expect(retry.jobs).toBeGreaterThan(0);
    expect(retry.tokens.output).toBeGreaterThan(0);
    expect(retry.costUsd).toBeGreaterThan(0);
    expect(summaryOf(run).counts).toEqual({ input: 20, ok: 20, error: 0, rejected: 0, missing: 0 });
    expect(run.rows.map((row) => row.id)).toEqual(ids(20));
    expect(run.errors).toEqual([]);
    expect(stack.bedrock.runtimeStats().calls).toBe(4);
    expect(stack.bedrock.jobs()).toHaveLength(2);
  });

  it('keeps rows error when the on-demand second round fails too: nothing lost, counts reconcile', async () => {
    const stack = await stacks.start(
      { recordErrorRate: 0.2, seed: 2, runtimeErrorRate: 1 },
      { environment: FAST_BACKOFF },
    );
    const run = await stacks.run(stack, questionsCsv(20), {
      pipeline: 'retry',
      fileName: 'still-failing.csv',
    });

    expect(run.outcome.status).toBe('succeeded');
    expect(retryOf(run)).toMatchObject({ mode: 'on-demand', selected: 4, recovered: 0, stillFailing: 4 });
    const summary = summaryOf(run);
    expect(summary.counts).toEqual({ input: 20, ok: 16, error: 4, rejected: 0, missing: 0 });
    expect(reconcile(summary)[0]).toBe(reconcile(summary)[1]);
    expect(run.rows.map((row) => row.id)).toEqual(ids(20));
    expect(run.errors).toHaveLength(4);
    expect(run.errors.every((row) => /429: ThrottlingException/.test(JSON.stringify(row)))).toBe(true);
  });

  it('runs a second round of at least the minimum as a batch job with its own name; failures stay error', async () => {
    const stack = await stacks.start({ recordErrorRate: 0.2, seed: 1 });
    const run = await stacks.run(stack, questionsCsv(20), { pipeline: 'retry', fileName: 'batch-retry.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(retryOf(run)).toMatchObject({
      mode: 'batch',
      selected: 6,
      recovered: 0,
      stillFailing: 6,
      jobs: 1,
    });
    const jobs = stack.bedrock.jobs();
    expect(jobs).toHaveLength(3);
    expect(jobs[2]?.jobName).toMatch(/-r2-j1-a1$/);
    expect(jobs[2]?.status).toBe('Completed');
    const summary = summaryOf(run);
    expect(summary.counts).toEqual({ input: 20, ok: 14, error: 6, rejected: 0, missing: 0 });
    expect(run.rows.map((row) => row.id)).toEqual(ids(20));
    expect(stack.bedrock.runtimeStats().calls).toBe(0);
  });

  it('recovers rows in a batch second round when the retry job answers them', async () => {
    const stack = await stacks.start({ recordErrorRate: 0.2, seed: 1, recordErrorTimes: 2 });
    const run = await stacks.run(stack, questionsCsv(20), {
      pipeline: 'retry',
      fileName: 'batch-recover.csv',
    });

    expect(run.outcome.status).toBe('succeeded');
    const retry = retryOf(run);
    expect(retry).toMatchObject({ mode: 'batch', selected: 6, recovered: 6, stillFailing: 0, jobs: 1 });
    expect(retry.tokens.output).toBeGreaterThan(0);
    expect(retry.costUsd).toBeGreaterThan(0);
    expect(summaryOf(run).counts).toEqual({ input: 20, ok: 20, error: 0, rejected: 0, missing: 0 });
    expect(run.rows.map((row) => row.id)).toEqual(ids(20));
    expect(run.errors).toEqual([]);
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Completed', 'Completed', 'Completed']);
  });

  it('gives rows a job never processed a second chance (not-processed) and recovers them', async () => {
    const stack = await stacks.start({ finalStatus: 'PartiallyCompleted', processedFraction: 0.5 });
    const run = await stacks.run(stack, questionsCsv(6), { pipeline: 'retry', fileName: 'partial.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const retry = retryOf(run);
    expect(retry.mode).toBe('on-demand');
    expect(retry.byReason['not-processed']).toBe(3);
    expect(retry).toMatchObject({ selected: 3, recovered: 3, stillFailing: 0 });
    expect(summaryOf(run).counts).toEqual({ input: 6, ok: 6, error: 0, rejected: 0, missing: 0 });
    expect(run.rows.map((row) => row.id)).toEqual(ids(6));
  });
});
