import { describe, expect, it } from 'vitest';
import { NOTIFICATION_SUBJECTS } from '../../lib/notifications';
import { SimulatedClock } from '../../local/runner/clock';
import { prepareLauncher } from '../../local/runner/execution';
import type { AslState } from '../../local/runner/tasks';
import { defaultStack } from './fixture';
import type { Untyped } from './resolve';

const states = defaultStack().definition.States as Record<string, Untyped>;

/** Runs one SNS publish state on its own (the synthesized Parameters, Next/Retry/Catch dropped) over `input`. */
async function publishedBy(stateName: string, input: unknown): Promise<Untyped> {
  const { Next: _next, Retry: _retry, Catch: _catch, ...state } = states[stateName] as Untyped;
  let published: Untyped;
  const launch = await prepareLauncher({
    definition: { StartAt: stateName, States: { [stateName]: { ...state, End: true } as AslState } },
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:notify',
    clock: new SimulatedClock(),
    tasks: {
      [stateName]: async (params) => {
        published = params as Untyped;
        return { MessageId: 'm-1' };
      },
    },
  });
  await launch({ name: 'notify', arn: 'arn:execution', input }).result;
  return published;
}

const base = {
  runId: 'q3-report-0123456789ab',
  pipeline: 'qa-auditor',
  source: { bucket: 'input-bucket', key: 'inbox/qa-auditor/q3 report.csv', versionId: 'v1' },
};

describe('run-end notifications', () => {
  it('announces a success as readable lines: run, input, counts, tokens, batch cost and where the results are', async () => {
    const results = {
      runId: base.runId,
      resultsBucket: 'results-bucket',
      resultsPrefix: 'results/qa-auditor/q3-report-0123456789ab/',
      counts: { input: 12, ok: 9, error: 1, rejected: 2, missing: 0 },
      tokens: { input: 3400, output: 800 },
      cost: { batchUsd: 0.0123, onDemandUsd: 0.0246 },
    };
    const published = await publishedBy('Notify success', { ...base, results });

    expect(published.Subject).toBe(NOTIFICATION_SUBJECTS.succeeded);
    expect(published.Message.split('\n')).toEqual([
      'Bedrock batch run q3-report-0123456789ab succeeded.',
      'Input: s3://input-bucket/inbox/qa-auditor/q3 report.csv',
      'Pipeline: qa-auditor',
      'Rows: 12 in; 9 ok, 1 error, 2 rejected, 0 missing',
      'Tokens: 3400 in, 800 out',
      'Batch cost (USD, null when the model has no known price): 0.0123',
      'Results: s3://results-bucket/results/qa-auditor/q3-report-0123456789ab/',
    ]);
    expect(published.MessageAttributes).toEqual({
      status: { DataType: 'String', StringValue: 'succeeded' },
      pipeline: { DataType: 'String', StringValue: 'qa-auditor' },
    });
  });

  it('announces a failure with the code, the message, what to do and where report.json is', async () => {
    const failure = {
      runId: base.runId,
      code: 'NO_RECORDS',
      message: 'The file has a header and no data rows',
      whatToDo: 'The file has no data rows: check that you exported the right sheet, then upload it again.',
      cause: 'unused here',
      reportBucket: 'results-bucket',
      reportKey: 'results/qa-auditor/q3-report-0123456789ab/report.json',
    };
    const published = await publishedBy('Notify failure', {
      ...base,
      error: { Error: 'NoRecordsError' },
      failure,
    });

    expect(published.Subject).toBe(NOTIFICATION_SUBJECTS.failed);
    expect(published.Message.split('\n')).toEqual([
      'Bedrock batch run q3-report-0123456789ab failed.',
      'Input: s3://input-bucket/inbox/qa-auditor/q3 report.csv',
      'Pipeline: qa-auditor',
      'Code: NO_RECORDS',
      'Reason: The file has a header and no data rows',
      `What to do: ${failure.whatToDo}`,
      'Report: s3://results-bucket/results/qa-auditor/q3-report-0123456789ab/report.json',
    ]);
    expect(published.MessageAttributes.status.StringValue).toBe('failed');
    expect(published.MessageAttributes.pipeline.StringValue).toBe('qa-auditor');
  });

  it('ends a failed run with the code as the error and the message plus what to do as the cause', () => {
    expect(states['Run failed']).toMatchObject({ ErrorPath: '$.failure.code', CausePath: '$.failure.cause' });
  });
});
