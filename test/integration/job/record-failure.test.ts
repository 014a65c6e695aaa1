import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordFailureInput } from '../../../lambda/core/contract/failure-types';
import { WHAT_TO_DO } from '../../../lambda/core/job/failure';
import { lambdaCaught } from '../../helpers/events';
import { startTestS3, type TestS3, withEnv } from '../../helpers/s3';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler } = await import('../../../lambda/record-failure/index');

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('input-bucket', 'results-bucket');
});

afterAll(async () => {
  await s3?.close();
});

function failureInput(key: string, overrides: Partial<RecordFailureInput> = {}): RecordFailureInput {
  return {
    runId: 'data-0123456789ab',
    pipeline: 'qa-auditor',
    source: { bucket: 'input-bucket', key, etag: 'e' },
    error: lambdaCaught('NoRecordsError', 'The file has a header and no data rows'),
    ...overrides,
  };
}

async function readJson(bucket: string, key: string): Promise<Record<string, unknown>> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await (out.Body as { transformToString(): Promise<string> }).transformToString());
}

async function tagsOf(key: string): Promise<Record<string, string>> {
  const out = await s3.client.send(new GetObjectTaggingCommand({ Bucket: 'input-bucket', Key: key }));
  return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key, t.Value]));
}

const run = <T>(fn: () => Promise<T>) => withEnv({ ...s3.env, RESULTS_BUCKET: 'results-bucket' }, fn);

describe('Record failure (on a real S3 protocol server)', () => {
  it('writes report.json with code, message and what to do, and returns where it is', async () => {
    const key = 'inbox/qa-auditor/empty file.csv';
    await s3.client.send(new PutObjectCommand({ Bucket: 'input-bucket', Key: key, Body: new Uint8Array(0) }));
    const report = await run(() => handler(failureInput(key)));
    expect(report).toEqual({
      runId: 'data-0123456789ab',
      code: 'NO_RECORDS',
      message: 'The file has a header and no data rows',
      whatToDo: WHAT_TO_DO.NO_RECORDS,
      cause: `The file has a header and no data rows. What to do: ${WHAT_TO_DO.NO_RECORDS}`,
      reportBucket: 'results-bucket',
      reportKey: 'results/qa-auditor/data-0123456789ab/report.json',
    });
    const written = await readJson('results-bucket', report.reportKey);
    expect(written).toMatchObject({
      runId: 'data-0123456789ab',
      pipeline: 'qa-auditor',
      source: { bucket: 'input-bucket', key },
      status: 'failed',
      code: 'NO_RECORDS',
      message: 'The file has a header and no data rows',
      whatToDo: expect.stringMatching(/no data rows/),
    });
    expect(Date.parse(written.failedAt as string)).not.toBeNaN();
  });

  it("writes report.html (text/html, UTF-8) for a run that failed before Collect, and leaves Collect's alone", async () => {
    const key = 'inbox/qa-auditor/bad<script>.csv';
    await s3.client.send(new PutObjectCommand({ Bucket: 'input-bucket', Key: key, Body: new Uint8Array(0) }));
    const htmlKey = 'results/qa-auditor/data-0123456789ab/report.html';
    const input = failureInput(key, {
      error: lambdaCaught('NoRecordsError', 'No rows in <script>alert(1)</script>'),
    });
    await run(() => handler(input));
    const page = await s3.client.send(new GetObjectCommand({ Bucket: 'results-bucket', Key: htmlKey }));
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    const html = await (page.Body as { transformToString(): Promise<string> }).transformToString();
    expect(html).toContain('id="failure" data-code="NO_RECORDS"');
    expect(html).toContain('No rows in &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');

    await s3.client.send(
      new PutObjectCommand({ Bucket: 'results-bucket', Key: htmlKey, Body: 'from Collect' }),
    );
    const results = {
      runId: 'data-0123456789ab',
      resultsBucket: 'results-bucket',
      resultsPrefix: 'results/qa-auditor/data-0123456789ab/',
      counts: { input: 1, ok: 0, error: 0, rejected: 0, missing: 1 },
      tokens: { input: 0, output: 0 },
      cost: { batchUsd: 0, onDemandUsd: 0 },
    };
    await run(() => handler({ ...input, results }));
    const kept = await s3.client.send(new GetObjectCommand({ Bucket: 'results-bucket', Key: htmlKey }));
    expect(await (kept.Body as { transformToString(): Promise<string> }).transformToString()).toBe(
      'from Collect',
    );
  });

  it("tags the analyst's object as failed and keeps its other tags", async () => {
    const key = 'inbox/qa-auditor/tagged.csv';
    await s3.client.send(new PutObjectCommand({ Bucket: 'input-bucket', Key: key, Body: 'a,b\n' }));
    await s3.client.send(
      new PutObjectTaggingCommand({
        Bucket: 'input-bucket',
        Key: key,
        Tagging: { TagSet: [{ Key: 'team', Value: 'audit' }] },
      }),
    );
    await run(() => handler(failureInput(key)));
    expect(await tagsOf(key)).toEqual({
      team: 'audit',
      'bedrock-batch:status': 'failed',
      'bedrock-batch:run-id': 'data-0123456789ab',
      'bedrock-batch:error': 'NO_RECORDS',
    });
  });

  it("leaves the analyst's tags alone when adding three would pass S3's limit of ten", async () => {
    const key = 'inbox/qa-auditor/many-tags.csv';
    const own = Array.from({ length: 8 }, (_, i) => ({ Key: `t${i}`, Value: `v${i}` }));
    await s3.client.send(new PutObjectCommand({ Bucket: 'input-bucket', Key: key, Body: 'a,b\n' }));
    await s3.client.send(
      new PutObjectTaggingCommand({ Bucket: 'input-bucket', Key: key, Tagging: { TagSet: own } }),
    );
    const report = await run(() => handler(failureInput(key)));
    expect(report.code).toBe('NO_RECORDS');
    expect(await tagsOf(key)).toEqual(Object.fromEntries(own.map((t) => [t.Key, t.Value])));
  });

  it('still writes the report when the source object is gone (SOURCE_MISSING, row 23)', async () => {
    const input = failureInput('inbox/qa-auditor/deleted.csv', {
      runId: 'deleted-0123456789ab',
      error: lambdaCaught('SourceMissingError', 'inbox/qa-auditor/deleted.csv no longer exists'),
    });
    const report = await run(() => handler(input));
    expect(report.code).toBe('SOURCE_MISSING');
    expect(await readJson('results-bucket', report.reportKey)).toMatchObject({ code: 'SOURCE_MISSING' });
  });
});
