import {
  BedrockClient,
  ListModelInvocationJobsCommand,
  StopModelInvocationJobCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExecutionStatusDetail } from '../../../lambda/stop-jobs/index';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler } = await import('../../../lambda/stop-jobs/index');

const RUN_ID = 'Q3-report-0123456789ab';
const bedrock = mockClient(BedrockClient);
const arn = (id: string) => `arn:aws:bedrock:us-east-1:111122223333:model-invocation-job/${id}`;

function summary(id: string, jobName: string, status: string) {
  return {
    jobArn: arn(id),
    jobName,
    status,
    modelId: 'm',
    roleArn: 'r',
    submitTime: new Date(),
    inputDataConfig: undefined,
    outputDataConfig: undefined,
  } as never;
}

function statusChange(detail: ExecutionStatusDetail) {
  return { detail } as EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusDetail>;
}

beforeEach(() => {
  bedrock.reset();
  vi.stubEnv('AWS_REGION', 'us-east-1');
  bedrock.on(ListModelInvocationJobsCommand).resolves({
    invocationJobSummaries: [
      summary('aaaaaaaaaaa1', `${RUN_ID}-s1-a1`, 'InProgress'),
      summary('aaaaaaaaaaa2', `${RUN_ID}-s2-a1`, 'Completed'),
      summary('aaaaaaaaaaa3', `${RUN_ID}-s3-a1`, 'Scheduled'),
      summary('aaaaaaaaaaa4', `${RUN_ID}-s4-a1`, 'Stopping'),
    ],
  });
  bedrock.on(StopModelInvocationJobCommand).resolves({});
});

afterAll(() => {
  vi.unstubAllEnvs();
  bedrock.restore();
});

describe('Stop jobs (row 42: no orphaned jobs)', () => {
  it.each(['ABORTED', 'TIMED_OUT', 'FAILED'])(
    "stops the run's queued and running jobs when the execution is %s",
    async (status) => {
      const result = await handler(statusChange({ name: RUN_ID, status, input: null }));
      expect(bedrock.commandCalls(ListModelInvocationJobsCommand)[0]?.args[0].input).toMatchObject({
        nameContains: '0123456789ab',
      });
      expect(
        bedrock.commandCalls(StopModelInvocationJobCommand).map((c) => c.args[0].input.jobIdentifier),
      ).toEqual([arn('aaaaaaaaaaa1'), arn('aaaaaaaaaaa3')]);
      expect(result).toEqual({ stopped: 2 });
    },
  );

  it('takes the run id from the execution input (a child execution has its own name)', async () => {
    const input = JSON.stringify({ runId: RUN_ID, shard: { shard: 1 } });
    await handler(statusChange({ name: 'child-execution-name', status: 'ABORTED', input }));
    expect(bedrock.commandCalls(ListModelInvocationJobsCommand)[0]?.args[0].input.nameContains).toBe(
      '0123456789ab',
    );
  });

  it('counts a job that ended meanwhile as not stopped', async () => {
    bedrock
      .on(StopModelInvocationJobCommand)
      .rejectsOnce(new ValidationException({ message: 'ended', $metadata: {} }));
    expect(await handler(statusChange({ name: RUN_ID, status: 'ABORTED' }))).toEqual({ stopped: 1 });
  });

  it('does nothing for a run that succeeded or a name that is not a run id', async () => {
    expect(await handler(statusChange({ name: RUN_ID, status: 'SUCCEEDED' }))).toEqual({ stopped: 0 });
    expect(await handler(statusChange({ name: 'manual test', status: 'ABORTED' }))).toEqual({ stopped: 0 });
    expect(bedrock.commandCalls(ListModelInvocationJobsCommand)).toHaveLength(0);
  });

  it('replays a failed event from the StopJobsFailures queue: a Lambda destination record or the bare event', async () => {
    const event = statusChange({ name: RUN_ID, status: 'ABORTED', input: null });
    const record = {
      version: '1.0',
      timestamp: '2026-12-01T03:00:00.000Z',
      requestContext: {
        requestId: 'r',
        functionArn: 'arn:f',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'ThrottlingException', errorMessage: 'Rate exceeded' },
    };
    expect(await handler(JSON.parse(JSON.stringify(record)))).toEqual({ stopped: 2 });
    expect(await handler(JSON.parse(JSON.stringify(event)))).toEqual({ stopped: 2 });
    expect(bedrock.commandCalls(StopModelInvocationJobCommand)).toHaveLength(4);
  });

  it('fails (so the event goes to the queue) when Bedrock cannot list the jobs', async () => {
    bedrock.on(ListModelInvocationJobsCommand).rejects(new Error('AccessDeniedException'));
    await expect(handler(statusChange({ name: RUN_ID, status: 'ABORTED' }))).rejects.toThrow();
  });
});
