import {
  BedrockClient,
  GetModelInvocationJobCommand,
  type GetModelInvocationJobCommandOutput,
  StopModelInvocationJobCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDeadline } from '../../../lambda/core/deadline/estimate';
import { jobState, submitJobInput } from '../../helpers/events';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler } = await import('../../../lambda/check-job/index');

const bedrock = mockClient(BedrockClient);
const started = '2026-11-25T12:00:00.000Z';
const minutes = (m: number) => new Date(Date.parse(started) + m * 60_000).toISOString();

function inProgress(processed: number): GetModelInvocationJobCommandOutput {
  return {
    $metadata: {},
    jobArn: jobState().jobArn,
    status: 'InProgress',
    totalRecordCount: 200,
    processedRecordCount: processed,
    successRecordCount: processed,
    errorRecordCount: 0,
  } as unknown as GetModelInvocationJobCommandOutput;
}

/**
 * A first-round job of a run due 1 hour after `started`, 200 records of which 20 are processed: the 180
 * left take 1,035 s on demand, so the last moment to switch is 42.75 minutes in.
 */
function event(atMinute: number, extra: object = {}) {
  return {
    input: {
      ...submitJobInput({ deadline: runDeadline(1, 200), runStartedAt: started }),
      job: jobState({ submittedAt: started, status: 'InProgress' }),
      ...extra,
    },
    now: minutes(atMinute),
  };
}

beforeEach(() => {
  bedrock.reset();
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('MAX_RUN_HOURS', '');
});

afterAll(() => {
  vi.unstubAllEnvs();
  bedrock.restore();
});

describe('Check job with a deadline', () => {
  it('stops a job that would end too late at the last moment and records the switch', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(inProgress(20));
    bedrock.on(StopModelInvocationJobCommand).resolves({});
    const job = await handler(event(42.5));
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)[0]?.args[0].input).toEqual({
      jobIdentifier: jobState().jobArn,
    });
    expect(job.outcome).toBe('running');
    expect(job.deadlineSwitch).toMatchObject({
      at: minutes(42.5),
      dueAt: minutes(60),
      processed: 20,
      remaining: 180,
    });
  });

  it('lets the job run with a shorter wait before the last moment', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(inProgress(20));
    const job = await handler(event(40));
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)).toHaveLength(0);
    expect(job.deadlineSwitch).toBeUndefined();
    expect(job.waitSeconds).toBe(165);
  });

  it('records no switch when Bedrock says the job can no longer be stopped', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(inProgress(20));
    bedrock
      .on(StopModelInvocationJobCommand)
      .rejects(new ValidationException({ message: 'job already completed', $metadata: {} }));
    const job = await handler(event(42.5));
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)).toHaveLength(1);
    expect(job.deadlineSwitch).toBeUndefined();
  });

  it('weighs no deadline in the second round', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(inProgress(20));
    const job = await handler(event(42.5, { round: 2, part: 1 }));
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)).toHaveLength(0);
    expect(job.deadlineSwitch).toBeUndefined();
  });
});

describe('Check job past the last moment', () => {
  it('lets the batch job go on when even on demand would be too late', async () => {
    bedrock.on(GetModelInvocationJobCommand).resolves(inProgress(20));
    const job = await handler(event(43));
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)).toHaveLength(0);
    expect(job.deadlineSwitch).toBeUndefined();
    expect(job.outcome).toBe('running');
  });
});
