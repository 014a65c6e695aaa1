import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunInput } from '../../../lambda/core/contract/types';
import { objectCreatedEvent, sqsEvent } from '../../helpers/events';
import { startTestS3, type TestS3 } from '../../helpers/s3';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const { handler } = await import('../../../lambda/start-run/index');

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:pipeline';
const sfn = mockClient(SFNClient);
let s3: TestS3;

async function upload(key: string): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: 'input-bucket', Key: key, Body: 'q,a\n1,2\n' }));
}

function startedInputs(): RunInput[] {
  return sfn
    .commandCalls(StartExecutionCommand)
    .map((call) => JSON.parse(call.args[0].input.input as string));
}

beforeAll(async () => {
  s3 = await startTestS3();
  await s3.createBuckets('input-bucket');
  await upload('inbox/qa-auditor/Q3 report+x (1) café.csv');
});

beforeEach(() => {
  for (const [name, value] of Object.entries(s3.env)) vi.stubEnv(name, value);
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
  vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE_ARN);
  vi.stubEnv('INPUT_BUCKET', 'input-bucket');
  vi.stubEnv('AWS_REGION', 'us-east-1');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  sfn.restore();
  await s3?.close();
});

describe('Start run', () => {
  it('decodes the key once and starts an execution named after the run id (row 1)', async () => {
    const result = await handler(
      sqsEvent(objectCreatedEvent({ key: 'inbox/qa-auditor/Q3 report+x (1) café.csv', versionId: 'v1' })),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const call = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    const input = startedInputs()[0] as RunInput;
    expect(call?.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(call?.name).toBe(input.runId);
    expect(input).toEqual({
      runId: expect.stringMatching(/^Q3-report-x-1-cafe-[0-9a-f]{12}$/),
      pipeline: 'qa-auditor',
      source: {
        bucket: 'input-bucket',
        key: 'inbox/qa-auditor/Q3 report+x (1) café.csv',
        versionId: 'v1',
        etag: 'b1946ac92492d2347c6235b4d2611184',
      },
    });
  });

  it('reads an unencoded literal + as a plus when only that object exists', async () => {
    await upload('inbox/qa/a+b.csv');
    await handler(sqsEvent(objectCreatedEvent({ key: 'x', rawKey: 'inbox/qa/a+b.csv' })));
    expect(startedInputs()[0]?.source.key).toBe('inbox/qa/a+b.csv');
  });

  it('reads + as a space when that object exists, or when neither exists', async () => {
    await upload('inbox/qa/c d.csv');
    await handler(
      sqsEvent(
        objectCreatedEvent({ key: 'x', rawKey: 'inbox/qa/c+d.csv' }),
        objectCreatedEvent({ key: 'x', rawKey: 'inbox/qa/gone+file.csv' }),
      ),
    );
    expect(startedInputs().map((i) => i.source.key)).toEqual(['inbox/qa/c d.csv', 'inbox/qa/gone file.csv']);
  });

  it('does not decode a literal %2B twice (row 2)', async () => {
    await handler(sqsEvent(objectCreatedEvent({ key: 'inbox/qa/price%2Bvat.csv', versionId: 'v1' })));
    expect(startedInputs()[0]?.source.key).toBe('inbox/qa/price%2Bvat.csv');
  });

  it('starts one execution for a duplicate event: ExecutionAlreadyExists is success (row 21)', async () => {
    const body = objectCreatedEvent({ key: 'inbox/qa/data.csv', versionId: 'v1' });
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn:exec', startDate: new Date() })
      .rejects(new ExecutionAlreadyExists({ message: 'Execution already exists', $metadata: {} }));
    const result = await handler(sqsEvent(body, body));
    expect(result.batchItemFailures).toEqual([]);
    const [first, second] = startedInputs();
    expect(second?.runId).toBe(first?.runId);
  });

  it('starts a new run for a new version of the same key (row 22)', async () => {
    await handler(
      sqsEvent(
        objectCreatedEvent({ key: 'inbox/qa/data.csv', versionId: 'v1' }),
        objectCreatedEvent({ key: 'inbox/qa/data.csv', versionId: 'v2' }),
      ),
    );
    const [first, second] = startedInputs();
    expect(second?.runId).not.toBe(first?.runId);
  });

  it('ignores keys outside inbox/<pipeline>/…csv, folder markers and other buckets (rows 24, 25)', async () => {
    const result = await handler(
      sqsEvent(
        objectCreatedEvent({ key: 'inbox/qa/' }),
        objectCreatedEvent({ key: 'inbox/qa/notes.txt' }),
        objectCreatedEvent({ key: 'inbox/data.csv' }),
        objectCreatedEvent({ key: 'results/qa/r/results.csv' }),
        objectCreatedEvent({ bucket: 'results-bucket', key: 'inbox/qa/data.csv' }),
        { ...objectCreatedEvent({ key: 'inbox/qa/data.csv' }), 'detail-type': 'Object Deleted' },
      ),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('lets a 0-byte CSV through: Prepare fails it with NO_RECORDS', async () => {
    await handler(sqsEvent(objectCreatedEvent({ key: 'inbox/qa/empty.csv', size: 0, versionId: 'v1' })));
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('uses the ETag for the run id when the bucket is not versioned', async () => {
    await handler(
      sqsEvent(
        objectCreatedEvent({ key: 'inbox/qa/data.csv', etag: 'aaa' }),
        objectCreatedEvent({ key: 'inbox/qa/data.csv', etag: 'bbb' }),
      ),
    );
    const [first, second] = startedInputs();
    expect(first?.source.versionId).toBeUndefined();
    expect(second?.runId).not.toBe(first?.runId);
  });

  it('reports only the failed records: a transient error and malformed bodies go back to the queue', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ executionArn: 'arn:exec', startDate: new Date() });
    const result = await handler(
      sqsEvent(
        objectCreatedEvent({ key: 'inbox/qa/a.csv', versionId: 'v1' }),
        objectCreatedEvent({ key: 'inbox/qa/b.csv', versionId: 'v1' }),
        'not json',
        { 'detail-type': 'Object Created', detail: { bucket: { name: 'input-bucket' } } },
        objectCreatedEvent({ key: 'x', rawKey: 'inbox/qa/bad%E0%A4%A.csv' }),
      ),
    );
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: 'm1' },
      { itemIdentifier: 'm3' },
      { itemIdentifier: 'm4' },
      { itemIdentifier: 'm5' },
    ]);
    expect(startedInputs().map((i) => i.source.key)).toEqual(['inbox/qa/a.csv', 'inbox/qa/b.csv']);
  });
});
