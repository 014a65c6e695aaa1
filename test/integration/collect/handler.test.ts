import { GetObjectCommand, GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../../lambda/collect-results';
import { ResultsMismatchError, RunTooLargeError } from '../../../lambda/core/contract/errors';
import {
  jobOutputPrefix,
  jobResultKey,
  pipelineSnapshotKey,
  planKey,
  rejectedRowsKey,
  rowsKey,
} from '../../../lambda/core/contract/layout';
import type { CollectInput, PreparedRun } from '../../../lambda/core/contract/types';
import { getJson, openObject, tagObject } from '../../../lambda/io/s3';
import { listKeys } from '../../../lambda/io/s3-list';
import { startTestS3, type TestS3, withEnv } from '../../helpers/s3';
import { fixtureLines, pipeline, rejected, sidecar } from '../../unit/collect/harness';

const BUCKETS = { INPUT_BUCKET: 'input', WORK_BUCKET: 'work', RESULTS_BUCKET: 'results' };
const SOURCE = { bucket: 'input', key: 'inbox/qa/Q3 report+x (1).csv' };
const JOB1 = 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/k3x9q2m7w1ab';
const JOB2 = 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/ue3cxzforryc';

let s3: TestS3;

async function put(bucket: string, key: string, body: string): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function text(bucket: string, key: string): Promise<string | undefined> {
  const body = await openObject(s3.client, bucket, key);
  if (body === undefined) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Stages a two-shard run: shard 1 Completed (two .out files), shard 2 PartiallyCompleted, one rejected row. */
async function stageRun(runId: string, rows = 6): Promise<CollectInput> {
  const claude = fixtureLines('claude.jsonl.out');
  await put('work', pipelineSnapshotKey(runId), JSON.stringify(pipeline()));
  const shards = [1, 2].map((shard) => ({
    shard,
    inputKey: `runs/${runId}/batch-input/shard-000${shard}.jsonl`,
    rowsKey: rowsKey(runId, shard),
    records: shard === 1 ? 2 : 3,
    bytes: 100,
  }));
  await put('work', planKey(runId), JSON.stringify({ header: ['id', 'text'], rows, shards }));
  await put(
    'work',
    rowsKey(runId, 1),
    `${[sidecar('1', 1, ['1', 'a,b']), sidecar('2', 2, ['2', 'b'])].join('\n')}\n`,
  );
  await put(
    'work',
    rowsKey(runId, 2),
    `${[sidecar('3', 4, ['3', 'c']), sidecar('4', 5, ['4', 'd']), sidecar('5', 6, ['5', 'e'])].join('\n')}\n`,
  );
  await put('work', rejectedRowsKey(runId), `${rejected(3, 4, ['x'])}\n`);
  const out1 = jobOutputPrefix(runId, 'k3x9q2m7w1ab');
  await put('work', `${out1}shard-0001.jsonl.out`, `${claude[1]}\n`);
  await put('work', `${out1}shard-0001-b.jsonl.out`, `${claude[2]}\n`);
  await put(
    'work',
    `${out1}manifest.json.out`,
    JSON.stringify({ processedRecordCount: 2, successRecordCount: 1, errorRecordCount: 1 }),
  );
  await put('work', `${out1}notes.txt`, 'not a record file');
  const out2 = jobOutputPrefix(runId, 'ue3cxzforryc');
  await put('work', `${out2}shard-0002.jsonl.out`, `${claude[0]}\n${claude[3]}`);
  await put('work', `${out2}manifest.json.out`, '{"processedRecordCount": 2');
  const prepared: PreparedRun = {
    runId,
    pipeline: 'qa',
    modelId: pipeline().modelId,
    invocationType: 'InvokeModel',
    timeoutHours: 24,
    rows,
    records: 5,
    rejected: 1,
    minRecordsPerJob: 1,
    belowMinimum: false,
    mode: 'batch',
    shardNumbers: [1, 2],
    planKey: planKey(runId),
    deadline: null,
  };
  const counters = {
    totalRecordCount: 0,
    processedRecordCount: 0,
    successRecordCount: 0,
    errorRecordCount: 0,
  };
  await put(
    'work',
    jobResultKey(runId, 1, 2),
    JSON.stringify({ shard: 2, jobArn: JOB2, status: 'PartiallyCompleted', counters }),
  );
  await put(
    'work',
    jobResultKey(runId, 1, 1),
    JSON.stringify({ shard: 1, jobArn: JOB1, status: 'Completed', counters }),
  );
  return { runId, pipeline: 'qa', source: SOURCE, now: '2026-11-25T12:00:00.000Z', prepared };
}

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('input', 'work', 'results');
  await put(SOURCE.bucket, SOURCE.key, 'id,text\n1,a\n');
  await tagObject(s3.client, SOURCE.bucket, SOURCE.key, { owner: 'analytics' });
});

afterAll(async () => {
  await s3?.close();
});

describe('collect-results handler against a real S3 server', () => {
  it('publishes the four results files, returns a small value and tags the input', async () => {
    const input = await stageRun('run-ok-0123456789ab');
    const output = await withEnv({ ...s3.env, ...BUCKETS }, () => handler(input));

    expect(output).toEqual({
      runId: 'run-ok-0123456789ab',
      resultsBucket: 'results',
      resultsPrefix: 'results/qa/run-ok-0123456789ab/',
      counts: { input: 6, ok: 3, error: 1, rejected: 1, missing: 1 },
      tokens: { input: 80, output: 4 },
      cost: { batchUsd: expect.any(Number), onDemandUsd: expect.any(Number) },
    });
    expect(output.cost.onDemandUsd).toBeCloseTo(2 * output.cost.batchUsd!, 12);

    const prefix = output.resultsPrefix;
    const csv = parse((await text('results', `${prefix}results.csv`))!) as string[][];
    expect(csv.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['1', 'a,b', 'ok'],
      ['2', 'b', 'error'],
      ['x', '', 'rejected'],
      ['3', 'c', 'ok'],
      ['4', 'd', 'ok'],
      ['5', 'e', 'missing'],
    ]);
    const jsonl = (await text('results', `${prefix}results.jsonl`))!.trim().split('\n');
    expect(jsonl).toHaveLength(6);
    const errors = parse((await text('results', `${prefix}errors.csv`))!) as string[][];
    expect(errors.slice(1).map((r) => r[4])).toEqual(['error', 'rejected', 'missing']);

    const summary = await getJson<Record<string, unknown>>(s3.client, 'results', `${prefix}summary.json`);
    expect(summary).toMatchObject({
      runId: 'run-ok-0123456789ab',
      pipeline: 'qa',
      modelId: pipeline().modelId,
      counts: output.counts,
      tokens: output.tokens,
      jobs: [
        { shard: 1, jobArn: JOB1, status: 'Completed', records: 2, ok: 1, error: 1, missing: 0 },
        { shard: 2, jobArn: JOB2, status: 'PartiallyCompleted', records: 3, ok: 2, error: 0, missing: 1 },
      ],
      warnings: [{ code: 'MANIFEST_MISSING', shard: 2, count: 1 }],
    });

    const page = await s3.client.send(
      new GetObjectCommand({ Bucket: 'results', Key: `${prefix}report.html` }),
    );
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    const html = await (page.Body as { transformToString(): Promise<string> }).transformToString();
    for (const [status, count] of Object.entries(output.counts)) {
      expect(html).toContain(`data-count="${status}" data-value="${count}"`);
    }
    expect(html).toContain('<td class="time">shard 2</td><td>PartiallyCompleted</td>');

    const tags = await s3.client.send(
      new GetObjectTaggingCommand({ Bucket: SOURCE.bucket, Key: SOURCE.key }),
    );
    expect(Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      owner: 'analytics',
      'bedrock-batch:status': 'succeeded',
      'bedrock-batch:run-id': 'run-ok-0123456789ab',
    });
    expect(await text(SOURCE.bucket, SOURCE.key)).toBe('id,text\n1,a\n');
  });

  it("publishes the run's metrics as one embedded-metric-format line, by service and by pipeline", async () => {
    const input = await stageRun('run-metrics-0123456789ab');
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await withEnv({ ...s3.env, ...BUCKETS, POWERTOOLS_METRICS_DISABLED: 'false' }, () => handler(input));
    } finally {
      write.mockRestore();
    }
    const emf = lines.map((line) => JSON.parse(line)).filter((entry) => entry._aws !== undefined);
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'BedrockBatchPipeline',
      Dimensions: [['service'], ['service', 'pipeline']],
    });
    expect(emf[0]).toMatchObject({
      runId: 'run-metrics-0123456789ab',
      pipeline: 'qa',
      RowsIn: 6,
      RecordsSubmitted: 5,
      RowsOk: 3,
      RowsError: 1,
      RowsRejected: 1,
      RowsMissing: 1,
      InputTokens: 80,
      OutputTokens: 4,
    });
  });

  it('publishes nothing and throws ResultsMismatchError when the counts do not reconcile', async () => {
    const input = await stageRun('run-bad-0123456789ab', 7);
    await expect(withEnv({ ...s3.env, ...BUCKETS }, () => handler(input))).rejects.toThrow(
      ResultsMismatchError,
    );
    const keys: string[] = [];
    for await (const key of listKeys(s3.client, 'results', 'results/qa/run-bad-0123456789ab/'))
      keys.push(key);
    expect(keys).toEqual([]);
  });

  it('stops itself with RUN_TOO_LARGE before Lambda would, publishing nothing, when its time runs out', async () => {
    const input = await stageRun('run-late-0123456789ab');
    // Each shard's three reads (sidecar ids, outputs, sidecar rows) look at the clock once here: minutes
    // left for the first shard's, then only the margin, which the second shard finds.
    let looks = 0;
    const context = { getRemainingTimeInMillis: () => (++looks <= 3 ? 600_000 : 30_000) };
    const run = withEnv({ ...s3.env, ...BUCKETS }, () => handler(input, context));
    await expect(run).rejects.toThrow(RunTooLargeError);
    await expect(run).rejects.toThrow(/ran out of time at shard 2 of 2/);
    const keys: string[] = [];
    for await (const key of listKeys(s3.client, 'results', 'results/qa/run-late-0123456789ab/'))
      keys.push(key);
    expect(keys).toEqual([]);
  });
});

describe('listKeys', () => {
  it('follows continuation tokens across pages', async () => {
    for (let i = 0; i < 5; i++) await put('work', `list-test/k${i}`, 'x');
    const keys: string[] = [];
    for await (const key of listKeys(s3.client, 'work', 'list-test/', 2)) keys.push(key);
    expect(keys).toEqual(['list-test/k0', 'list-test/k1', 'list-test/k2', 'list-test/k3', 'list-test/k4']);
  });
});
