/**
 * The `traceSdkCalls` prop: every function gets `POWERTOOLS_TRACE_ENABLED=true`, which makes the handlers
 * load the Powertools tracer (lambda/io/telemetry.ts; test/build/handler-async-hooks.test.ts checks the
 * bundles). Without it the variable is `false` (test/construct/storage-trigger.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { HANDLER_NAMES } from '../../lib/handler-names';
import { synthStack } from '../helpers/synth';

describe('traceSdkCalls', () => {
  it('turns the SDK-call tracer on in every function, which X-Ray traces either way', () => {
    const { template } = synthStack({ pipeline: { traceSdkCalls: true } });
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
      fn.Properties.Runtime?.startsWith('nodejs'),
    );
    expect(functions.length).toBeGreaterThanOrEqual(HANDLER_NAMES.length);
    const pipelineFunctions = functions.filter(
      (fn) => fn.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined,
    );
    expect(pipelineFunctions).toHaveLength(HANDLER_NAMES.length);
    for (const fn of pipelineFunctions) {
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('true');
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });
});
