import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { TERMINAL_STATUSES } from '../../local/bedrock/patterns';
import type { LocalStack } from '../../local/runner';
import { LocalStacks, questionsCsv, reconcile } from '../helpers/local-stack';

/** Resolves once `count` jobs exist and all are InProgress. */
async function jobsInProgress(stack: LocalStack, count: number): Promise<void> {
  for (let i = 0; i < 2_000; i += 1) {
    const jobs = stack.bedrock.jobs();
    if (jobs.length === count && jobs.every((job) => job.status === 'InProgress')) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`expected ${count} InProgress jobs, got ${JSON.stringify(stack.bedrock.jobs())}`);
}

describe('no orphaned jobs when a run ends without succeeding (row 42)', () => {
  const stacks = new LocalStacks();
  afterAll(() => stacks.close());

  it('stops every running Bedrock job of a run whose execution an operator aborts', async () => {
    // Stuck jobs never finish, and each Wait lasts 20 ms: the run is still polling when it is stopped.
    const stack = await stacks.start({ stuck: true }, { compressedWaitMs: 20 });
    const running = stacks.run(stack, questionsCsv(25), { fileName: 'aborted.csv' });
    await jobsInProgress(stack, 3);
    const execution = stack.sfn.executions()[0]!;
    const sfn = new SFNClient({
      endpoint: stack.sfn.endpoint,
      region: stack.region,
      credentials: { accessKeyId: 'LOCALACCESSKEY', secretAccessKey: 'local-secret-key' },
    });
    await sfn.send(new StopExecutionCommand({ executionArn: execution.arn, cause: 'operator' }));
    sfn.destroy();
    const run = await running;

    expect(run.outcome.status).toBe('failed');
    expect(execution.status).toBe('ABORTED');
    expect(stack.statusChanges).toEqual([
      { executionArn: execution.arn, status: 'ABORTED', handler: 'stop-jobs', result: { stopped: 3 } },
    ]);
    await stack.bedrock.idle();
    expect(stack.bedrock.jobs().map((job) => job.status)).toEqual(['Stopped', 'Stopped', 'Stopped']);
  });

  it('lets the other shards finish when one fails, so a FAILED run leaves nothing to stop', async () => {
    const stack = await stacks.start({ createErrors: ['ValidationException'] });
    const run = await stacks.run(stack, questionsCsv(25), { fileName: 'one-rejected.csv' });

    expect(run.outcome.error?.code).toBe('JOB_REJECTED');
    const jobs = stack.bedrock.jobs();
    expect(jobs.map((job) => job.status)).toEqual(['Completed', 'Completed']);
    expect(jobs.every((job) => TERMINAL_STATUSES.has(job.status))).toBe(true);
    expect(stack.statusChanges).toEqual([
      {
        executionArn: run.outcome.executionArn,
        status: 'FAILED',
        handler: 'stop-jobs',
        result: { stopped: 0 },
      },
    ]);
    const counts = run.summary!.counts;
    expect(counts.ok).toBeGreaterThan(0);
    expect(counts.missing).toBeGreaterThan(0);
    const [input, parts] = reconcile(run.summary!);
    expect(parts).toBe(input);
  });

  it('sends no status change to Stop jobs for a run that succeeds', async () => {
    const stack = await stacks.start();
    const run = await stacks.run(stack, questionsCsv(6), { fileName: 'fine.csv' });

    expect(run.outcome.status).toBe('succeeded');
    expect(stack.statusChanges).toEqual([]);
  });
});
