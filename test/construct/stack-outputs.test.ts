import { describe, expect, it } from 'vitest';
import { STACK_OUTPUT_NAMES } from '../../cli/stack-outputs';
import { synthStack } from '../helpers/synth';

describe('stack outputs the CLI reads', () => {
  it('names the input bucket, results bucket and state machine as the deployed-stack verbs expect', () => {
    const outputs = synthStack().template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of Object.values(STACK_OUTPUT_NAMES)) expect(Object.keys(outputs), name).toContain(name);
    expect(JSON.stringify(outputs[STACK_OUTPUT_NAMES.stateMachineArn]?.Value)).toContain('StateMachine');
  });
});
