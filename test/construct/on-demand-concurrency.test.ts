/**
 * The `onDemandConcurrency` prop: validated at synth, and passed as `ON_DEMAND_CONCURRENCY` to the
 * function that reads it (Invoke on demand) and to no other.
 */
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { validate } from '../../lib/pipeline-checks';
import { synthStack } from '../helpers/synth';

describe('onDemandConcurrency', () => {
  it('rejects a value that is not a whole number from 1 to 64 (what Invoke on demand accepts)', () => {
    for (const bad of [0, 65, 2.5]) {
      expect(() => synthStack({ pipeline: { onDemandConcurrency: bad } })).toThrow(
        `onDemandConcurrency must be a whole number from 1 to 64, got ${bad}`,
      );
    }
    for (const good of [1, 64]) expect(() => validate({ onDemandConcurrency: good })).not.toThrow();
  });

  it('sets ON_DEMAND_CONCURRENCY on Invoke on demand only', () => {
    const { stack, template } = synthStack({ pipeline: { onDemandConcurrency: 8 } });
    const invoke = stack.pipeline.functions['invoke-on-demand'].node.defaultChild as CfnFunction;
    const withVariable = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([, fn]) => fn.Properties.Environment?.Variables?.ON_DEMAND_CONCURRENCY !== undefined)
      .map(([id, fn]) => [id, fn.Properties.Environment.Variables.ON_DEMAND_CONCURRENCY]);
    expect(withVariable).toEqual([[stack.resolve(invoke.logicalId), '8']]);
  });
});
