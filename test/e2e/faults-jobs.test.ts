import { afterAll, describe, expect, it } from 'vitest';
import { LocalStacks, questionsCsv, reconcile } from '../helpers/local-stack';

describe('jobs that end badly (rows 30-33)', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('fails the run with Bedrock’s message when the job ends Failed (row 30)', async () => {
    const stack = await stacks.start({
      finalStatus: 'Failed',
      failureMessage: 'Model access is not enabled.',
    });
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'failed-job.csv' });

    expect(run.outcome.error?.code).toBe('JOB_FAILED');
    expect(run.outcome.error?.message).toContain('Model access is not enabled.');
    expect(JSON.stringify(run.report)).toContain('Model access is not enabled.');
  });

  it('resubmits an Expired job once and succeeds with the second job (row 31)', async () => {
    const stack = await stacks.start({ finalStatus: 'Expired', finalStatusTimes: 1 });
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'expired-once.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Expired', 'Completed']);
    expect(run.summary?.counts.ok).toBe(6);
  });

  it('fails clearly when the resubmitted job expires too (row 31)', async () => {
    const stack = await stacks.start({ finalStatus: 'Expired' });
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'expired-twice.csv' });

    expect(run.outcome.error?.code).toBe('JOB_EXPIRED');
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Expired', 'Expired']);
  });

  it.each(['PartiallyCompleted', 'Stopped'] as const)(
    'lists the rows a %s job did not process as missing, and the counts reconcile (row 32)',
    async (finalStatus) => {
      const stack = await stacks.start({ finalStatus, processedFraction: 0.5 });
      const run = await stacks.run(stack, questionsCsv(10), { fileName: `${finalStatus}.csv` });

      expect(run.outcome.status).toBe('succeeded');
      const counts = run.summary!.counts;
      expect(counts.missing).toBeGreaterThan(0);
      expect(counts.ok).toBeGreaterThan(0);
      const [input, parts] = reconcile(run.summary!);
      expect(parts).toBe(input);
      expect(run.rows.filter((row) => row.status === 'missing')).toHaveLength(counts.missing);
      expect(run.errors).toHaveLength(counts.missing + counts.error + counts.rejected);
    },
  );

  it('keeps the execution state small when 20,000 rows end in record errors (row 40)', async () => {
    const stack = await stacks.start({ recordErrorRate: 1, seed: 11 });
    const run = await stacks.run(stack, questionsCsv(20_000), {
      fileName: 'all-errors.csv',
      pipeline: 'large-shards',
    });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toEqual({ input: 20_000, ok: 0, error: 20_000, rejected: 0, missing: 0 });
    expect(run.summary?.jobs).toHaveLength(2);
    expect(run.errors).toHaveLength(20_000);
    // The rows' errors live in S3 (results.csv, errors.csv); the state holds counts and keys only, far
    // below Step Functions' 256 KiB (a state that grew by a byte per row would be above 20 KB here).
    expect(run.outcome.largestState?.bytes).toBeGreaterThan(0);
    expect(run.outcome.largestState?.bytes).toBeLessThan(8 * 1024);
  });

  it('marks rows answered with a record error as error, with code and message (row 33)', async () => {
    const stack = await stacks.start({ recordErrorRate: 0.3, seed: 7 });
    const run = await stacks.run(stack, questionsCsv(20), { fileName: 'record-errors.csv' });

    expect(run.outcome.status).toBe('succeeded');
    const errors = run.rows.filter((row) => row.status === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBe(run.summary?.counts.error);
    expect(errors.every((row) => row.error_code === 'MODEL_ERROR' && row.error_message !== '')).toBe(true);
    const [input, parts] = reconcile(run.summary!);
    expect(parts).toBe(input);
  });
});
