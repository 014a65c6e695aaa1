import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobResultMissingError } from '../../../lambda/core/contract/errors';
import type { FailedJob, JobResult } from '../../../lambda/core/contract/job-types';
import { jobResultKey, planKey, retryPlanKey } from '../../../lambda/core/contract/layout';
import type { CollectInput, JobRecordInput } from '../../../lambda/core/contract/types';
import { batchJobInputKey, onDemandInputKey, resultKeyOf } from '../../../lambda/core/job/shard-input';
import { readJobResults, readRun } from '../../../lambda/io/job-results';
import { getJson } from '../../../lambda/io/s3';
import { handler as recordJob } from '../../../lambda/record-job';
import { submitJobInput } from '../../helpers/events';
import { startTestS3, type TestS3, withEnv } from '../../helpers/s3';

const RUN = 'q3-report-0123456789ab';
const COUNTERS = { totalRecordCount: 2, processedRecordCount: 2, successRecordCount: 2, errorRecordCount: 0 };
const JOB_ARN = 'arn:aws:bedrock:us-east-1:123456789012:model-invocation-job/k3x9q2m7w1ab';

let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('work');
});
afterAll(() => s3.close());

function record(input: JobRecordInput) {
  return withEnv({ ...s3.env, WORK_BUCKET: 'work' }, () => recordJob(input));
}

describe('keys a Map iteration derives from its item', () => {
  it('finds the first round in batch-input/ and the second in retry-input/', () => {
    const first = { runId: RUN, shard: 7 };
    expect(batchJobInputKey(first)).toBe(`runs/${RUN}/batch-input/shard-0007.jsonl`);
    expect(onDemandInputKey(first)).toBe(`runs/${RUN}/batch-input/shard-0007.jsonl`);
    expect(resultKeyOf(first)).toBe(`runs/${RUN}/jobs/shard-0007.json`);
    expect(batchJobInputKey({ runId: RUN, shard: 3, part: 3, round: 2 })).toBe(
      `runs/${RUN}/retry-input/job-03/`,
    );
    const part = { runId: RUN, shard: 7, part: 12, round: 2 };
    expect(onDemandInputKey(part)).toBe(`runs/${RUN}/retry-input/job-12/shard-0007.jsonl`);
    expect(resultKeyOf(part)).toBe(`runs/${RUN}/jobs/retry-0012.json`);
  });
});

describe('Record job result and the readers', () => {
  it('writes each result where Collect reads it, and returns an empty object', async () => {
    const done: JobResult = { shard: 1, jobArn: JOB_ARN, status: 'Completed', counters: COUNTERS };
    const failed: JobResult = {
      shard: 2,
      error: { Error: 'JobRejectedError', Cause: '{"errorMessage":"no"}' },
    };
    expect(await record({ ...submitJobInput({ runId: RUN, shard: 1 }), result: done })).toEqual({});
    await record({ ...submitJobInput({ runId: RUN, shard: 2 }), result: failed });
    expect(await getJson(s3.client, 'work', jobResultKey(RUN, 1, 1))).toEqual(done);

    const results = await readJobResults(s3.client, 'work', RUN, 1, [2, 1, 3]);
    expect(results[0]).toEqual(failed);
    expect(results[1]).toEqual(done);
    expect(results[2]).toMatchObject({ shard: 3, error: { Error: JobResultMissingError.name } });
    expect((results[2] as FailedJob).error.Cause).toContain(`runs/${RUN}/jobs/shard-0003.json`);
  });

  it("reads the run's shards from plan.json and the second round by the retry plan's jobs", async () => {
    const shards = [1, 2].map((shard) => ({
      shard,
      inputKey: `runs/${RUN}/batch-input/shard-000${shard}.jsonl`,
      rowsKey: `runs/${RUN}/rows/shard-000${shard}.jsonl`,
      records: 2,
      bytes: 10,
    }));
    await put(planKey(RUN), { header: ['q'], shards });
    await put(retryPlanKey(RUN), {
      mode: 'on-demand',
      records: 1,
      jobs: [{ job: 1, slices: [{ shard: 2, records: 1 }] }],
    });
    const retried: JobResult = { shard: 2, jobArn: JOB_ARN, status: 'Completed', counters: COUNTERS };
    await record({ ...submitJobInput({ runId: RUN, shard: 2, part: 1, round: 2 }), result: retried });
    const input = { runId: RUN, prepared: { planKey: planKey(RUN) } } as CollectInput;

    const firstOnly = await readRun(s3.client, 'work', input);
    expect(firstOnly.shards).toEqual(shards);
    expect(firstOnly.jobs.map((job) => job.shard)).toEqual([1, 2]);
    expect(firstOnly.retryJobs).toEqual([]);

    const both = await readRun(s3.client, 'work', {
      ...input,
      retry: { mode: 'on-demand', selected: 1, byReason: {} },
    });
    expect(both.retryJobs).toEqual([retried]);
  });
});

async function put(key: string, value: unknown): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: 'work', Key: key, Body: JSON.stringify(value) }));
}
