import { CreateModelInvocationJobCommand, GetModelInvocationJobCommand } from '@aws-sdk/client-bedrock';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobView } from '../../../local/bedrock/index';
import { TERMINAL_STATUSES } from '../../../local/bedrock/patterns';
import type { Faults } from '../../../local/faults';
import {
  createRequest,
  exists,
  type Harness,
  jobIdOf,
  putRecords,
  readLines,
  readText,
  startHarness,
  waitForJob,
} from './harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function runJob(faults: Faults, count = 100): Promise<{ job: JobView; harness: Harness }> {
  h = await startHarness({ faults });
  await putRecords(h.s3, 'faults/records.jsonl', count);
  const { jobArn } = await h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('faults/')));
  return {
    job: await waitForJob(h.emulator, jobArn!, (job) => TERMINAL_STATUSES.has(job.status)),
    harness: h,
  };
}

describe('faults', () => {
  it('returns the createErrors in order, with their HTTP codes, then creates the job', async () => {
    h = await startHarness({
      faults: {
        createErrors: ['ThrottlingException', 'ServiceQuotaExceededException', 'InternalServerException'],
      },
    });
    await putRecords(h.s3, 'c.jsonl', 100);
    const request = new CreateModelInvocationJobCommand(
      createRequest('c.jsonl', { clientRequestToken: 'retry-1' }),
    );
    for (const [name, status] of [
      ['ThrottlingException', 429],
      ['ServiceQuotaExceededException', 400],
      ['InternalServerException', 500],
    ] as const) {
      await expect(h.bedrock.send(request)).rejects.toMatchObject({
        name,
        $metadata: { httpStatusCode: status },
      });
    }
    const { jobArn } = await h.bedrock.send(request);
    expect(h.emulator.jobs().map((job) => job.jobArn)).toEqual([jobArn]);
  });

  it('returns the getErrors on successive Get calls', async () => {
    h = await startHarness({ faults: { getErrors: ['ThrottlingException'] } });
    await putRecords(h.s3, 'g.jsonl', 100);
    const { jobArn } = await h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('g.jsonl')));
    const get = new GetModelInvocationJobCommand({ jobIdentifier: jobArn });
    await expect(h.bedrock.send(get)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect((await h.bedrock.send(get)).jobArn).toBe(jobArn);
  });

  it('answers the seeded recordErrorRate fraction with error lines, the same records every time', async () => {
    const first = await runJob({ recordErrorRate: 0.2, seed: 7 }, 400);
    const lines = await readLines(first.harness.s3, `out/${jobIdOf(first.job.jobArn)}/records.jsonl.out`);
    const failed = lines
      .filter((line) => 'error' in line)
      .map((line) => line.recordId as string)
      .sort();
    expect(failed.length).toBe(first.job.errorRecordCount);
    expect(failed.length).toBeGreaterThan(40);
    expect(failed.length).toBeLessThan(120);
    expect(first.job.successRecordCount + first.job.errorRecordCount).toBe(400);
    await first.harness.close();
    const second = await runJob({ recordErrorRate: 0.2, seed: 7 }, 400);
    const again = await readLines(second.harness.s3, `out/${jobIdOf(second.job.jobArn)}/records.jsonl.out`);
    expect(
      again
        .filter((line) => 'error' in line)
        .map((line) => line.recordId as string)
        .sort(),
    ).toEqual(failed);
  });

  it.each([
    ['PartiallyCompleted', 0.5, 50],
    ['Stopped', 0.25, 25],
  ] as const)(
    'ends %s with the documented fraction processed and only those records written',
    async (status, fraction, processed) => {
      const { job, harness } = await runJob({ finalStatus: status, processedFraction: fraction });
      expect(job).toMatchObject({ status, totalRecordCount: 100, processedRecordCount: processed });
      const lines = await readLines(harness.s3, `out/${jobIdOf(job.jobArn)}/records.jsonl.out`);
      expect(lines).toHaveLength(processed);
      const manifest = JSON.parse(await readText(harness.s3, `out/${jobIdOf(job.jobArn)}/manifest.json.out`));
      expect(manifest.processedRecordCount).toBe(processed);
      expect(manifest.successRecordCount + manifest.errorRecordCount).toBe(manifest.processedRecordCount);
    },
  );

  it('fails a job with the given failureMessage and writes nothing', async () => {
    const { job, harness } = await runJob({ finalStatus: 'Failed', failureMessage: 'Emulated outage' });
    expect(job).toMatchObject({ status: 'Failed', message: 'Emulated outage' });
    expect(await exists(harness, `out/${jobIdOf(job.jobArn)}/manifest.json.out`)).toBe(false);
  });

  it('expires only the first finalStatusTimes jobs', async () => {
    h = await startHarness({ faults: { finalStatus: 'Expired', finalStatusTimes: 1 } });
    await putRecords(h.s3, 'e.jsonl', 100);
    const statuses: string[] = [];
    for (const token of ['first', 'second']) {
      const { jobArn } = await h.bedrock.send(
        new CreateModelInvocationJobCommand(createRequest('e.jsonl', { clientRequestToken: token })),
      );
      statuses.push(
        (await waitForJob(h.emulator, jobArn!, (job) => TERMINAL_STATUSES.has(job.status))).status,
      );
    }
    expect(statuses).toEqual(['Expired', 'Completed']);
    expect(h.emulator.jobs()[0]).toMatchObject({
      processedRecordCount: 0,
      message: expect.stringContaining('Scheduled'),
    });
  });

  it('uses the minRecordsPerJob fault as the model minimum', async () => {
    const { job } = await runJob({ minRecordsPerJob: 10 }, 10);
    expect(job.status).toBe('Completed');
  });
});
