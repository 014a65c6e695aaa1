import {
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  StopModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobView, ManualClock } from '../../../local/bedrock/index';
import {
  claudeInput,
  createRequest,
  driveJob,
  type Harness,
  INPUT_BUCKET,
  jobIdOf,
  putRecords,
  readLines,
  readText,
  runToEnd,
  startHarness,
} from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a job from Submitted to Completed', () => {
  it('walks the real statuses with growing counters and writes Bedrock-style outputs', async () => {
    const seen: JobView[] = [];
    h = await startHarness({ onChange: (job) => seen.push(job) });
    await putRecords(h.s3, 'many/part-a.jsonl', 110);
    await putRecords(h.s3, 'many/part-b.jsonl', 60, (index) => claudeInput(`Other question ${index}`));
    await h.s3.send(
      new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: 'many/readme.txt', Body: 'not input' }),
    );
    const job = await runToEnd(h, 'many/');

    expect(job.status).toBe('Completed');
    const statuses = seen.map((entry) => entry.status).filter((status, i, all) => status !== all[i - 1]);
    expect(statuses).toEqual(['Submitted', 'Validating', 'Scheduled', 'InProgress', 'Completed']);
    const processed = seen
      .filter((entry) => entry.status === 'InProgress')
      .map((e) => e.processedRecordCount);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(processed.at(-1)).toBe(170);
    expect(seen.find((entry) => entry.status === 'InProgress')?.totalRecordCount).toBe(170);
    expect(job).toMatchObject({ totalRecordCount: 170, processedRecordCount: 170, successRecordCount: 170 });
    expect(Date.parse(job.endTime!)).toBeGreaterThanOrEqual(Date.parse(job.submitTime));
    expect(job.lastModifiedTime).toBe(job.endTime);

    const folder = `out/${jobIdOf(job.jobArn)}/`;
    const a = await readLines(h.s3, `${folder}part-a.jsonl.out`);
    const b = await readLines(h.s3, `${folder}part-b.jsonl.out`);
    expect(a).toHaveLength(110);
    expect(b).toHaveLength(60);
    const ids = a.map((line) => line.recordId as string);
    expect(new Set(ids).size).toBe(110);
    expect(ids).not.toEqual([...ids].sort());
    expect(a[0]).toEqual({
      recordId: expect.any(String),
      modelInput: expect.objectContaining({ anthropic_version: 'bedrock-2023-05-31' }),
      modelOutput: expect.objectContaining({ type: 'message', id: expect.stringMatching(/^msg_bdrk_/) }),
    });

    const manifest = JSON.parse(await readText(h.s3, `${folder}manifest.json.out`));
    const usage = [...a, ...b].map((line) => (line.modelOutput as { usage: Record<string, number> }).usage);
    expect(manifest).toEqual({
      totalRecordCount: 170,
      processedRecordCount: 170,
      successRecordCount: 170,
      errorRecordCount: 0,
      inputTokenCount: usage.reduce((sum, u) => sum + u.input_tokens!, 0),
      outputTokenCount: usage.reduce((sum, u) => sum + u.output_tokens!, 0),
    });
  });

  it('answers a malformed modelInput with a per-record 400 error line and still completes', async () => {
    h = await startHarness();
    await putRecords(h.s3, 'mixed.jsonl', 100, (index) => {
      if (index === 3) return { max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
      if (index === 4) return { ...claudeInput('hi'), modelId: 'anthropic.claude-3-haiku-20240307-v1:0' };
      return claudeInput(`q${index}`);
    });
    const job = await runToEnd(h, 'mixed.jsonl');
    expect(job).toMatchObject({
      status: 'Completed',
      processedRecordCount: 100,
      successRecordCount: 98,
      errorRecordCount: 2,
    });
    const lines = await readLines(h.s3, `out/${jobIdOf(job.jobArn)}/mixed.jsonl.out`);
    const errors = Object.fromEntries(
      lines.filter((line) => 'error' in line).map((line) => [line.recordId, line.error]),
    );
    expect(errors).toEqual({
      R000004: { errorCode: 400, errorMessage: 'anthropic_version: Field required' },
      R000005: { errorCode: 400, errorMessage: 'modelId: Extra inputs are not permitted' },
    });
  });

  it('answers a Converse job in the Converse shape', async () => {
    h = await startHarness();
    await putRecords(h.s3, 'converse.jsonl', 100, (index) => ({
      messages: [{ role: 'user', content: [{ text: `Say ${index}` }] }],
      inferenceConfig: { maxTokens: 100 },
    }));
    const job = await runToEnd(h, 'converse.jsonl', {
      modelInvocationType: 'Converse',
      modelId: 'us.amazon.nova-lite-v1:0',
    });
    expect(job).toMatchObject({
      status: 'Completed',
      modelInvocationType: 'Converse',
      successRecordCount: 100,
    });
    const [line] = await readLines(h.s3, `out/${jobIdOf(job.jobArn)}/converse.jsonl.out`);
    expect(line?.modelOutput).toMatchObject({
      output: { message: { role: 'assistant', content: [{ text: expect.stringContaining('[emulated]') }] } },
      stopReason: 'end_turn',
      usage: {
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        totalTokens: expect.any(Number),
      },
      metrics: { latencyMs: expect.any(Number) },
    });
  });
});

describe('validation failures end the job Failed with a message', () => {
  it.each([
    [
      'too few records',
      'few.jsonl',
      99,
      {},
      /99 records, below the minimum of 100 records per batch inference job/,
    ],
    [
      'too many records in a file',
      'big.jsonl',
      120,
      { maxRecordsPerFile: 110 },
      /120 records, above the limit of 110 records per file/,
    ],
    [
      'too many records in the job',
      'big.jsonl',
      120,
      { maxRecordsPerJob: 119 },
      /above the limit of 119 records per batch/,
    ],
    [
      'a file over the size limit',
      'big.jsonl',
      100,
      { maxFileBytes: 1000 },
      /bytes, above the limit of 1000 bytes per file/,
    ],
  ])('%s', async (_label, key, count, faults, message) => {
    h = await startHarness({ faults });
    await putRecords(h.s3, key, count);
    const job = await runToEnd(h, key);
    expect(job.status).toBe('Failed');
    expect(job.message).toMatch(message);
    expect(job.endTime).toBeDefined();
  });

  it('fails on a line that is not a record object, naming the line', async () => {
    h = await startHarness();
    const good = JSON.stringify({ recordId: 'A', modelInput: claudeInput('x') });
    const body = [good, good, '{"recordId": "C", "modelInput": {"trunc', good].join('\n');
    await h.s3.send(new PutObjectCommand({ Bucket: INPUT_BUCKET, Key: 'broken.jsonl', Body: body }));
    const job = await runToEnd(h, 'broken.jsonl');
    expect(job.status).toBe('Failed');
    expect(job.message).toBe(
      'Invalid JSONL: line 3 of s3://emulator-input/broken.jsonl is not a JSON object.',
    );
  });

  it('fails when the output bucket does not exist', async () => {
    h = await startHarness();
    await putRecords(h.s3, 'fine.jsonl', 100);
    const job = await runToEnd(h, 'fine.jsonl', {
      outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://no-such-bucket/out/' } },
    });
    expect(job).toMatchObject({
      status: 'Failed',
      message: 'Unable to access the output location s3://no-such-bucket/out/: NotFound',
    });
  });

  it('fails when the input location holds no .jsonl file', async () => {
    h = await startHarness();
    const job = await runToEnd(h, 'empty-prefix/');
    expect(job).toMatchObject({
      status: 'Failed',
      message: expect.stringContaining('No .jsonl input files'),
    });
  });
});

describe('time: stop, timeout and expiry on an injected clock', () => {
  const start = Date.parse('2026-05-01T00:00:00.000Z');

  it('stops a running job: Stopping, then Stopped with only the processed records written', async () => {
    const clock = new ManualClock(start);
    h = await startHarness({ clock, faults: { durations: { inProgress: 4_000 } } });
    await putRecords(h.s3, 'stop.jsonl', 200);
    const { jobArn } = await h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('stop.jsonl')));
    await driveJob(clock, h.emulator, jobArn!, 5, (job) => job.status === 'InProgress');
    const half = await driveJob(clock, h.emulator, jobArn!, 100, (job) => job.processedRecordCount > 0);
    expect(half).toMatchObject({ status: 'InProgress', processedRecordCount: 50 });
    await h.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
    expect((await h.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }))).status).toBe(
      'Stopping',
    );
    const stopped = await driveJob(clock, h.emulator, jobArn!, 5, (job) => job.status === 'Stopped');
    expect(stopped).toMatchObject({
      totalRecordCount: 200,
      processedRecordCount: 50,
      successRecordCount: 50,
    });
    const lines = await readLines(h.s3, `out/${jobIdOf(jobArn!)}/stop.jsonl.out`);
    expect(lines).toHaveLength(50);
    const manifest = JSON.parse(await readText(h.s3, `out/${jobIdOf(jobArn!)}/manifest.json.out`));
    expect(manifest).toMatchObject({
      totalRecordCount: 200,
      processedRecordCount: 50,
      successRecordCount: 50,
    });
  });

  it('expires a job still Scheduled at its timeout', async () => {
    const clock = new ManualClock(start);
    const hour = 3_600_000;
    h = await startHarness({ clock, faults: { durations: { scheduled: 30 * hour, inProgress: 10 } } });
    await putRecords(h.s3, 'slow.jsonl', 100);
    const { jobArn } = await h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('slow.jsonl')));
    await driveJob(clock, h.emulator, jobArn!, 5, (job) => job.status === 'Scheduled');
    clock.advance(23 * hour);
    expect(h.emulator.jobs()[0]?.status).toBe('Scheduled');
    const expired = await driveJob(clock, h.emulator, jobArn!, hour, (job) => job.status === 'Expired');
    expect(expired.jobExpirationTime).toBe('2026-05-02T00:00:00.000Z');
    expect(Date.parse(expired.endTime!)).toBeGreaterThanOrEqual(Date.parse('2026-05-02T00:00:00.000Z'));
    expect(expired.processedRecordCount).toBe(0);
  });

  it('ends a job still InProgress at its timeout as PartiallyCompleted with the records done by then', async () => {
    const clock = new ManualClock(start);
    h = await startHarness({ clock, faults: { durations: { inProgress: 30 * 3_600_000 } } });
    await putRecords(h.s3, 'long.jsonl', 100);
    const { jobArn } = await h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('long.jsonl')));
    await driveJob(clock, h.emulator, jobArn!, 5, (job) => job.status === 'InProgress');
    const done = await driveJob(
      clock,
      h.emulator,
      jobArn!,
      3_600_000,
      (job) => job.status === 'PartiallyCompleted',
    );
    expect(done.processedRecordCount).toBe(79);
    const lines = await readLines(h.s3, `out/${jobIdOf(jobArn!)}/long.jsonl.out`);
    expect(lines).toHaveLength(79);
  });

  it('a stuck job never finishes on its own and ends PartiallyCompleted at its timeout', async () => {
    const clock = new ManualClock(start);
    h = await startHarness({ clock, faults: { stuck: true } });
    await putRecords(h.s3, 'stuck.jsonl', 100);
    const { jobArn } = await h.bedrock.send(
      new CreateModelInvocationJobCommand(createRequest('stuck.jsonl', { timeoutDurationInHours: 48 })),
    );
    await driveJob(clock, h.emulator, jobArn!, 5, (job) => job.status === 'InProgress');
    clock.advance(47 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.emulator.jobs()[0]?.status).toBe('InProgress');
    const done = await driveJob(
      clock,
      h.emulator,
      jobArn!,
      3_600_000,
      (job) => job.status === 'PartiallyCompleted',
    );
    expect(Date.parse(done.endTime!)).toBeGreaterThanOrEqual(Date.parse('2026-05-03T00:00:00.000Z'));
    expect(done).toMatchObject({ totalRecordCount: 100, processedRecordCount: 50 });
  });
});
