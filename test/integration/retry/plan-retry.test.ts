/**
 * The Plan retry handler over a real S3 (the embedded server): it reads the shards from plan.json and the
 * first round's results from runs/<runId>/jobs/, scans each finished shard, and writes the second round.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobResult } from '../../../lambda/core/contract/job-types';
import {
  batchInputKey,
  jobOutputPrefix,
  jobResultKey,
  pipelineSnapshotKey,
  planKey,
  retryInputKey,
  retryPlanKey,
  rowsKey,
  shardOutputKey,
} from '../../../lambda/core/contract/layout';
import type { CollectInput } from '../../../lambda/core/contract/types';
import { answeredLine, errorLine } from '../../../lambda/core/on-demand/output-line';
import { getJson } from '../../../lambda/io/s3';
import { handler } from '../../../lambda/plan-retry/index';
import { startTestS3, type TestS3, withEnv } from '../../helpers/s3';
import { pipeline, sidecar } from '../../unit/collect/harness';

const JOB_ID = 'k3x9q2m7w1ab';
const JOB_ARN = `arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/${JOB_ID}`;
const COUNTERS = { totalRecordCount: 3, processedRecordCount: 2, successRecordCount: 1, errorRecordCount: 1 };

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('work');
});
afterAll(() => s3?.close());

async function put(key: string, body: string): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: 'work', Key: key, Body: body }));
}

/** A run of one shard of three rows: r1 answered, r2 throttled, r3 never processed. */
async function firstRound(runId: string, overrides: Parameters<typeof pipeline>[0] = {}): Promise<void> {
  const record = (id: string) => ({ recordId: id, modelInput: { prompt: id } });
  await put(pipelineSnapshotKey(runId), JSON.stringify(pipeline({ minRecordsPerJob: 100, ...overrides })));
  const shard = {
    shard: 1,
    inputKey: batchInputKey(runId, 1),
    rowsKey: rowsKey(runId, 1),
    records: 3,
    bytes: 1,
  };
  await put(planKey(runId), JSON.stringify({ header: ['text'], shards: [shard] }));
  await put(batchInputKey(runId, 1), ['r1', 'r2', 'r3'].map((id) => JSON.stringify(record(id))).join('\n'));
  await put(rowsKey(runId, 1), ['r1', 'r2', 'r3'].map((id, i) => sidecar(id, i + 1, [id])).join('\n'));
  const output = [
    answeredLine(record('r1'), {
      content: [{ type: 'text', text: 'ok' }],
      usage: { input_tokens: 1, output_tokens: 1 },
    }),
    errorLine(record('r2'), 429, 'Too many requests'),
  ].join('\n');
  await put(shardOutputKey(jobOutputPrefix(runId, JOB_ID), 1), output);
  const result: JobResult = { shard: 1, jobArn: JOB_ARN, status: 'PartiallyCompleted', counters: COUNTERS };
  await put(jobResultKey(runId, 1, 1), JSON.stringify(result));
}

function input(runId: string): CollectInput {
  return { runId, pipeline: 'qa', prepared: { planKey: planKey(runId) } } as CollectInput;
}

const plan = (runId: string) => withEnv({ ...s3.env, WORK_BUCKET: 'work' }, () => handler(input(runId)));

describe('Plan retry', () => {
  it('selects the throttled and the never-processed rows and plans them on demand, inputs written', async () => {
    const runId = 'plan-retry-000000000001';
    await firstRound(runId);
    const state = await plan(runId);
    expect(state).toEqual({
      mode: 'on-demand',
      selected: 2,
      byReason: { throttled: 1, 'server-error': 0, timeout: 0, 'not-processed': 1 },
      items: [{ shard: 1, part: 1 }],
    });
    expect(await getJson(s3.client, 'work', retryPlanKey(runId))).toMatchObject({
      mode: 'on-demand',
      records: 2,
    });
    const retried = await s3.client.send(
      new (await import('@aws-sdk/client-s3')).GetObjectCommand({
        Bucket: 'work',
        Key: retryInputKey(runId, 1, 1),
      }),
    );
    const lines = (await retried.Body!.transformToString()).split('\n').filter(Boolean);
    expect(lines.map((line) => JSON.parse(line).recordId)).toEqual(['r2', 'r3']);
  });

  it('returns no round and writes nothing when the pipeline turns the retry round off', async () => {
    const runId = 'plan-retry-000000000002';
    await firstRound(runId, { retryRound: false });
    expect(await plan(runId)).toEqual({ mode: 'none', selected: 0, byReason: {}, items: [] });
    expect(await getJson(s3.client, 'work', retryPlanKey(runId))).toBeUndefined();
  });

  it("fails when the run's pipeline snapshot is missing", async () => {
    await expect(plan('plan-retry-000000000003')).rejects.toThrow(/pipeline snapshot is missing/);
  });
});
