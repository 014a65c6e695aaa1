/** Step Functions calls at the edge. Each helper takes its `SFNClient`. */
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RunInput } from '../core/contract/types';

/** Whether a run was started now or had been started before (a duplicate event). */
export type StartOutcome = 'started' | 'duplicate';

/**
 * Starts the execution named after the run id. An execution of that name that already exists is a
 * duplicate delivery of the same event, not an error.
 */
export async function startRun(
  sfn: SFNClient,
  stateMachineArn: string,
  input: RunInput,
): Promise<StartOutcome> {
  try {
    await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: input.runId, input: JSON.stringify(input) }),
    );
    return 'started';
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'ExecutionAlreadyExists') return 'duplicate';
    throw error;
  }
}
