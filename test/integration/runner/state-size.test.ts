import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../local/runner/clock';
import { type ExecutionEvent, prepareLauncher } from '../../../local/runner/execution';
import type { LargestState } from '../../../local/runner/state-size';
import type { AslDefinition } from '../../../local/runner/tasks';

/** A task whose every error is caught, as the workflow's tasks are. */
const definition: AslDefinition = {
  StartAt: 'Make data',
  States: {
    'Make data': {
      Type: 'Task',
      Resource: 'arn:aws:lambda:us-east-1:123456789012:function:MakeData',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
      End: true,
    } as never,
    Caught: { Type: 'Pass', End: true } as never,
  },
};

async function run(bytes: number) {
  const largestStates = new Map<string, LargestState>();
  const entered: string[] = [];
  const launch = await prepareLauncher({
    definition,
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:test',
    tasks: { 'Make data': async () => ({ text: 'x'.repeat(bytes) }) },
    clock: new SimulatedClock(),
    largestStates,
    onEvent: (event: ExecutionEvent) => {
      if (event.type === 'StateEntered' && event.state) entered.push(event.state.name);
    },
  });
  const execution = launch({ name: 'run', arn: 'arn:run', input: {} });
  const outcome = await execution.result.then(
    () => undefined,
    (error: Error) => error,
  );
  return { outcome, entered, largest: largestStates.get('run') };
}

describe("Step Functions' 256 KiB state limit", () => {
  it('fails the execution with States.DataLimitExceeded, which a States.ALL Catch does not catch', async () => {
    const { outcome, entered } = await run(300 * 1024);
    expect(outcome?.name).toBe('States.DataLimitExceeded');
    expect(outcome?.message).toMatch(
      /^The state 'Make data' has an output of \d+ bytes, over .* 262144 bytes\.$/,
    );
    expect(entered).not.toContain('Caught');
  });

  it('lets a state just under the limit through and reports it as the largest', async () => {
    const { outcome, largest } = await run(250 * 1024);
    expect(outcome).toBeUndefined();
    expect(largest?.where).toBe('Make data output');
    expect(largest?.bytes).toBeGreaterThan(250 * 1024);
    expect(largest?.bytes).toBeLessThanOrEqual(256 * 1024);
  });
});
