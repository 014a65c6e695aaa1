import {
  CreateModelInvocationJobCommand,
  GetModelInvocationJobCommand,
  ListModelInvocationJobsCommand,
  paginateListModelInvocationJobs,
  StopModelInvocationJobCommand,
} from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../local/bedrock/index';
import {
  CLAUDE,
  createRequest,
  type Harness,
  jobIdOf,
  putRecords,
  ROLE_ARN,
  startHarness,
  waitForJob,
} from './harness';

const START = Date.parse('2026-03-01T10:00:00.000Z');

async function rawRequest(h: Harness, method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.emulator.endpoint}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe('the control plane through the unmodified Bedrock client', () => {
  let h: Harness;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    h = await startHarness({ clock, faults: { maxConcurrentJobs: 3 } });
    await putRecords(h.s3, 'api/records.jsonl', 100);
  });
  afterAll(async () => h.close());

  it('creates a job and returns its ARN, readable by ARN and by bare id', async () => {
    const { jobArn } = await h.bedrock.send(
      new CreateModelInvocationJobCommand(
        createRequest('api/records.jsonl', { jobName: 'get-me', tags: [] }),
      ),
    );
    expect(jobArn).toMatch(/^arn:aws:bedrock:us-east-1:123456789012:model-invocation-job\/[a-z0-9]{12}$/);
    const byArn = await h.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    const byId = await h.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobIdOf(jobArn!) }));
    expect(byArn).toMatchObject({
      jobArn,
      jobName: 'get-me',
      modelId: CLAUDE,
      roleArn: ROLE_ARN,
      status: 'Submitted',
      timeoutDurationInHours: 24,
      modelInvocationType: 'InvokeModel',
      totalRecordCount: 0,
      processedRecordCount: 0,
    });
    expect(byArn.submitTime?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(byArn.jobExpirationTime?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(byArn.endTime).toBeUndefined();
    expect(byId.jobArn).toBe(jobArn);
  });

  it('sends ISO-8601 timestamps with milliseconds and omits absent optional fields', async () => {
    const { jobArn } = await h.bedrock.send(
      new CreateModelInvocationJobCommand(createRequest('api/records.jsonl')),
    );
    const { body } = await rawRequest(h, 'GET', `/model-invocation-job/${encodeURIComponent(jobArn!)}`);
    expect(body.submitTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body).not.toHaveProperty('endTime');
    expect(body).not.toHaveProperty('message');
    expect(body).not.toHaveProperty('clientRequestToken', null);
    expect(Object.keys(body.inputDataConfig as object)).toEqual(['s3InputDataConfig']);
  });

  it('returns the same job for the same clientRequestToken', async () => {
    const request = createRequest('api/records.jsonl', { clientRequestToken: 'same-token-1' });
    const first = await h.bedrock.send(new CreateModelInvocationJobCommand(request));
    const second = await h.bedrock.send(
      new CreateModelInvocationJobCommand({ ...request, jobName: 'other-name' }),
    );
    expect(second.jobArn).toBe(first.jobArn);
    expect(h.emulator.jobs().filter((job) => job.clientRequestToken === 'same-token-1')).toHaveLength(1);
  });

  it('refuses a job beyond the concurrent-job quota of the model, and counts per model', async () => {
    const active = h.emulator.jobs().filter((job) => job.modelId === CLAUDE).length;
    expect(active).toBe(3);
    const over = h.bedrock.send(new CreateModelInvocationJobCommand(createRequest('api/records.jsonl')));
    await expect(over).rejects.toMatchObject({
      name: 'ServiceQuotaExceededException',
      $metadata: { httpStatusCode: 400 },
    });
    const otherModel = await h.bedrock.send(
      new CreateModelInvocationJobCommand(
        createRequest('api/records.jsonl', { modelId: 'amazon.nova-lite-v1:0' }),
      ),
    );
    expect(otherModel.jobArn).toBeDefined();
  });

  it('answers an unknown job with ResourceNotFoundException (404) and a bad identifier with 400', async () => {
    await expect(
      h.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: 'aaaaaaaaaaaa' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    await expect(
      h.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: 'not-a-job' })),
    ).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });

  it('puts the error type in x-amzn-ErrorType, a message in the body and a request id', async () => {
    const { response, body } = await rawRequest(h, 'POST', '/model-invocation-job', { jobName: 'x' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.message).toMatch(/^\d validation errors detected: .*'roleArn'.*Member must not be null/);
  });

  it('stops a job that has not finished, and refuses to stop a finished one', async () => {
    const { jobArn } = await h.bedrock.send(
      new CreateModelInvocationJobCommand(
        createRequest('api/records.jsonl', { modelId: 'amazon.nova-micro-v1:0' }),
      ),
    );
    await h.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn }));
    const stopping = await h.bedrock.send(new GetModelInvocationJobCommand({ jobIdentifier: jobArn }));
    expect(stopping.status).toBe('Stopping');
    clock.advance(1_000);
    const stopped = await waitForJob(h.emulator, jobArn!, (job) => job.status === 'Stopped');
    expect(stopped.endTime).toBeDefined();
    await expect(
      h.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: jobArn })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('ListModelInvocationJobs', () => {
  let h: Harness;
  const clock = new ManualClock(START);
  const arns: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ clock, faults: { maxConcurrentJobs: 100 } });
    for (let index = 0; index < 7; index++) {
      clock.advance(60_000);
      const name = index % 2 === 0 ? `even-job-${index}` : `odd-job-${index}`;
      const { jobArn } = await h.bedrock.send(
        new CreateModelInvocationJobCommand(createRequest('none/', { jobName: name })),
      );
      arns.push(jobArn!);
    }
    await h.bedrock.send(new StopModelInvocationJobCommand({ jobIdentifier: arns[6] }));
  });
  afterAll(async () => h.close());

  it('sorts by creation time, Descending by default and Ascending on request', async () => {
    const descending = await h.bedrock.send(new ListModelInvocationJobsCommand({}));
    expect(descending.invocationJobSummaries?.map((job) => job.jobArn)).toEqual([...arns].reverse());
    const ascending = await h.bedrock.send(
      new ListModelInvocationJobsCommand({ sortBy: 'CreationTime', sortOrder: 'Ascending' }),
    );
    expect(ascending.invocationJobSummaries?.map((job) => job.jobArn)).toEqual(arns);
  });

  it('pages with maxResults and an opaque nextToken until every job is seen once', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListModelInvocationJobs(
      { client: h.bedrock, pageSize: 3 },
      { sortOrder: 'Ascending' },
    )) {
      pages++;
      expect(page.invocationJobSummaries!.length).toBeLessThanOrEqual(3);
      seen.push(...page.invocationJobSummaries!.map((job) => job.jobArn!));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(arns);
  });

  it('filters by name, status and submit time', async () => {
    const named = await h.bedrock.send(new ListModelInvocationJobsCommand({ nameContains: 'odd' }));
    expect(named.invocationJobSummaries?.map((job) => job.jobName).sort()).toEqual([
      'odd-job-1',
      'odd-job-3',
      'odd-job-5',
    ]);
    const stopping = await h.bedrock.send(new ListModelInvocationJobsCommand({ statusEquals: 'Stopping' }));
    expect(stopping.invocationJobSummaries?.map((job) => job.jobArn)).toEqual([arns[6]]);
    const window = await h.bedrock.send(
      new ListModelInvocationJobsCommand({
        submitTimeAfter: new Date(START + 2 * 60_000),
        submitTimeBefore: new Date(START + 5 * 60_000),
        sortOrder: 'Ascending',
      }),
    );
    expect(window.invocationJobSummaries?.map((job) => job.jobArn)).toEqual(arns.slice(2, 4));
  });

  it('rejects maxResults outside 1..1000, a foreign token and an unknown status', async () => {
    for (const maxResults of [0, 1001]) {
      await expect(h.bedrock.send(new ListModelInvocationJobsCommand({ maxResults }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
    }
    await expect(
      h.bedrock.send(new ListModelInvocationJobsCommand({ nextToken: 'bm90LWEtdG9rZW4' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const first = await h.bedrock.send(new ListModelInvocationJobsCommand({ maxResults: 1 }));
    await expect(
      h.bedrock.send(
        new ListModelInvocationJobsCommand({
          maxResults: 1,
          nameContains: 'odd',
          nextToken: first.nextToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      h.bedrock.send(new ListModelInvocationJobsCommand({ statusEquals: 'Running' as never })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
