import {
  AccessDeniedException,
  BedrockClient,
  GetModelInvocationJobCommand,
  type GetModelInvocationJobCommandOutput,
  StopModelInvocationJobCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobExpiredError, JobFailedError, JobTimeoutError } from '../../../lambda/core/contract/errors';
import { jobState, submitJobInput } from '../../helpers/events';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler } = await import('../../../lambda/check-job/index');

const bedrock = mockClient(BedrockClient);
const submittedAt = '2026-11-25T12:00:00.000Z';
const hoursLater = (hours: number) => new Date(Date.parse(submittedAt) + hours * 3600_000);
/** The workflow's time the handler is given; the machine's own clock (days later) must not matter. */
let now = hoursLater(1);

function getResponse(status: string, extra: Partial<GetModelInvocationJobCommandOutput> = {}) {
  return {
    $metadata: {},
    jobArn: jobState().jobArn,
    modelId: 'm',
    roleArn: 'r',
    submitTime: new Date(submittedAt),
    inputDataConfig: undefined,
    outputDataConfig: undefined,
    status,
    ...extra,
  } as unknown as GetModelInvocationJobCommandOutput;
}

function input(jobOverrides = {}) {
  return {
    input: { ...submitJobInput({ timeoutHours: 72 }), job: jobState({ submittedAt, ...jobOverrides }) },
    now: now.toISOString(),
  };
}

/** What the handler wrote to stdout (its embedded-metric-format lines) during the test. */
let stdout: string[] = [];

beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  bedrock.reset();
  bedrock.on(StopModelInvocationJobCommand).resolves({});
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('MAX_RUN_HOURS', '');
  now = hoursLater(1);
});

afterEach(() => {
  vi.mocked(process.stdout.write).mockRestore();
});

const runningHours = () =>
  stdout.flatMap((line) => {
    const parsed = JSON.parse(line) as { JobRunningHours?: number; pipeline?: string };
    return parsed.JobRunningHours === undefined ? [] : [[parsed.JobRunningHours, parsed.pipeline]];
  });

afterAll(() => {
  vi.unstubAllEnvs();
  bedrock.restore();
});

describe('Check job', () => {
  it('returns status, progress counters and the next wait for a running job', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(
      getResponse('InProgress', {
        totalRecordCount: 500,
        processedRecordCount: 120,
        successRecordCount: 118,
        errorRecordCount: 2,
      }),
    );
    const job = await handler(input());
    expect(bedrock.commandCalls(GetModelInvocationJobCommand)[0]?.args[0].input).toEqual({
      jobIdentifier: jobState().jobArn,
    });
    expect(job).toMatchObject({
      status: 'InProgress',
      outcome: 'running',
      checks: 1,
      waitSeconds: 300,
      counters: {
        totalRecordCount: 500,
        processedRecordCount: 120,
        successRecordCount: 118,
        errorRecordCount: 2,
      },
    });
  });

  it.each(['Completed', 'PartiallyCompleted', 'Stopped'])('is done when the job ends %s', async (status) => {
    bedrock.on(GetModelInvocationJobCommand).resolves(getResponse(status));
    expect((await handler(input())).outcome).toBe('done');
    expect(runningHours()).toEqual([]);
  });

  it('publishes the hours a running job has been running, for the long-job alarm', async () => {
    now = hoursLater(5.5);
    bedrock.on(GetModelInvocationJobCommand).resolves(getResponse('InProgress'));
    expect((await handler(input())).outcome).toBe('running');
    expect(runningHours()).toEqual([[5.5, submitJobInput().pipeline]]);
  });

  it("throws JobFailedError with Bedrock's message (row 30)", async () => {
    bedrock
      .on(GetModelInvocationJobCommand)
      .resolves(getResponse('Failed', { message: 'Bedrock could not validate PutObject permissions' }));
    const thrown = await handler(input()).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(JobFailedError);
    expect((thrown as Error).message).toContain('Bedrock could not validate PutObject permissions');
  });

  it('asks for a resubmission on the first Expired, fails on the second (row 31)', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(getResponse('Expired'));
    expect((await handler(input({ attempt: 1 }))).outcome).toBe('resubmit');
    await expect(handler(input({ attempt: 2 }))).rejects.toBeInstanceOf(JobExpiredError);
  });

  it('stops a job still running past the limit, then throws JobTimeoutError (row 37)', async () => {
    now = hoursLater(96.5);
    bedrock.on(GetModelInvocationJobCommand).resolves(getResponse('InProgress'));
    await expect(handler(input())).rejects.toBeInstanceOf(JobTimeoutError);
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)[0]?.args[0].input).toEqual({
      jobIdentifier: jobState().jobArn,
    });
  });

  it('honours MAX_RUN_HOURS, and still times out when the stop call says the job cannot be stopped', async () => {
    vi.stubEnv('MAX_RUN_HOURS', '30');
    now = hoursLater(31);
    bedrock.on(GetModelInvocationJobCommand).resolves(getResponse('Scheduled'));
    bedrock
      .on(StopModelInvocationJobCommand)
      .rejects(new ValidationException({ message: 'ended', $metadata: {} }));
    await expect(handler(input())).rejects.toBeInstanceOf(JobTimeoutError);
  });

  it('does not stop a job that finished, even past the limit', async () => {
    now = hoursLater(200);
    bedrock.on(GetModelInvocationJobCommand).resolves(getResponse('Completed'));
    expect((await handler(input())).outcome).toBe('done');
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)).toHaveLength(0);
  });

  it('keeps polling through a throttled check, counting it as unknown', async () => {
    bedrock
      .on(GetModelInvocationJobCommand)
      .rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const job = await handler(input({ status: 'InProgress', unknownChecks: 2 }));
    expect(job).toMatchObject({ status: 'InProgress', outcome: 'running', unknownChecks: 3 });
  });

  it('fails on an error that is about the job itself', async () => {
    bedrock
      .on(GetModelInvocationJobCommand)
      .rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
    await expect(handler(input())).rejects.toThrow('denied');
  });
});
