import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LaunchExecution, type SfnEndpoint, startSfnEndpoint } from '../../../local/runner/sfn-endpoint';

const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:test';

describe('the local Step Functions endpoint, through the unmodified SDK', () => {
  let endpoint: SfnEndpoint;
  let client: SFNClient;
  const launched: string[] = [];
  const pending = new Map<string, (output: unknown) => void>();

  const launch: LaunchExecution = ({ name, input }) => {
    launched.push(name);
    let abort: () => void = () => {};
    const result = new Promise<unknown>((resolve, reject) => {
      if ((input as { fail?: boolean }).fail) {
        const error = new Error('the cause');
        error.name = 'NO_RECORDS';
        reject(error);
        return;
      }
      pending.set(name, resolve);
      abort = () => {
        const error = new Error('Execution aborted');
        error.name = 'ExecutionAbortedError';
        reject(error);
      };
    });
    return { result, abort: () => abort() };
  };

  beforeAll(async () => {
    endpoint = await startSfnEndpoint({ stateMachineArn, launch });
    client = new SFNClient({
      endpoint: endpoint.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await endpoint.close();
  });

  it('starts an execution named as asked and reports it succeeded with its output', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-a', input: '{"runId":"run-a"}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:test:run-a');
    expect(started.startDate).toBeInstanceOf(Date);
    expect(launched).toContain('run-a');
    pending.get('run-a')?.({ done: true });
    await endpoint.executions().find((e) => e.name === 'run-a')?.done;
    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output ?? 'null')).toEqual({ done: true });
  });

  it('answers a second start of a finished execution with ExecutionAlreadyExists and starts nothing', async () => {
    const before = launched.length;
    const error = await client
      .send(new StartExecutionCommand({ stateMachineArn, name: 'run-a', input: '{"runId":"run-a"}' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionAlreadyExists);
    expect((error as ExecutionAlreadyExists).$metadata.httpStatusCode).toBe(400);
    expect(launched.length).toBe(before);
  });

  it('returns the running execution for the same name and input, as Step Functions does', async () => {
    const first = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-b', input: '{}' }),
    );
    const again = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-b', input: '{}' }),
    );
    expect(again.executionArn).toBe(first.executionArn);
    expect(launched.filter((name) => name === 'run-b')).toHaveLength(1);
    const other = await client
      .send(new StartExecutionCommand({ stateMachineArn, name: 'run-b', input: '{"x":1}' }))
      .catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops a running execution (ABORTED)', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-c', input: '{}' }),
    );
    await client.send(new StopExecutionCommand({ executionArn: started.executionArn }));
    await endpoint.executions().find((e) => e.name === 'run-c')?.done;
    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described.status).toBe('ABORTED');
  });

  it('reports a failed execution with its error and cause', async () => {
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'run-d', input: '{"fail":true}' }),
    );
    await endpoint.executions().find((e) => e.name === 'run-d')?.done;
    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'FAILED', error: 'NO_RECORDS', cause: 'the cause' });
  });

  it('rejects an unknown state machine', async () => {
    const error = await client
      .send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}x`, name: 'run-e', input: '{}' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateMachineDoesNotExist);
  });
});
