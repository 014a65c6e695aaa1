import { GetObjectCommand, GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/runner';
import { deliver } from '../../local/runner';
import { E2E_MIN_RECORDS, LocalStacks, questionsCsv, reconcile } from '../helpers/local-stack';

const jobsOf = (stack: LocalStack, runId: string | undefined) =>
  stack.bedrock.jobs().filter((job) => runId !== undefined && job.clientRequestToken?.startsWith(runId));

describe('local runs through the real handlers, the Bedrock emulator and the embedded S3', () => {
  const stacks = new LocalStacks();
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await stacks.start();
  });
  afterAll(() => stacks.close());

  it('splits 23 rows into 3 jobs within the record limits and returns every row ok, in input order', async () => {
    // A name with a space, a plus, parentheses and an accent (row 1): S3's event encodes it, Start run
    // decodes it once, and the keys made from the run id pass the emulator's S3Uri checks.
    const run = await stacks.run(stack, questionsCsv(23), { fileName: 'Q3 report+x (1) café.csv' });

    expect(run.outcome.error).toBeUndefined();
    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toEqual({ input: 23, ok: 23, error: 0, rejected: 0, missing: 0 });
    const records = run.summary?.jobs.map((job) => job.records) ?? [];
    expect(records).toHaveLength(3);
    expect(records.reduce((a, b) => a + b, 0)).toBe(23);
    expect(records.every((n) => n >= E2E_MIN_RECORDS && n <= 10)).toBe(true);
    expect(run.rows.map((row) => row.id)).toEqual(Array.from({ length: 23 }, (_, i) => `q${i + 1}`));
    expect(run.rows.every((row) => row.status === 'ok' && row.output !== '')).toBe(true);
    expect(run.errors).toEqual([]);
    expect(jobsOf(stack, run.outcome.runId).map((job) => job.status)).toEqual([
      'Completed',
      'Completed',
      'Completed',
    ]);
    expect(stack.notifications.at(-1)?.state).toBe('Notify success');
    const tags = await stack.s3.send(
      new GetObjectTaggingCommand({
        Bucket: stack.buckets.INPUT_BUCKET,
        Key: 'inbox/shards/Q3 report+x (1) café.csv',
      }),
    );
    expect(tags.TagSet).toContainEqual({ Key: 'bedrock-batch:status', Value: 'succeeded' });
    expect(process.env.AWS_ENDPOINT_URL_S3).toBeUndefined();
    expect(process.env.STATE_MACHINE_ARN).toBeUndefined();
    expect(Math.abs(Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(1000);
  });

  it('starts one execution and one job for an event delivered twice (row 21)', async () => {
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'twice.csv', deliveries: 2 });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.outcome.executions).toBe(1);
    expect(jobsOf(stack, run.outcome.runId)).toHaveLength(1);

    const executions = stack.sfn.executions().length;
    await deliver(stack, run.outcome.event);
    expect(stack.sfn.executions()).toHaveLength(executions);
    expect(jobsOf(stack, run.outcome.runId)).toHaveLength(1);
  });

  it("starts a new run when the same key is uploaded again, and keeps the first run's results (row 22)", async () => {
    const first = await stacks.run(stack, questionsCsv(6), { fileName: 'weekly.csv' });
    const second = await stacks.run(stack, questionsCsv(7), { fileName: 'weekly.csv' });

    expect([first.outcome.status, second.outcome.status]).toEqual(['succeeded', 'succeeded']);
    expect(second.outcome.runId).not.toBe(first.outcome.runId);
    expect(second.summary?.counts.input).toBe(7);
    const firstCsv = await stack.s3.send(
      new GetObjectCommand({
        Bucket: stack.buckets.RESULTS_BUCKET,
        Key: `results/shards/${first.outcome.runId}/results.csv`,
      }),
    );
    expect(await firstCsv.Body?.transformToString()).toBe(first.resultsCsv);
  });

  it('keeps quoted newlines, commas and doubled quotes byte-exact in results.csv (row 9)', async () => {
    const tricky = '"He said ""stop"", then left,\nand came back"';
    const run = await stacks.run(stack, questionsCsv(5, [`q6,${tricky}`]), { fileName: 'quoted.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.resultsCsv).toContain(`q6,${tricky},`);
    expect(run.rows.find((row) => row.id === 'q6')?.question).toBe(
      'He said "stop", then left,\nand came back',
    );
    expect(run.summary?.counts.input).toBe(6);
  });

  it('rejects ragged rows with their line numbers and runs the others (row 11)', async () => {
    const run = await stacks.run(stack, questionsCsv(12, ['q13,too,many,cells', 'q14']), {
      fileName: 'ragged.csv',
    });

    expect(run.outcome.status).toBe('succeeded');
    expect(run.summary?.counts).toMatchObject({ input: 14, ok: 12, rejected: 2, error: 0, missing: 0 });
    const rejected = run.rows.filter((row) => row.status === 'rejected');
    expect(rejected.map((row) => row.error_code)).toEqual(['ROW_COLUMN_COUNT', 'ROW_COLUMN_COUNT']);
    expect(rejected.every((row) => /line (14|15)/.test(row.error_message ?? ''))).toBe(true);
    expect(run.errors).toHaveLength(2);
    const [input, parts] = reconcile(run.summary!);
    expect(parts).toBe(input);
  });
});
