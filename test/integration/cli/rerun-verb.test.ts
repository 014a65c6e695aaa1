/** `bedrock-batch rerun` against the local emulated stack (the deployed verbs' endpoints and outputs file). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../cli/main';
import { rerunIdFor } from '../../../lambda/core/rerun/rerun-id';
import type { LocalStack } from '../../../local/runner';
import { capture } from '../../helpers/capture';
import { LocalStacks, questionsCsv } from '../../helpers/local-stack';

describe('bedrock-batch rerun', { timeout: 120_000 }, () => {
  const stacks = new LocalStacks();
  const savedEnv = { ...process.env };
  let stack: LocalStack;
  let dir = '';
  let outputs: string;
  let okRun: string;
  let failedRun: string;

  beforeAll(async () => {
    stack = await stacks.start();
    dir = await mkdtemp(join(tmpdir(), 'cli-rerun-'));
    outputs = join(dir, 'cdk-outputs.json');
    await writeFile(
      outputs,
      JSON.stringify({
        BedrockBatchPipeline: {
          InputBucketName: stack.buckets.INPUT_BUCKET,
          ResultsBucketName: stack.buckets.RESULTS_BUCKET,
          WorkBucketName: stack.buckets.WORK_BUCKET,
          StateMachineArn: stack.stateMachineArn,
          NotificationTopicArn: 'arn:aws:sns:us-east-1:000000000000:notifications',
        },
      }),
    );
    Object.assign(process.env, stack.environment);
    okRun = (await stacks.run(stack, questionsCsv(12), { fileName: 'rerun ok.csv' })).outcome.runId!;
    failedRun = (await stacks.run(stack, 'id,question\n', { fileName: 'rerun empty.csv' })).outcome.runId!;
  }, 300_000);
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    process.env = savedEnv;
    await stacks.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('starts an execution named by the derived run id with rerunOf; a run with every row ok is then refused', async () => {
    const io = capture();
    const jobs = stack.bedrock.jobs().length;
    const code = await main(['rerun', okRun, '--outputs', outputs]);
    const next = rerunIdFor(okRun);
    expect(code).toBe(0);
    expect(io.out()).toContain(`Started re-run ${next} of ${okRun}`);
    const execution = stack.sfn.executions().find((e) => e.name === next)!;
    expect(JSON.parse(execution.input)).toMatchObject({ runId: next, pipeline: 'shards', rerunOf: okRun });
    await execution.done;
    await stack.settled(execution.arn);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('RERUN_REFUSED');
    expect(stack.bedrock.jobs()).toHaveLength(jobs);

    // The same re-run asked for again finds the first.
    expect(await main(['rerun', okRun, '--outputs', outputs])).toBe(0);
    expect(io.out()).toContain(`Already started re-run ${next} of ${okRun}`);
  });

  it('exits 1 with one line for a run without results or an unknown run', async () => {
    const io = capture();
    expect(await main(['rerun', failedRun, '--outputs', outputs])).toBe(1);
    expect(io.err()).toMatch(/has no results yet/);
    expect(await main(['rerun', 'nope-0123456789ab', '--outputs', outputs])).toBe(1);
    expect(io.err()).toMatch(/No run nope-0123456789ab/);
  });
});
