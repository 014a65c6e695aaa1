/**
 * The on-demand handler against the real embedded S3 and the emulator's runtime endpoints, with the
 * unmodified SDK clients pointed there by AWS_ENDPOINT_URL_* only; then Collect reads its outputs
 * exactly as it reads a batch job's.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { collectFromS3 } from '../../../lambda/collect-results/collect';
import {
  batchInputKey,
  jobIdFromArn,
  jobOutputPrefix,
  pipelineSnapshotKey,
  planKey,
  rowsKey,
} from '../../../lambda/core/contract/layout';
import type {
  CollectedRun,
  InvocationType,
  PipelineDefinition,
  SubmitJobInput,
} from '../../../lambda/core/contract/types';
import { onDemandJobId } from '../../../lambda/core/on-demand/pseudo-job';
import { retryReason } from '../../../lambda/core/retry/selection';
import { getJson, openObject } from '../../../lambda/io/s3';
import { type BedrockEmulator, startBedrockEmulator } from '../../../local/bedrock/index';
import type { Faults } from '../../../local/faults';
import { type S3Server, startS3Server } from '../../../local/s3-server';
import { withEnv } from '../../helpers/s3';

const WORK = 'work-bucket';
const RESULTS = 'results-bucket';
const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const NOVA = 'amazon.nova-lite-v1:0';
const RUN_ID = 'small-file-0123456789ab';

const savedLogLevel = process.env.POWERTOOLS_LOG_LEVEL;
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambda/invoke-on-demand/index');
afterAll(() => {
  if (savedLogLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = savedLogLevel;
});

let s3Server: S3Server | undefined;
let emulator: BedrockEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  await s3Server?.close();
  emulator = undefined;
  s3Server = undefined;
});

function pipeline(modelId: string, invocationType: InvocationType): PipelineDefinition {
  return {
    name: 'qa',
    modelId,
    promptTemplate: 'Answer briefly: {{question}}',
    maxTokens: 200,
    temperature: 0,
    invocationType,
    output: { format: 'text' },
    minRecordsPerJob: 100,
    maxRecordsPerJob: 50_000,
    maxJobBytes: 5_000_000_000,
    timeoutHours: 24,
  };
}

function modelInput(invocationType: InvocationType, question: string): Record<string, unknown> {
  const prompt = `Answer briefly: ${question}`;
  if (invocationType === 'Converse') {
    return {
      messages: [{ role: 'user', content: [{ text: prompt }] }],
      inferenceConfig: { maxTokens: 200, temperature: 0 },
    };
  }
  return {
    anthropic_version: 'bedrock-2023-05-31',
    max_tokens: 200,
    temperature: 0,
    messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
  };
}

async function put(s3: S3Client, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: WORK, Key: key, Body: body }));
}

async function lines(s3: S3Client, key: string, bucket = WORK): Promise<Record<string, unknown>[]> {
  const body = await openObject(s3, bucket, key);
  if (body === undefined) throw new Error(`${key} is missing`);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Starts S3 and the emulator and stages a one-shard run of `rows` questions as Prepare would. */
async function stage(rows: number, modelId: string, invocationType: InvocationType, faults?: Faults) {
  s3Server = await startS3Server({ buckets: [WORK, RESULTS] });
  const s3 = s3Server.client();
  emulator = await startBedrockEmulator({ s3, faults });
  const ids = Array.from({ length: rows }, (_, i) => `r${String(i + 1).padStart(9, '0')}`);
  const questions = ids.map((_, i) => `What is ${i + 1} + ${i + 1}?`);
  const inputKey = `runs/${RUN_ID}/batch-input/shard-0001.jsonl`;
  await put(
    s3,
    inputKey,
    ids
      .map(
        (recordId, i) =>
          `${JSON.stringify({ recordId, modelInput: modelInput(invocationType, questions[i]!) })}\n`,
      )
      .join(''),
  );
  await put(
    s3,
    rowsKey(RUN_ID, 1),
    ids
      .map(
        (recordId, i) => `${JSON.stringify({ recordId, row: i + 1, line: i + 2, cells: [questions[i]] })}\n`,
      )
      .join(''),
  );
  await put(s3, pipelineSnapshotKey(RUN_ID), JSON.stringify(pipeline(modelId, invocationType)));
  await put(s3, planKey(RUN_ID), JSON.stringify({ header: ['question'], rows }));
  stagedRows = rows;
  const shard = { shard: 1, inputKey, rowsKey: rowsKey(RUN_ID, 1), records: rows, bytes: 0 };
  const input: SubmitJobInput = {
    runId: RUN_ID,
    pipeline: 'qa',
    modelId,
    invocationType,
    timeoutHours: 24,
    shard: shard.shard,
  };
  const env = {
    ...s3Server.env,
    WORK_BUCKET: WORK,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emulator.endpoint,
    ON_DEMAND_BACKOFF_BASE_MS: '2',
  };
  const minutes = { getRemainingTimeInMillis: () => 600_000 };
  return {
    s3,
    input,
    run: (context: { getRemainingTimeInMillis(): number } = minutes) =>
      withEnv(env, () => handler(input, context)),
  };
}

/** Rows of the shard the last `stage` wrote. */
let stagedRows = 0;

async function collect(s3: S3Client, input: SubmitJobInput, jobs: CollectedRun['jobs']) {
  const records = stagedRows;
  const shard = {
    shard: 1,
    inputKey: batchInputKey(RUN_ID, 1),
    rowsKey: rowsKey(RUN_ID, 1),
    records,
    bytes: 0,
  };
  const collectInput: CollectedRun = {
    runId: RUN_ID,
    now: '2026-11-25T12:00:00.000Z',
    pipeline: 'qa',
    source: { bucket: 'input', key: 'inbox/qa/small.csv' },
    prepared: {
      runId: RUN_ID,
      pipeline: 'qa',
      modelId: input.modelId,
      invocationType: input.invocationType,
      timeoutHours: 24,
      rows: records,
      records,
      rejected: 0,
      minRecordsPerJob: 100,
      belowMinimum: true,
      mode: 'on-demand',
      shardNumbers: [1],
      planKey: planKey(RUN_ID),
      deadline: null,
    },
    shards: [shard],
    jobs,
    retryJobs: [],
  };
  return collectFromS3(s3, collectInput, { work: WORK, results: RESULTS });
}

describe('the on-demand handler', () => {
  it('runs a 40-row shard, writes batch-shaped outputs, and Collect reads them unchanged', async () => {
    const { s3, input, run } = await stage(40, CLAUDE, 'InvokeModel');
    const result = await run();
    const jobId = onDemandJobId(RUN_ID, 1);
    expect(result).toEqual({
      shard: 1,
      jobArn: `on-demand/${jobId}`,
      status: 'Completed',
      counters: {
        totalRecordCount: 40,
        processedRecordCount: 40,
        successRecordCount: 40,
        errorRecordCount: 0,
      },
    });
    expect(jobIdFromArn(result.jobArn)).toBe(jobId);
    const prefix = jobOutputPrefix(RUN_ID, jobId);
    const out = await lines(s3, `${prefix}shard-0001.jsonl.out`);
    expect(out).toHaveLength(40);
    for (const line of out) {
      expect(Object.keys(line)).toEqual(['recordId', 'modelInput', 'modelOutput']);
      expect(line.modelOutput).toMatchObject({ type: 'message', content: [{ type: 'text' }] });
    }
    const manifest = await getJson<Record<string, number>>(s3, WORK, `${prefix}manifest.json.out`);
    expect(manifest).toMatchObject({
      totalRecordCount: 40,
      processedRecordCount: 40,
      successRecordCount: 40,
    });
    expect(manifest!.inputTokenCount).toBeGreaterThan(0);
    expect(emulator!.runtimeStats()).toEqual({ calls: 40, injected: 0 });

    const summary = await collect(s3, input, [result]);
    expect(summary.counts).toEqual({ input: 40, ok: 40, error: 0, rejected: 0, missing: 0 });
    expect(summary.warnings).toEqual([]);
    expect(summary.tokens).toEqual({ input: manifest!.inputTokenCount, output: manifest!.outputTokenCount });
    expect(summary.jobs).toMatchObject([
      { shard: 1, jobArn: `on-demand/${jobId}`, status: 'Completed', ok: 40 },
    ]);
  });

  it('backs off through throttling and server errors and still answers every row', async () => {
    const { s3, input, run } = await stage(40, CLAUDE, 'InvokeModel', {
      runtimeErrors: [
        'ThrottlingException',
        'ThrottlingException',
        'ServiceUnavailableException',
        'ModelTimeoutException',
      ],
      runtimeErrorRate: 0.25,
      seed: 5,
    });
    const result = await run();
    const stats = emulator!.runtimeStats();
    expect(stats.injected).toBeGreaterThan(4);
    expect(stats.calls).toBe(40 + stats.injected);
    expect(result.status).toBe('Completed');
    expect(result.counters).toMatchObject({ successRecordCount: 40, errorRecordCount: 0 });
    const summary = await collect(s3, input, [result]);
    expect(summary.counts.ok).toBe(40);
  });

  it('writes retryable 429 error lines when throttling never stops, and nothing is lost', async () => {
    const { s3, input, run } = await stage(40, CLAUDE, 'InvokeModel', { runtimeErrorRate: 1 });
    const result = await run();
    expect(result.counters).toEqual({
      totalRecordCount: 40,
      processedRecordCount: 40,
      successRecordCount: 0,
      errorRecordCount: 40,
    });
    expect(emulator!.runtimeStats().calls).toBe(40 * 6);
    const out = await lines(s3, `${jobOutputPrefix(RUN_ID, onDemandJobId(RUN_ID, 1))}shard-0001.jsonl.out`);
    for (const line of out) {
      expect(Object.keys(line)).toEqual(['recordId', 'modelInput', 'error']);
      expect(line.error).toMatchObject({
        errorCode: 429,
        errorMessage: expect.stringMatching(/^ThrottlingException: .*retryable/),
      });
    }
    const summary = await collect(s3, input, [result]);
    expect(summary.counts).toEqual({ input: 40, ok: 0, error: 40, rejected: 0, missing: 0 });
    const rows = await lines(s3, `${summary.resultsPrefix}results.jsonl`, RESULTS);
    expect(rows).toHaveLength(40);
    for (const row of rows) {
      const outcome = {
        recordId: row.record_id as string,
        status: row.status as 'error',
        errorCode: row.error_code as string,
        errorMessage: row.error_message as string,
      };
      expect(retryReason(outcome)).toBe('throttled');
    }
  });

  it('uses Converse for a Converse pipeline', async () => {
    const { s3, input, run } = await stage(5, NOVA, 'Converse');
    const result = await run();
    expect(result.counters.successRecordCount).toBe(5);
    const out = await lines(s3, `${jobOutputPrefix(RUN_ID, onDemandJobId(RUN_ID, 1))}shard-0001.jsonl.out`);
    expect(out[0]!.modelOutput).toMatchObject({
      output: { message: { role: 'assistant', content: [{ text: expect.stringMatching(/^\[emulated\]/) }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: expect.any(Number) },
      metrics: { latencyMs: expect.any(Number) },
    });
    const summary = await collect(s3, input, [result]);
    expect(summary.counts.ok).toBe(5);
    expect(summary.warnings).toEqual([]);
  });

  it('stops taking records when the Lambda runs out of time; Collect reports the rest as not processed', async () => {
    const { s3, input, run } = await stage(40, CLAUDE, 'InvokeModel');
    let checks = 0;
    const result = await run({ getRemainingTimeInMillis: () => (++checks <= 10 ? 300_000 : 59_000) });
    expect(result.status).toBe('PartiallyCompleted');
    expect(result.counters).toEqual({
      totalRecordCount: 40,
      processedRecordCount: 10,
      successRecordCount: 10,
      errorRecordCount: 0,
    });
    const summary = await collect(s3, input, [result]);
    expect(summary.counts).toEqual({ input: 40, ok: 10, error: 0, rejected: 0, missing: 30 });
    const rows = await lines(s3, `${summary.resultsPrefix}results.jsonl`, RESULTS);
    const missing = rows.filter((row) => row.status === 'missing');
    expect(missing.every((row) => row.error_code === 'NOT_PROCESSED')).toBe(true);
  });

  it('refuses a bad ON_DEMAND_CONCURRENCY before calling anything', async () => {
    const { input } = await stage(1, CLAUDE, 'InvokeModel');
    await expect(
      withEnv({ WORK_BUCKET: WORK, ON_DEMAND_CONCURRENCY: '0' }, () => handler(input)),
    ).rejects.toThrow('ON_DEMAND_CONCURRENCY must be an integer from 1 to 64, got "0"');
    expect(emulator!.runtimeStats().calls).toBe(0);
  });
});
