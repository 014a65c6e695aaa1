import { CreateModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../local/bedrock/index';
import {
  claudeInput,
  createRequest,
  driveJob,
  exists,
  type Harness,
  INPUT_BUCKET,
  jobIdOf,
  putRecords,
  readLines,
  runToEnd,
  startHarness,
} from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function createError(harness: Harness, modelId: string): Promise<{ name: string; message: string }> {
  const error = await harness.bedrock
    .send(new CreateModelInvocationJobCommand(createRequest('models/', { modelId })))
    .then(
      () => undefined,
      (caught: Error) => caught,
    );
  if (error === undefined) throw new Error(`${modelId} was accepted`);
  return { name: error.name, message: error.message };
}

describe('model ids at CreateModelInvocationJob', () => {
  it('refuses an unknown model id with ValidationException and says how to add one', async () => {
    h = await startHarness();
    const error = await createError(h, 'foo.bar-v9:0');
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain('foo.bar-v9:0');
    expect(error.message).toContain('"models"');
    expect(h.emulator.jobs()).toEqual([]);
  });

  it('refuses a model that exists but has no batch support, and a profile-only model without its profile', async () => {
    h = await startHarness();
    expect((await createError(h, 'meta.llama3-70b-instruct-v1:0')).name).toBe('ValidationException');
    const premier = await createError(h, 'amazon.nova-premier-v1:0');
    expect(premier).toMatchObject({ name: 'ValidationException' });
    expect(premier.message).toContain('us.amazon.nova-premier-v1:0');
  });

  it('accepts current Claude 4.x ids, cross-Region profiles and ARNs', async () => {
    h = await startHarness();
    await putRecords(h.s3, 'models/records.jsonl', 100);
    const ids = [
      'anthropic.claude-sonnet-4-6',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'eu.anthropic.claude-3-5-haiku-20241022-v1:0',
      'apac.amazon.nova-lite-v1:0',
      'us.amazon.nova-premier-v1:0',
      'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0',
    ];
    for (const modelId of ids) {
      const { jobArn } = await h.bedrock.send(
        new CreateModelInvocationJobCommand(createRequest('models/', { modelId })),
      );
      expect(jobArn).toMatch(/model-invocation-job\/[a-z0-9]{12}$/);
    }
  });

  it('runs a model added in the settings file, with the limits given there', async () => {
    h = await startHarness({ faults: { models: { 'acme.brand-new-v1:0': { minRecordsPerJob: 3 } } } });
    await putRecords(h.s3, 'new/records.jsonl', 3, () => ({ prompt: 'hello' }));
    const job = await runToEnd(h, 'new/', { modelId: 'us.acme.brand-new-v1:0' });
    expect(job).toMatchObject({ status: 'Completed', successRecordCount: 3 });
    const lines = await readLines(h.s3, `out/${jobIdOf(job.jobArn)}/records.jsonl.out`);
    expect(lines[0]?.modelOutput).toMatchObject({
      outputs: [expect.objectContaining({ text: expect.any(String) })],
    });
  });

  it("applies the model's own minimum: 50 records for Llama 4 Scout, 100 for Claude", async () => {
    h = await startHarness();
    await putRecords(h.s3, 'fifty/records.jsonl', 50, () => ({ prompt: 'hi', max_gen_len: 10 }));
    const scout = await runToEnd(h, 'fifty/', { modelId: 'us.meta.llama4-scout-17b-instruct-v1:0' });
    expect(scout.status).toBe('Completed');
    const claude = await runToEnd(h, 'fifty/');
    expect(claude).toMatchObject({ status: 'Failed', message: expect.stringContaining('minimum of 100') });
  });
});

describe('per-record limits: error lines, as Bedrock writes them', () => {
  it('answers a record over 20 MB with a 400 error line and the others normally', async () => {
    h = await startHarness({ faults: { minRecordsPerJob: 2 } });
    const huge = { recordId: 'HUGE', modelInput: claudeInput('x'.repeat(21_000_000)) };
    const small = { recordId: 'SMALL', modelInput: claudeInput('hello') };
    const body = `${JSON.stringify(huge)}\n${JSON.stringify(small)}\n`;
    await h.s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: 'big/records.jsonl', Body: body }));
    const job = await runToEnd(h, 'big/');
    expect(job).toMatchObject({ status: 'Completed', successRecordCount: 1, errorRecordCount: 1 });
    const lines = await readLines(h.s3, `out/${jobIdOf(job.jobArn)}/records.jsonl.out`);
    const error = lines.find((line) => line.recordId === 'HUGE');
    expect(Object.keys(error ?? {}).sort()).toEqual(['error', 'modelInput', 'recordId']);
    expect(error?.error).toEqual({ errorCode: 400, errorMessage: expect.stringContaining('20000000 bytes') });
    expect(lines.find((line) => line.recordId === 'SMALL')?.modelOutput).toBeDefined();
  });

  it('answers a prompt plus max_tokens beyond the context window with a 400 error line', async () => {
    h = await startHarness({ faults: { minRecordsPerJob: 3 } });
    const record = (id: string, text: string, maxTokens: number) =>
      JSON.stringify({ recordId: id, modelInput: { ...claudeInput(text), max_tokens: maxTokens } });
    // 796,000 bytes of prompt are about 199,000 tokens: with 2,000 more requested, over Haiku's 200,000.
    const long = 'word '.repeat(159_200);
    const body = [record('OVER', long, 2_000), record('FITS', long, 500), record('SHORT', 'hi', 300)];
    await h.s3.send(
      new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: 'ctx/records.jsonl', Body: body.join('\n') }),
    );
    const job = await runToEnd(h, 'ctx/');
    expect(job).toMatchObject({ status: 'Completed', successRecordCount: 2, errorRecordCount: 1 });
    const lines = await readLines(h.s3, `out/${jobIdOf(job.jobArn)}/records.jsonl.out`);
    const over = lines.find((line) => line.recordId === 'OVER');
    expect(over?.error).toEqual({
      errorCode: 400,
      errorMessage: expect.stringMatching(/^Input is too long for requested model\. .*200000 tokens/),
    });
    expect(
      lines
        .filter((line) => 'modelOutput' in line)
        .map((line) => line.recordId)
        .sort(),
    ).toEqual(['FITS', 'SHORT']);
  });
});

describe('output layout and timing', () => {
  it('keeps the relative path of JSONL files in nested folders, so no file overwrites another', async () => {
    h = await startHarness({ faults: { minRecordsPerJob: 2 } });
    await putRecords(h.s3, 'pre/a.jsonl', 2);
    await putRecords(h.s3, 'pre/sub/a.jsonl', 3, (index) => claudeInput(`Nested ${index}`));
    const job = await runToEnd(h, 'pre/');
    expect(job).toMatchObject({ status: 'Completed', totalRecordCount: 5 });
    const folder = `out/${jobIdOf(job.jobArn)}/`;
    expect(await readLines(h.s3, `${folder}a.jsonl.out`)).toHaveLength(2);
    expect(await readLines(h.s3, `${folder}sub/a.jsonl.out`)).toHaveLength(3);
  });

  it('writes growing .jsonl.out files while the job is InProgress, and the manifest only at the end', async () => {
    const clock = new ManualClock(Date.parse('2026-05-01T00:00:00.000Z'));
    h = await startHarness({ clock, faults: { durations: { inProgress: 4_000 } } });
    await putRecords(h.s3, 'grow/records.jsonl', 200);
    const { jobArn } = await h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('grow/')));
    const folder = `out/${jobIdOf(jobArn!)}/`;
    await driveJob(clock, h.emulator, jobArn!, 5, (job) => job.status === 'InProgress');
    const linesAt = async (count: number) => {
      for (let attempt = 0; attempt < 1000; attempt++) {
        if (await exists(h!, `${folder}records.jsonl.out`)) {
          const lines = await readLines(h!.s3, `${folder}records.jsonl.out`);
          if (lines.length >= count) return lines;
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`the output never held ${count} lines`);
    };
    await driveJob(clock, h.emulator, jobArn!, 100, (job) => job.processedRecordCount > 0);
    expect(await linesAt(50)).toHaveLength(50);
    expect(h.emulator.jobs()[0]?.status).toBe('InProgress');
    expect(await exists(h, `${folder}manifest.json.out`)).toBe(false);
    // The clock may pass more than one step while the first file is written: 100 or 150 lines, not all.
    await driveJob(clock, h.emulator, jobArn!, 10, (job) => job.processedRecordCount >= 100);
    expect((await linesAt(100)).length).toBeLessThan(200);
    expect(h.emulator.jobs()[0]?.status).toBe('InProgress');
    expect(await exists(h, `${folder}manifest.json.out`)).toBe(false);
    const done = await driveJob(clock, h.emulator, jobArn!, 100, (job) => job.status === 'Completed');
    expect(done.processedRecordCount).toBe(200);
    expect(await readLines(h.s3, `${folder}records.jsonl.out`)).toHaveLength(200);
    expect(await exists(h, `${folder}manifest.json.out`)).toBe(true);
  });
});
